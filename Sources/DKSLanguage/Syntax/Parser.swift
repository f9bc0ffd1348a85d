// Parser: builds the syntax tree of a whole program before anything runs, collecting every
// syntax error (for `--check`). Statements live here; expressions and command words in the
// extensions beside it. Must not: resolve names or evaluate anything.

public struct Parser {
    let file: SourceFile
    var lx: Lexer
    /// The lookahead token (expression mode).
    var tok: Token
    /// End offset of the last consumed token.
    var prevEnd: Int
    /// Whether newlines are insignificant here: true inside ( ), [ ] and map literals, false in blocks.
    var skipNewlines: [Bool] = [false]
    var errors: [SyntaxError] = []
    /// Nesting depth, bounded so hostile input can't overflow the stack.
    var depth = 0
    /// The `{` of the block parsed last (trivia only).
    var lastBlockOpen = 0
    static let maxDepth = 200
    /// Layout records for `dks fmt` and the language server; nil in a normal parse.
    let trivia: SyntaxTrivia?

    init(file: SourceFile, start: Int = 0, end: Int? = nil, trivia: SyntaxTrivia? = nil) {
        self.file = file
        self.trivia = trivia
        self.lx = Lexer(file: file, start: start, end: end)
        self.lx.trivia = trivia
        self.tok = Token(kind: .eof, start: start, end: start, spaceBefore: false)
        self.prevEnd = start
        self.tok = lexNext()
    }

    /// Parses a whole program. Throws `SyntaxErrors` holding every error found.
    public static func parse(_ file: SourceFile) throws -> [Stmt] {
        var p = Parser(file: file)
        // A first line starting with #! is a comment (the lexer already skips '#' lines).
        let stmts = p.parseProgram()
        if !p.errors.isEmpty { throw SyntaxErrors(errors: p.errors) }
        return stmts
    }

    // MARK: Tokens

    mutating func lexNext() -> Token {
        var t = lx.next()
        if skipNewlines.last == true {
            while case .newline = t.kind { t = lx.next() }
        }
        return t
    }

    mutating func advance() {
        prevEnd = tok.end
        tok = lexNext()
    }

    /// Re-lexes the lookahead from `offset` (after a command-mode stretch, or a mode change).
    mutating func relex(from offset: Int) {
        lx.pos = offset
        tok = lexNext()
    }

    func loc(_ offset: Int) -> SourceLoc { SourceLoc(file: file, offset: offset) }

    func error(_ message: String, at offset: Int) -> SyntaxError { SyntaxError(message, at: loc(offset)) }

    func isPunct(_ p: String) -> Bool { if case .punct(let x) = tok.kind { return x == p }; return false }
    func isKeyword(_ k: String) -> Bool { if case .keyword(let x) = tok.kind { return x == k }; return false }
    var atNewline: Bool { if case .newline = tok.kind { return true }; return false }
    var atEOF: Bool { if case .eof = tok.kind { return true }; return false }

    mutating func expectPunct(_ p: String, _ what: String) throws {
        guard isPunct(p) else { throw error("expected '\(p)' \(what), found \(describe(tok))", at: tok.start) }
        advance()
    }

    func describe(_ t: Token) -> String {
        switch t.kind {
        case .name(let n): return "'\(n)'"
        case .keyword(let k): return "'\(k)'"
        case .variable(let v): return "$\(v)"
        case .int(let i): return "\(i)"
        case .float(let d): return "\(d)"
        case .string: return "a string"
        case .punct(let p): return "'\(p)'"
        case .newline: return "end of line"
        case .eof: return "end of input"
        case .invalid(let m): return m
        }
    }

    /// Throws the lexer's message when the lookahead is a lexical error.
    func checkInvalid() throws {
        if case .invalid(let m) = tok.kind { throw error(m, at: tok.start) }
    }

    mutating func enter(_ offset: Int) throws {
        depth += 1
        if depth > Parser.maxDepth { throw error("nested too deeply (more than \(Parser.maxDepth) levels)", at: offset) }
    }

    // MARK: Statements

    mutating func parseProgram() -> [Stmt] {
        var out: [Stmt] = []
        while true {
            while atNewline { advance() }
            if atEOF { break }
            do {
                out.append(try parseStatement())
                try endOfStatement()
            } catch let e as SyntaxError {
                errors.append(e)
                if !recover() { break }
            } catch {
                break
            }
        }
        return out
    }

    /// After an error: skip to the next line at the top level. Returns false when parsing should stop.
    mutating func recover() -> Bool {
        if errors.last?.message.hasPrefix("unterminated") == true || errors.count >= 50 { return false }
        skipNewlines = [false]
        depth = 0
        while !atNewline && !atEOF { advance() }
        return !atEOF
    }

