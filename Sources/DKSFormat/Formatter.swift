// Formatter: `dks fmt`'s entry point — parses a program with its layout recorded, prints it in
// the canonical layout, and refuses to answer unless the result parses to the same tree and keeps
// every comment. So a formatter bug can cost a layout, never a program's meaning.
// Owns: that contract. Must not: print a program that failed the check.
import DKSLanguage

/// Why a program could not be formatted.
public enum FormatError: Error, CustomStringConvertible {
    /// The program has syntax errors (formatting needs a whole tree).
    case syntax(SyntaxErrors)
    /// The formatted text would parse differently or lose a comment: a formatter bug; the text is left alone.
    case wouldChangeProgram(String)

    public var description: String {
        switch self {
        case .syntax(let e): return e.errors.map { ErrorFormatter.format($0) }.joined()
        case .wouldChangeProgram(let name):
            return "\(name): dks fmt cannot format this file without changing what it does (a formatter bug: please report it); it is left as it is\n"
        }
    }
}

public enum Formatter {
    /// The canonical layout of `text`. Idempotent: formatting the result changes nothing.
    /// Throws `FormatError`.
    public static func format(_ text: String, name: String = "<stdin>") throws -> String {
        let file = SourceFile(name: name, text: text)
        let trivia = SyntaxTrivia()
        let stmts: [Stmt]
        do { stmts = try Parser.parse(file, trivia: trivia) } catch let e as SyntaxErrors {
            throw FormatError.syntax(e)
        }
        let printer = Printer(file: file, trivia: trivia)
        let output = printer.program(stmts)
        try verify(original: stmts, comments: commentTexts(file, trivia), output: output, name: name)
        return output
    }

    /// Checks that `output` parses to the same tree and has the same comments.
    static func verify(original: [Stmt], comments: [String], output: String, name: String) throws {
        let file = SourceFile(name: name, text: output)
        let trivia = SyntaxTrivia()
        guard let stmts = try? Parser.parse(file, trivia: trivia),
              SyntaxDump.dump(stmts) == SyntaxDump.dump(original),
              commentTexts(file, trivia) == comments else {
            throw FormatError.wouldChangeProgram(name)
        }
    }

    /// The comments' texts (trailing blanks aside), sorted: layout may move them, never drop or change one.
    static func commentTexts(_ file: SourceFile, _ trivia: SyntaxTrivia) -> [String] {
        trivia.comments.map { c in
            var t = String(decoding: file.bytes[c.start..<c.end], as: UTF8.self)
            while let l = t.last, l == " " || l == "\t" || l == "\r" { t.removeLast() }
            return t
        }.sorted()
    }
}
