// SyntaxTrivia: what a reader that keeps a program's layout needs beyond the tree — the comments,
// where each command word ends, where every bracket closes, which expressions were written in
// parentheses, where the pipe bars are, and which brackets a statement or call owns.
// Recorded only when a caller asks (`dks fmt`, the language server): the normal parse passes no
// recorder and pays one nil check per command word or bracket.
// Owns: those records. Must not: change how anything parses.

/// Layout facts of one parse, all as byte offsets into the source.
public final class SyntaxTrivia {
    /// One `#` comment: from the `#` to the end of its line (the newline excluded).
    public struct Comment: Equatable {
        public let start: Int
        public let end: Int
    }

    /// Every comment the lexer skipped, in source order. A few may lie inside text that the
    /// tree keeps whole (a command word like `a#b` is looked at in expression mode once);
    /// readers that print words as written treat comments inside them as part of the word.
    public var comments: [Comment] {
        if !sorted { commentList.sort { $0.start < $1.start }; sorted = true }
        return commentList
    }
    private var commentList: [Comment] = []
    private var commentStarts: Set<Int> = []
    private var sorted = true

    /// Command words and redirections: the offset a word starts at → the offset just past it.
    public internal(set) var wordEnds: [Int: Int] = [:]
    /// Commands: the offset of the command word → the offset just past its last word.
    public internal(set) var commandEnds: [Int: Int] = [:]
    /// Every bracket the parser matched: the offset of `(`, `[` or `{` → the offset of its closer.
    public internal(set) var closes: [Int: Int] = [:]
    /// The blocks of a statement or function, in source order, keyed by the statement's offset:
    /// `if` (one per branch, then `else`), `while`, `for`, `try` (body, catch, finally), `fn` (body).
    public internal(set) var blockOpens: [Int: [Int]] = [:]
    /// The `(` of a call's argument list or a function's parameter list, keyed by the node's offset.
    public internal(set) var argumentOpens: [Int: Int] = [:]
    /// The offsets of the unquoted `|` of pipelines.
    public internal(set) var pipeBars: [Int] = []
    /// Parentheses written around an expression: keyed by `ParenKey(expr)`, outermost last.
    public internal(set) var parens: [ParenKey: [(open: Int, close: Int)]] = [:]

    public init() {}

    func addComment(start: Int, end: Int) {
        guard commentStarts.insert(start).inserted else { return }
        if let last = commentList.last, last.start > start { sorted = false }
        commentList.append(Comment(start: start, end: end))
    }

    func addParen(around e: Expr, open: Int, close: Int) {
        parens[ParenKey(e), default: []].append((open, close))
    }

    /// The parentheses written around `e` (outermost last), or none.
    public func parentheses(of e: Expr) -> [(open: Int, close: Int)] { parens[ParenKey(e)] ?? [] }
}

/// Identifies an expression node by its offset and its kind (two nodes may share an offset:
/// `($x | cat)` starts the pipeline and `$x` at the same byte).
public struct ParenKey: Hashable {
    let offset: Int
    let kind: Int

    public init(_ e: Expr) {
        offset = e.offset
        switch e {
        case .literal: kind = 0
        case .variable: kind = 1
        case .interpolation: kind = 2
        case .list: kind = 3
        case .map: kind = 4
        case .unaryMinus: kind = 5
        case .not: kind = 6
        case .and: kind = 7
        case .or: kind = 8
        case .binary: kind = 9
        case .member: kind = 10
        case .index: kind = 11
        case .call: kind = 12
        case .namedCall: kind = 13
        case .methodCall: kind = 14
        case .command: kind = 15
        case .pipeline: kind = 16
        case .function: kind = 17
        case .functionRef: kind = 18
        }
    }
}

extension Parser {
    /// Parses a whole program, recovering after errors as `--check` does, and records its layout
    /// in `trivia` when one is given. Returns the statements that parsed and every syntax error.
    public static func parseRecovering(_ file: SourceFile, trivia: SyntaxTrivia? = nil) -> (stmts: [Stmt], errors: [SyntaxError]) {
        var p = Parser(file: file, trivia: trivia)
        let stmts = p.parseProgram()
        return (stmts, p.errors)
    }

    /// Parses a whole program and records its layout in `trivia`. Throws `SyntaxErrors`.
    public static func parse(_ file: SourceFile, trivia: SyntaxTrivia) throws -> [Stmt] {
        let (stmts, errors) = parseRecovering(file, trivia: trivia)
        if !errors.isEmpty { throw SyntaxErrors(errors: errors) }
        return stmts
    }
}