    mutating func endOfStatement() throws {
        if atNewline || atEOF || isPunct("}") { return }
        try checkInvalid()
        throw error("expected the end of the statement, found \(describe(tok))", at: tok.start)
    }

    /// Statements up to a closing `}` (not consumed).
    mutating func parseBlockBody(open: Int) throws -> [Stmt] {
        var out: [Stmt] = []
        while true {
            while atNewline { advance() }
            if isPunct("}") { break }
            if atEOF { throw error("unterminated block: the '{' here has no matching '}'", at: open) }
            out.append(try parseStatement())
            try endOfStatement()
        }
        return out
    }

    /// `{ statements }`.
    mutating func parseBlock() throws -> [Stmt] {
        try checkInvalid()
        guard isPunct("{") else { throw error("expected '{' to start a block, found \(describe(tok))", at: tok.start) }
        let open = tok.start
        try enter(open)
        defer { depth -= 1 }
        skipNewlines.append(false)
        advance()
        let body = try parseBlockBody(open: open)
        skipNewlines.removeLast()
        if let t = trivia { t.closes[open] = tok.start; lastBlockOpen = open }
        advance() // '}'
        return body
    }

    /// A block that belongs to the statement at `owner` (recorded in the trivia, in order).
    mutating func parseBlock(owner: Int) throws -> [Stmt] {
        let body = try parseBlock()
        if let t = trivia { t.blockOpens[owner, default: []].append(lastBlockOpen) }
        return body
    }

    mutating func parseStatement() throws -> Stmt {
        if let head = try commandHead() { return try parseCommandForm(head).stmt }
        try checkInvalid()
        let start = tok.start
        switch tok.kind {
        case .keyword("if"): return try parseIf()
        case .keyword("while"):
            advance()
            let cond = try parseExpression()
            return .whileLoop(cond, try parseBlock(owner: start), offset: start)
        case .keyword("for"): return try parseFor()
        case .keyword("fn"):
            var peek = lx
            let next = peek.next()
            if case .name = next.kind {
                advance()
                return .function(try parseFunctionRest(start: start))
            }
            return .expression(try parseExpression())
        case .keyword("return"):
            advance()
            if atNewline || atEOF || isPunct("}") { return .returnValue(nil, offset: start) }
            return .returnValue(try parseValueSource(), offset: start)
        case .keyword("break"): advance(); return .breakLoop(offset: start)
        case .keyword("continue"): advance(); return .continueLoop(offset: start)
        case .keyword("try"): return try parseTry()
        case .keyword("throw"):
            advance()
            return .throwValue(try parseValueSource(), offset: start)
        case .keyword("defer"):
            advance()
            let open = tok.start
            let body = try parseBlock()
            return .deferBlock(FunctionDecl(name: "defer", params: [], body: body, offset: open, isBlock: true), offset: start)
        case .keyword("elif"), .keyword("else"), .keyword("catch"), .keyword("finally"):
            throw error("'\(describe(tok).dropFirst().dropLast())' without a matching '\(isKeyword("elif") || isKeyword("else") ? "if" : "try")'", at: start)
        default:
            let e = try parseExpression()
            if case .punct(let p) = tok.kind, let op = AssignOp(rawValue: p) {
                let target = try lvalue(e)
                advance()
                return .assign(target, op, try parseValueSource(), offset: start)
            }
            // `$sql | exec -i $db psql`: a value as the first stage of a pipeline.
            if atPipe { return try continuePipeline([.value(e)], start: start, inParens: false).stmt }
            return .expression(e)
        }
    }

    /// Whether the lookahead name is directly followed by `(` (an expression-mode call).
    func nameIsCall() -> Bool {
        var peek = lx
        let next = peek.next()
        if case .punct("(") = next.kind, !next.spaceBefore { return true }
        return false
    }

    /// The right side of `=`, `return` and `throw`: a command or an expression.
    mutating func parseValueSource() throws -> Expr {
        if let head = try commandHead() { return try parseCommandForm(head).expr }
        try checkInvalid()
        let start = tok.start
        let e = try parseExpression()
        if atPipe { return try continuePipeline([.value(e)], start: start, inParens: false).expr }
        return e
    }

