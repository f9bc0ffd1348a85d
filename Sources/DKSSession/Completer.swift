// Completer: turns the text before the cursor into completion candidates, asking a
// `CompletionContext` for names. Pure: no terminal, no interpreter, so it is unit-tested directly.
// Must not: evaluate expressions or run commands (the context only reads variables).
import DKSLanguage

/// Where completion gets its names. The prompt implements it over the live interpreter;
/// tests implement it with fixed lists.
public protocol CompletionContext {
    /// Builtin commands and user functions.
    var commandNames: [String] { get }
    /// The signature of a command or user function, for its options and positionals.
    func signature(ofCommand name: String) -> Signature?
    /// Variables that hold values (without `$`).
    var variableNames: [String] { get }
    /// Member names of `$variable.path...`, or [] when that cannot be known without running code.
    func memberNames(ofVariable variable: String, path: [String]) -> [String]
    /// Container or image names suitable as positional `index` of `command` (may be empty).
    func engineNames(forCommand command: String, positionalIndex: Int) -> [String]
    /// File system paths starting with `partial` (directories end with `/`).
    func pathCandidates(_ partial: String) -> [String]
    /// Host programs on `$env.PATH` (for `^` + Tab).
    var programNames: [String] { get }
    /// Syntax help topics and the words that lead to them (for `help` + Tab, beside the commands).
    var helpTopicNames: [String] { get }
}

extension CompletionContext {
    public var programNames: [String] { [] }
    public var helpTopicNames: [String] { [] }
}

/// The outcome of one completion request.
public struct CompletionResult: Equatable {
    /// The typed characters the candidates extend (already in the line, before the cursor).
    public var word: String
    /// Full replacements for `word`, sorted and unique; every one starts with `word`.
    public var candidates: [String]
    /// Whether a single, finished candidate should be followed by a space.
    public var appendsSpace: Bool

    /// What to insert at the cursor: the rest of the only candidate (plus a space), or the
    /// rest of the candidates' common prefix; empty when nothing can be added.
    public var insertion: String {
        guard let first = candidates.first else { return "" }
        if candidates.count == 1 {
            let rest = String(first.dropFirst(word.count))
            return rest + (appendsSpace && !first.hasSuffix("/") ? " " : "")
        }
        let common = commonPrefix(candidates)
        return common.count > word.count ? String(common.dropFirst(word.count)) : ""
    }
}

/// The longest common prefix of `strings` (by characters).
public func commonPrefix(_ strings: [String]) -> String {
    guard var prefix = strings.first.map(Array.init) else { return "" }
    for s in strings.dropFirst() {
        let chars = Array(s)
        var n = 0
        while n < prefix.count, n < chars.count, prefix[n] == chars[n] { n += 1 }
        prefix.removeSubrange(n...)
        if prefix.isEmpty { break }
    }
    return String(prefix)
}

public enum Completer {
    /// Candidates for the word that ends at the cursor; `text` is everything typed before the
    /// cursor in this entry (earlier continuation lines included).
    public static func complete(_ text: String, context: CompletionContext) -> CompletionResult {
        let site = CompletionScan.site(text)
        let word = site.word
        func result(_ names: [String], space: Bool) -> CompletionResult {
            let matching = Set(names.filter { $0.hasPrefix(word) }).sorted()
            return CompletionResult(word: word, candidates: matching, appendsSpace: space)
        }
        switch site.target {
        case .command:
            return result(context.commandNames, space: true)
        case .option(let command):
            guard let sig = context.signature(ofCommand: command) else { return result([], space: true) }
            // Offer the long spellings; a lone `-x` prefix also matches the short ones.
            // Optional positionals can be named too (a function's `$replicas = 1` is `--replicas`).
            let named = sig.params.filter { !$0.positional || ($0.defaultValue != nil && !$0.rest) }
            let spellings = word.hasPrefix("--") || word.isEmpty || word == "-" ? named.map(\.longOption) : sig.optionSpellings
            return result(spellings, space: true)
        case .variable:
            return result(context.variableNames.map { "$" + $0 }, space: false)
        case .member(let variable, let path):
            return result(context.memberNames(ofVariable: variable, path: path), space: false)
        case .path:
            return result(context.pathCandidates(word), space: true)
        case .program:
            return result(context.programNames.map { "^" + $0 }, space: true)
        case .attachedPath(let op):
            // `>out.t`: the path after an attached redirection operator.
            return result(context.pathCandidates(String(word.dropFirst(op.count))).map { op + $0 }, space: true)
        case .argument(let command, let previous):
            guard let command else { return result(context.pathCandidates(word), space: true) }
            // `help NAME` takes a command name or a syntax topic; `tutorial` an action.
            if command == "help", previous.isEmpty {
                return result(context.commandNames + context.helpTopicNames, space: false)
            }
            if command == "tutorial", previous.isEmpty {
                return result(["back", "hint", "lessons", "reset", "skip", "stop"], space: false)
            }
            let sig = context.signature(ofCommand: command)
            guard let index = positionalIndex(previous, signature: sig) else {
                // The value of an option: only files make sense without knowing the option's type.
                return result(context.pathCandidates(word), space: true)
            }
            let names = context.engineNames(forCommand: command, positionalIndex: index).filter { $0.hasPrefix(word) }
            if !names.isEmpty { return result(names, space: true) }
            return result(word.isEmpty ? [] : context.pathCandidates(word), space: true)
        }
    }

    /// Which positional argument the next word is (0-based), or nil when it is the value of the
    /// option just before it. Follows the binder's rules: `--` ends options, value options take
    /// the next word, and `run`/`exec`-style commands stop reading options at their first positional.
    static func positionalIndex(_ previous: [String], signature sig: Signature?) -> Int? {
        var index = 0
        var optionsDone = false
        var expectValue = false
        var verbStops = false
        for w in previous {
            if expectValue { expectValue = false; continue }
            if !optionsDone, w == "--" { optionsDone = true; continue }
            if !optionsDone, w.hasPrefix("-"), w.count > 1, Double(w) == nil {
                if w.contains("=") { continue }
                if let sig, let p = param(w, sig), !p.flag { expectValue = true }
                continue
            }
            if index == 0, let sig, sig.verbsThatStopOptions.contains(w) { verbStops = true }
            index += 1
            if sig?.stopsAtFirstPositional == true || (verbStops && index >= 2) { optionsDone = true }
        }
        return expectValue ? nil : index
    }

    static func param(_ spelling: String, _ sig: Signature) -> Param? {
        if spelling.hasPrefix("--") {
            return sig.index(of: String(spelling.dropFirst(2))).map { sig.params[$0] }
        }
        // `-d` (or a cluster of flags `-it`: the last letter decides whether a value follows).
        guard let last = spelling.last else { return nil }
        return sig.params.first { $0.short == last }
    }
}
