// Parser+Pipelines: where a command may start — a bare name, `^name` (always the host
// program), a program path (`./build.sh`, `/usr/bin/env`) or a program name with dots or
// pluses (`python3.11`, `g++`) — and `A | B | C` pipelines, whose first stage may be a value.
// Owns: the placement rules of redirections inside a pipeline.
// Must not: decide whether a name is a dks command or a host program (the compiler does).

extension Parser {
    /// A command (or pipeline) in a place that takes one: a statement, the right side of `=`,
    /// `return`, `throw`, `( ... )` or `${ ... }`.
    enum CommandForm {
        case command(CommandCall)
        case pipeline(Pipeline)

        var expr: Expr {
            switch self {
            case .command(let c): return .command(c)
            case .pipeline(let p): return .pipeline(p)
            }
        }

        var stmt: Stmt {
            switch self {
            case .command(let c): return .command(c)
            case .pipeline(let p): return .pipeline(p)
            }
        }
    }

    /// The head of a command at the lookahead, consumed: a bare name not followed by `(`, or a
    /// program word. Nil (nothing consumed) when the lookahead starts no command.
    mutating func commandHead() throws -> (name: String, hostOnly: Bool, start: Int)? {
        let start = tok.start
        switch tok.kind {
        case .name, .invalid, .punct("."), .punct(".."), .punct("/"): break
        default: return nil
        }
        if let word = try programWord(at: start) {
            prevEnd = word.end
            return (word.name, true, start)
        }
        if case .name(let n) = tok.kind, !nameIsCall() {
            advance()
            return (n, false, start)
        }
        return nil
    }

    /// Parses the command whose head was just consumed, and the pipeline it may start.
    mutating func parseCommandForm(_ head: (name: String, hostOnly: Bool, start: Int), inParens: Bool = false) throws -> CommandForm {
        let first = try parseCommand(name: head.name, start: head.start, inParens: inParens, hostOnly: head.hostOnly)
        return try continuePipeline([.command(first)], start: head.start, inParens: inParens)
    }

    /// Whether the lookahead is an unquoted `|` (the lexer has no token for it).
    var atPipe: Bool {
        if case .invalid = tok.kind, tok.start < lx.limit, file.bytes[tok.start] == 124 { return true }
        return false
    }

    /// Parses `| STAGE` while the lookahead is a `|`; one stage alone stays a command.
    mutating func continuePipeline(_ first: [PipeStage], start: Int, inParens: Bool) throws -> CommandForm {
        var stages = first
        while atPipe {
            let bar = tok.start
            trivia?.pipeBars.append(bar)
            relex(from: bar + 1)
            // A pipeline may continue on the next line after its `|`.
            while atNewline { advance() }
            if atPipe {
                throw error("'||' is not dks: use `or` between conditions, or try/catch around a command", at: bar)
            }
            guard let head = try commandHead() else {
                throw error("expected a command after '|', found \(describe(tok))", at: tok.start)
            }
            stages.append(.command(try parseCommand(name: head.name, start: head.start, inParens: inParens, hostOnly: head.hostOnly)))
        }
        try checkRedirections(stages)
        if stages.count == 1, case .command(let c) = stages[0] { return .command(c) }
        return .pipeline(Pipeline(stages: stages, offset: start))
    }

    /// `<` belongs to the first stage and stdout redirections to the last: in the middle of a
    /// pipeline those streams are the pipes.
    func checkRedirections(_ stages: [PipeStage]) throws {
        for (i, stage) in stages.enumerated() {
            guard case .command(let c) = stage else { continue }
            for r in c.redirections {
                if r.kind == .stdin, i > 0 {
                    throw error("'<' in the middle of a pipeline: this stage reads the stage before it; put < FILE on the first stage", at: r.offset)
                }
                if r.kind.movesStdout, i < stages.count - 1 {
                    throw error("'\(r.kind.rawValue)' in the middle of a pipeline: this stage's output feeds the next one; redirect the last stage instead", at: r.offset)
                }
            }
        }
    }

    /// A program word at `p`: `^NAME` (the name without `^`), a path starting with `/`, `./` or
    /// `../`, or a name with `.` or `+` in it (`python3.11`, `g++`). Nil for anything else.
    func programWord(at p: Int) throws -> (name: String, end: Int)? {
        let b = file.bytes
        let limit = lx.limit
        func at(_ i: Int) -> UInt8 { i < limit ? b[i] : 0 }
        // Where a program word ends: blanks, statement ends, pipes, redirections, and the
        // characters that start a value piece.
        func ends(_ c: UInt8) -> Bool {
            c == 0 || c == 32 || c == 9 || c == 13 || c == 10 || c == 59 || c == 41 || c == 125 || c == 124
                || c == 60 || c == 62 || c == 34 || c == 39 || c == 36 || c == 40
        }
        func scan(from i: Int) -> Int {
            var q = i
            while q < limit, !ends(b[q]) { q += 1 }
            return q
        }
        func text(_ from: Int, _ to: Int) -> String { String(decoding: b[from..<to], as: UTF8.self) }
        let c = at(p)
        if c == 94 { // ^
            let end = scan(from: p + 1)
            guard end > p + 1 else { throw error("'^' must be followed by a program name, as in ^ls -l", at: p) }
            return (text(p + 1, end), end)
        }
        let isPath = c == 47 || (c == 46 && (at(p + 1) == 47 || (at(p + 1) == 46 && at(p + 2) == 47)))
        if isPath {
            let end = scan(from: p)
            return (text(p, end), end)
        }
        guard Lexer.isNameStart(c) else { return nil }
        var q = p
        var dotted = false
        while q < limit {
            let d = b[q]
            if Lexer.isNameChar(d) || d == 45 { q += 1; continue }
            if d == 46 || d == 43 { dotted = true; q += 1; continue }
            break
        }
        guard dotted, ends(at(q)), at(q) != 40, at(q) != 36, at(q) != 34, at(q) != 39 else { return nil }
        return (text(p, q), q)
    }
}