    func lvalue(_ e: Expr) throws -> LValue {
        switch e {
        case .variable(let n, let o): return LValue(variable: n, path: [], offset: o)
        case .member(let base, let name, let o):
            var lv = try lvalue(base)
            lv.path.append(.member(name, offset: o))
            return lv
        case .index(let base, let i, let o):
            var lv = try lvalue(base)
            lv.path.append(.index(i, offset: o))
            return lv
        default:
            throw error("cannot assign to this; assign to a $variable, $var.key or $var[index]", at: e.offset)
        }
    }

    mutating func parseIf() throws -> Stmt {
        let start = tok.start
        advance()
        var branches: [(cond: Expr, body: [Stmt])] = []
        branches.append((try parseExpression(), try parseBlock(owner: start)))
        var elseBody: [Stmt]?
        while true {
            // `elif`/`else` may follow on the next line.
            var peek = lx
            var t = tok
            while case .newline = t.kind { t = peek.next() }
            guard case .keyword(let k) = t.kind, k == "elif" || k == "else" else { break }
            lx = peek
            tok = t
            advance()
            if k == "elif" {
                branches.append((try parseExpression(), try parseBlock(owner: start)))
            } else {
                if isKeyword("if") {
                    // `else if` reads as `elif`.
                    let s = try parseIf()
                    elseBody = [s]
                } else {
                    elseBody = try parseBlock(owner: start)
                }
                break
            }
        }
        return .ifElse(branches, elseBody: elseBody, offset: start)
    }

    mutating func parseFor() throws -> Stmt {
        let start = tok.start
        advance()
        guard case .variable(let first) = tok.kind else {
            throw error("expected a $variable after 'for', as in: for $x in $list { ... }", at: tok.start)
        }
        advance()
        var second: String?
        if isPunct(",") {
            advance()
            guard case .variable(let v) = tok.kind else { throw error("expected a second $variable after ','", at: tok.start) }
            second = v
            advance()
        }
        guard isKeyword("in") else { throw error("expected 'in' in the for loop, found \(describe(tok))", at: tok.start) }
        advance()
        let iterable = try parseExpression()
        return .forLoop(first, second, iterable, try parseBlock(owner: start), offset: start)
    }

    mutating func parseTry() throws -> Stmt {
        let start = tok.start
        advance()
        let body = try parseBlock(owner: start)
        var catchVar: String?
        var catchBody: [Stmt]?
        var finallyBody: [Stmt]?
        func peekKeyword(_ p: inout Parser, _ k: String) -> Bool {
            var peek = p.lx
            var t = p.tok
            while case .newline = t.kind { t = peek.next() }
            if case .keyword(k) = t.kind { p.lx = peek; p.tok = t; return true }
            return false
        }
        if peekKeyword(&self, "catch") {
            advance()
            if case .variable(let v) = tok.kind { catchVar = v; advance() }
            catchBody = try parseBlock(owner: start)
        }
        if peekKeyword(&self, "finally") {
            advance()
            finallyBody = try parseBlock(owner: start)
        }
        if catchBody == nil && finallyBody == nil {
            throw error("'try' needs a 'catch' or a 'finally' block", at: start)
        }
        return .tryCatch(body: body, catchVar: catchVar, catchBody: catchBody, finallyBody: finallyBody, offset: start)
    }

    /// After `fn` (and the name, when there is one): `($a, $b = 1) { body }`.
    mutating func parseFunctionRest(start: Int) throws -> FunctionDecl {
        var name: String?
        if case .name(let n) = tok.kind { name = n; advance() }
        guard isPunct("(") else { throw error("expected '(' and the parameters after fn\(name.map { " " + $0 } ?? "")", at: tok.start) }
        let open = tok.start
        skipNewlines.append(true)
        advance()
        var params: [(name: String, defaultValue: Expr?, offset: Int)] = []
        while !isPunct(")") {
            if atEOF { throw error("unterminated parameter list: the '(' here has no matching ')'", at: open) }
            guard case .variable(let p) = tok.kind else {
                throw error("expected a parameter like $name, found \(describe(tok))", at: tok.start)
            }
            let po = tok.start
            if params.contains(where: { $0.name == p }) { throw error("duplicate parameter $\(p)", at: po) }
            advance()
            var def: Expr?
            if isPunct("=") { advance(); def = try parseExpression() }
            params.append((p, def, po))
            if isPunct(",") { advance() } else if !isPunct(")") {
                throw error("expected ',' or ')' in the parameter list, found \(describe(tok))", at: tok.start)
            }
        }
        skipNewlines.removeLast()
        if let t = trivia { t.closes[open] = tok.start; t.argumentOpens[start] = open }
        advance()
        let body = try parseBlock(owner: start)
        return FunctionDecl(name: name ?? "fn", params: params, body: body, offset: start, isBlock: false)
    }
}
