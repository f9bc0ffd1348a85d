// CompletionScan: reads the text before the cursor and says what is being completed — a command
// name, an option of the statement's command, a variable, a member, an argument, or a path.
// Owns: that lexical reading. Must not: look up names or touch the interpreter (Completer does).

/// What the word under the cursor is.
public enum CompletionTarget: Equatable {
    /// The first word of a statement: builtins and user functions.
    case command
    /// `-x` / `--name` after a command word.
    case option(command: String)
    /// `$na` — the candidates include the `$`.
    case variable
    /// `$v.a.pa` — members of `$v.a`; the word is the part after the last dot.
    case member(variable: String, path: [String])
    /// Any other word after a command; `previous` are the words between the command and it.
    case argument(command: String?, previous: [String])
    /// A word with a `/`, or starting with `.` or `~`, or inside a string literal, or after a
    /// redirection (`> `, `< `, `2> ` ...).
    case path
    /// `^NAME`: a host program on $PATH.
    case program
    /// A path written right after a redirection operator (`>out.t`); the operator is kept.
    case attachedPath(String)
}

/// The word being completed and what it is.
public struct CompletionSite: Equatable {
    /// The characters to match candidates against (and to replace).
    public var word: String
    public var target: CompletionTarget
}

/// Reads what the word before the cursor is (the prompt, the kernel and the language server).
public enum CompletionScan {
    static let wordBoundaries: Set<Character> = [" ", "\t", "\n", "(", ")", "[", "]", "{", "}", ",", ";"]

    /// Reads `text` (everything typed before the cursor, earlier continuation lines included).
    public static func site(_ text: String) -> CompletionSite {
        let chars = Array(text)
        var statementStart = 0
        var quote: Character?
        var stringStart = 0
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if let q = quote {
                if c == "\\", q == "\"" { i += 2; continue }
                if c == q { quote = nil }
                i += 1
                continue
            }
            switch c {
            case "\"", "'":
                quote = c
                stringStart = i + 1
            case "#":
                // A comment runs to the end of the line; the newline itself ends the statement.
                while i + 1 < chars.count, chars[i + 1] != "\n" { i += 1 }
            case "\\":
                // `\`-newline continues the statement; skip the escaped character either way.
                i += 1
            case "\n", ";", "{", "}", "(", "|":
                statementStart = i + 1
            case "=":
                // `$x = cmd ...` (and `+=` etc.): the right side is a statement of its own.
                // `==`, `--name=value` and `<=` are not assignments.
                let next = i + 1 < chars.count ? chars[i + 1] : " "
                let prev = i > 0 ? chars[i - 1] : " "
                let lhs = String(chars[statementStart..<i]).trimmingLeadingBlanks()
                if next != "=", prev != "=", prev != "!", prev != "<", prev != ">", lhs.hasPrefix("$") {
                    statementStart = i + 1
                }
            default:
                break
            }
            i += 1
        }
        if quote != nil {
            return CompletionSite(word: String(chars[stringStart...]), target: .path)
        }
        var wordStart = chars.count
        while wordStart > statementStart, !wordBoundaries.contains(chars[wordStart - 1]) { wordStart -= 1 }
        let word = String(chars[wordStart...])
        var previous = String(chars[statementStart..<wordStart])
            .split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init)
        // `return cmd`, `if`, `while`...: what follows a leading keyword is in command position.
        while let first = previous.first, leadingKeywords.contains(first) { previous.removeFirst() }

        if word.hasPrefix("$") {
            let body = word.dropFirst()
            if body.contains(".") {
                let parts = body.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
                let partial = parts.last ?? ""
                return CompletionSite(word: partial, target: .member(variable: parts[0], path: Array(parts.dropFirst().dropLast())))
            }
            return CompletionSite(word: word, target: .variable)
        }
        if word.hasPrefix("^") { return CompletionSite(word: word, target: .program) }
        if let op = redirections.first(where: { word.hasPrefix($0) && word.count > $0.count }) {
            return CompletionSite(word: word, target: .attachedPath(op))
        }
        if let last = previous.last, redirections.contains(last) { return CompletionSite(word: word, target: .path) }
        if looksLikePath(word) { return CompletionSite(word: word, target: .path) }
        guard let command = previous.first else { return CompletionSite(word: word, target: .command) }
        let isCommandWord = command.first.map { $0.isLetter || $0 == "_" } ?? false
        if word.hasPrefix("-"), isCommandWord {
            return CompletionSite(word: word, target: .option(command: command))
        }
        return CompletionSite(word: word, target: .argument(command: isCommandWord ? command : nil, previous: Array(previous.dropFirst())))
    }

    static let leadingKeywords: Set<String> = ["return", "if", "elif", "while", "not", "else", "try", "finally", "defer"]
    /// Redirection operators, longest first (so `>>x` is `>>` then `x`).
    static let redirections = ["2>>", "&>>", "2>", "&>", ">>", ">", "<"]

    static func looksLikePath(_ word: String) -> Bool {
        word.contains("/") || word.hasPrefix(".") || word.hasPrefix("~")
    }
}

extension String {
    func trimmingLeadingBlanks() -> String {
        String(drop(while: { $0 == " " || $0 == "\t" }))
    }
}
