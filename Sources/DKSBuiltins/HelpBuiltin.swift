// HelpBuiltin: `help` lists every command by topic; `help NAME` prints one command's
// signature, paragraph and example — all read from the same signatures the binder uses.
import DKSLanguage

extension GeneralBuiltins {
    static func registerHelp(_ r: BuiltinRegistry) {
        r.register(Signature("help", topic: "general", [.arg("name", default: .null)],
                             summary: "Without a name, lists the commands by topic and the syntax topics. With a name, prints that command's usage, what it does, its options and an example; with a syntax topic (help pipes, help redirection), how that syntax works.",
                             example: "help\nhelp run")) { [unowned r] a in
            if a.isGiven(0) {
                let name = try a.string(0)
                if r.lookup(name) == nil, let topic = r.helpTopics[name] {
                    try a.interp.out.write(topic.hasSuffix("\n") ? topic : topic + "\n")
                    return .null
                }
                guard let b = r.lookup(name) else {
                    var msg = "help: no command or topic named '\(name)'"
                    if let best = closestName(name, among: r.names + r.helpTopics.keys) { msg += " (did you mean '\(best)'?)" }
                    throw ScriptError(.nameError, msg)
                }
                try a.interp.out.write(helpText(b.signature))
                return .null
            }
            try a.interp.out.write(helpIndex(r))
            return .null
        }
    }

    /// The full help of one command.
    public static func helpText(_ sig: Signature) -> String {
        var out = "usage: \(sig.usage)\n\n\(wrap(sig.summary, width: 76))\n"
        let documented = sig.params.filter { !$0.help.isEmpty || !$0.positional }
        if !documented.isEmpty {
            out += "\noptions:\n"
            for p in documented {
                var spelled = p.positional ? p.name.uppercased() : (p.short.map { "-\($0), " } ?? "") + p.longOption
                if !p.positional && !p.flag { spelled += " \(p.valueName)" }
                let pad = String(repeating: " ", count: max(1, 28 - spelled.count))
                out += "  \(spelled)\(pad)\(p.help)\(p.repeatable ? " (repeatable)" : "")\n"
            }
        }
        if !sig.example.isEmpty {
            out += "\nexample:\n" + sig.example.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n"
        }
        return out
    }

    /// Commands grouped by topic.
    public static func helpIndex(_ r: BuiltinRegistry) -> String {
        var topics: [String: [String]] = [:]
        for name in r.names { if let b = r.lookup(name) { topics[b.signature.topic, default: []].append(name) } }
        var out = "dks commands by topic (help NAME for one):\n"
        for topic in topics.keys.sorted() {
            out += "\n  \(topic):\n"
            out += wrap(topics[topic, default: []].joined(separator: "  "), width: 72).split(separator: "\n").map { "    " + $0 }.joined(separator: "\n") + "\n"
        }
        if !r.helpTopics.isEmpty {
            out += "\n  syntax (help TOPIC):\n"
            out += wrap(r.helpTopics.keys.sorted().joined(separator: "  "), width: 72).split(separator: "\n").map { "    " + $0 }.joined(separator: "\n") + "\n"
        }
        return out
    }

    static func wrap(_ text: String, width: Int) -> String {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty && line.count + word.count + 1 > width { lines.append(line); line = "" }
            line += line.isEmpty ? String(word) : " " + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines.joined(separator: "\n")
    }
}
