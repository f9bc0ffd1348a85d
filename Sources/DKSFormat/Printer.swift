// Printer: walks a syntax tree in source order and asks the LayoutWriter for the canonical
// layout — statements one per line, blocks indented by two spaces (a block written on one line
// stays on one line), one space around binary operators, `{a: 1}` and `[1, 2]` spacing, a list,
// map or argument list broken one item per line when its source broke right after the opening
// bracket. Literals, strings and command words come from the source exactly as written.
// Statements live here; expressions and commands in the extensions beside it.
// Owns: layout decisions. Must not: change any token's spelling (the Formatter checks the tree).
import DKSLanguage

final class Printer {
    let file: SourceFile
    let bytes: [UInt8]
    let trivia: SyntaxTrivia
    let w: LayoutWriter

    init(file: SourceFile, trivia: SyntaxTrivia) {
        self.file = file
        self.bytes = file.bytes
        self.trivia = trivia
        self.w = LayoutWriter(bytes: file.bytes, comments: trivia.comments)
    }

    /// The formatted program.
    func program(_ stmts: [Stmt]) -> String {
        for s in stmts {
            w.flushComments(before: start(of: s))
            w.newline()
            statement(s)
        }
        return w.finish()
    }

    // MARK: Source helpers

    /// The source text between two offsets.
    func text(_ start: Int, _ end: Int) -> String {
        let a = max(0, min(start, bytes.count)), b = max(a, min(end, bytes.count))
        return String(decoding: bytes[a..<b], as: UTF8.self)
    }

    /// Whether the source has a line break between two offsets.
    func hasNewline(_ start: Int, _ end: Int) -> Bool {
        var i = max(0, start)
        while i < min(end, bytes.count) {
            if bytes[i] == 10 { return true }
            i += 1
        }
        return false
    }

    /// Writes a keyword or other fixed text that stands at `offset` in the source.
    func keyword(_ k: String, at offset: Int) {
        w.write(k, start: offset, end: offset + k.utf8.count)
    }

    /// The offset where a statement's text starts.
    func start(of s: Stmt) -> Int {
        switch s {
        case .expression(let e): return start(of: e)
        default: return s.offset
        }
    }

    /// The offset where an expression's text starts (its outermost parenthesis, if any).
    func start(of e: Expr) -> Int {
        if let outer = trivia.parentheses(of: e).last { return outer.open }
        switch e {
        case .and(let a, _, _), .or(let a, _, _), .binary(_, let a, _, _), .member(let a, _, _), .index(let a, _, _),
             .call(let a, _, _), .methodCall(let a, _, _, _):
            return start(of: a)
        case .pipeline(let p):
            if case .value(let v)? = p.stages.first { return min(p.offset, start(of: v)) }
            return p.offset
        default:
            return e.offset
        }
    }

    // MARK: Statements

    func statement(_ s: Stmt) {
        switch s {
        case .expression(let e):
            expr(e, 0)
        case .command(let c):
            command(c)
        case .pipeline(let p):
            pipeline(p)
        case .assign(let lv, let op, let e, _):
            lvalue(lv)
            w.space()
            w.write(op.rawValue)
            w.space()
            valueSource(e)
        case .ifElse(let branches, let elseBody, let o):
            ifChain(branches, elseBody, at: o)
        case .whileLoop(let cond, let body, let o):
            keyword("while", at: o)
            w.space()
            expr(cond, 0)
            w.space()
            block(body, open: blockOpen(o, 0))
        case .forLoop(let a, let b, let iterable, let body, let o):
            keyword("for", at: o)
            w.space()
            w.write("$" + a)
            if let b { w.write(","); w.space(); w.write("$" + b) }
            w.space()
            w.write("in")
            w.space()
            expr(iterable, 0)
            w.space()
            block(body, open: blockOpen(o, 0))
        case .breakLoop(let o):
            keyword("break", at: o)
        case .continueLoop(let o):
            keyword("continue", at: o)
        case .function(let decl):
            function(decl)
        case .returnValue(let e, let o):
            keyword("return", at: o)
            if let e { w.space(); valueSource(e) }
        case .tryCatch(let body, let v, let c, let f, let o):
            keyword("try", at: o)
            w.space()
            block(body, open: blockOpen(o, 0))
            var k = 1
            if let c {
                w.space()
                w.write("catch")
                if let v { w.space(); w.write("$" + v) }
                w.space()
                block(c, open: blockOpen(o, k))
                k += 1
            }
            if let f {
                w.space()
                w.write("finally")
                w.space()
                block(f, open: blockOpen(o, k))
            }
        case .throwValue(let e, let o):
            keyword("throw", at: o)
            w.space()
            valueSource(e)
        case .deferBlock(let decl, let o):
            keyword("defer", at: o)
            w.space()
            block(decl.body, open: decl.offset)
        }
    }

