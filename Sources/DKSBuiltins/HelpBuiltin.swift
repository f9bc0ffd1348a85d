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
                guard let text = helpText(name, r) else {
                    var msg = "help: no command or topic named '\(name)'"
                    if let best = closestName(name, among: r.helpTopics.keys.sorted() + r.helpTopicAliases.keys.sorted() + r.names) { msg += " (did you mean '\(best)'?)" }
                    throw ScriptError(.nameError, msg + "; help alone lists them")
                }
                try a.interp.out.write(text)
                return .null
            }
            try a.interp.out.write(helpIndex(r))
            return .null
        }
    }

    /// What `help NAME` prints: the command's help, the syntax topic's text (a keyword leads to its
    /// statement's topic), or both when a command and a topic share the name (`help engine`).
    /// Nil when NAME is neither. (The language server's hover shows the same text.)
    public static func helpText(_ name: String, _ r: BuiltinRegistry) -> String? {
        let command = r.lookup(name).map { helpText($0.signature) }
        let topic = r.helpTopic(name).map { $0.text.hasSuffix("\n") ? $0.text : $0.text + "\n" }
        switch (command, topic) {
        case let (c?, t?): return c + "\n" + t
        case let (c?, nil): return c
        case let (nil, t?): return t
        default: return nil
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
        var out = "New to dks? Type tutorial at the prompt: short lessons, from values to containers.\n"
        out += "help NAME explains a command, help TOPIC the language (help if, help pipes, help errors).\n\n"
        out += "dks commands by topic:\n"
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
