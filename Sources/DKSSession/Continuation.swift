// Continuation: decides whether a prompt entry is complete or needs another line (`...> `).
// Owns: that one decision. Must not: run anything or print; it only asks the parser.
import DKSLanguage

/// Whether the text typed so far is a whole entry.
public enum Continuation {
    /// True when `text` is unfinished: it ends with a `\` line continuation, or parsing it
    /// fails only because something is still open (a bracket, brace, string or `${`).
    /// Any other syntax error means the entry is complete (and wrong): it runs and reports.
    public static func needsMore(_ text: String) -> Bool {
        if endsWithLineContinuation(text) { return true }
        do {
            _ = try Parser.parse(SourceFile(name: "<prompt>", text: text))
            return false
        } catch let e as SyntaxErrors {
            // The parser and lexer only say "unterminated" when they reached the end of the text
            // with something open, which is exactly "type more".
            return e.errors.contains { $0.message.hasPrefix("unterminated") }
        } catch {
            return false
        }
    }

    /// A `\` as the last character before the final newline (an odd run of backslashes, so
    /// `\\` at the end, an escaped backslash inside a word, does not count).
    static func endsWithLineContinuation(_ text: String) -> Bool {
        var bytes = Array(text.utf8)
        while let last = bytes.last, last == 10 || last == 13 { bytes.removeLast() }
        var run = 0
        while run < bytes.count, bytes[bytes.count - 1 - run] == 92 { run += 1 }
        return run % 2 == 1
    }
}