    /// The `{` of the statement's block number `index`, as recorded.
    func blockOpen(_ owner: Int, _ index: Int) -> Int? {
        guard let opens = trivia.blockOpens[owner], index < opens.count else { return nil }
        return opens[index]
    }

    func ifChain(_ branches: [(cond: Expr, body: [Stmt])], _ elseBody: [Stmt]?, at o: Int) {
        keyword("if", at: o)
        for (i, b) in branches.enumerated() {
            if i > 0 { w.space(); w.write("elif") }
            w.space()
            expr(b.cond, 0)
            w.space()
            block(b.body, open: blockOpen(o, i))
        }
        guard let elseBody else { return }
        w.space()
        w.write("else")
        w.space()
        // `else if` parses as an else block holding one if statement; it is written that way too.
        if elseBody.count == 1, case .ifElse(let bs, let eb, let io) = elseBody[0], blockOpen(o, branches.count) == nil {
            ifChain(bs, eb, at: io)
        } else {
            block(elseBody, open: blockOpen(o, branches.count))
        }
    }

    /// `$x`, `$m.key`, `$xs[0]`.
    func lvalue(_ lv: LValue) {
        w.write("$" + lv.variable, start: lv.offset, end: lv.offset + 1 + lv.variable.utf8.count)
        for step in lv.path {
            switch step {
            case .member(let name, _):
                w.write("." + name)
            case .index(let i, let o):
                w.write("[", start: o, end: o + 1)
                expr(i, 0)
                w.write("]")
            }
        }
    }

    /// The right side of `=`, `return` and `throw`: a command or pipeline as it is, else an expression.
    func valueSource(_ e: Expr) {
        if trivia.parentheses(of: e).isEmpty {
            switch e {
            case .command(let c): return command(c)
            case .pipeline(let p): return pipeline(p)
            default: break
            }
        }
        expr(e, 0)
    }

    /// `{ statements }`: on one line when the source had it on one line, else one statement per line.
    func block(_ body: [Stmt], open: Int?) {
        let close = open.flatMap { trivia.closes[$0] }
        let oneLine = open != nil && close != nil && !hasNewline(open!, close!)
        if oneLine || (body.isEmpty && !(open.map { o in close.map { w.hasComment(from: o, to: $0) } ?? false } ?? false)) {
            w.open("{", at: open)
            if !body.isEmpty {
                w.space()
                for (i, s) in body.enumerated() {
                    if i > 0 { w.write(";"); w.space() }
                    statement(s)
                }
                w.space()
            }
            w.write("}", start: close, end: close.map { $0 + 1 })
            return
        }
        w.open("{", at: open)
        w.indent += 1
        for s in body {
            w.flushComments(before: start(of: s))
            w.newline()
            statement(s)
        }
        if let close { w.flushComments(before: close) }
        w.indent -= 1
        w.newline()
        w.write("}", start: close, end: close.map { $0 + 1 }, closer: true)
    }

    /// `fn name($a, $b = 1) { ... }` (a statement), or a function literal.
    func function(_ decl: FunctionDecl) {
        keyword("fn", at: decl.offset)
        if let name = decl.name, name != "fn" { w.space(); w.write(name) }
        let open = trivia.argumentOpens[decl.offset]
        let items: [Item] = decl.params.map { p in
            Item(start: p.offset) { [self] in
                w.write("$" + p.name, start: p.offset, end: p.offset + 1 + p.name.utf8.count)
                if let d = p.defaultValue { w.space(); w.write("="); w.space(); expr(d, 0) }
            }
        }
        bracketed("(", ")", open: open, items)
        w.space()
        block(decl.body, open: blockOpen(decl.offset, 0))
    }
}
