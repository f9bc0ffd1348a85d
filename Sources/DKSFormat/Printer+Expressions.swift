// Printer+Expressions: expressions with one space around binary operators (none around `..`
// and `..<`), the user's parentheses kept (and any that precedence needs added), literals and
// strings copied from the source token, and bracketed lists laid out on one line or one item per line.
// Must not: respell a token.
import DKSLanguage

extension Printer {
    /// One element of a bracketed list: where it starts in the source, and how to print it.
    struct Item {
        let start: Int
        let print: () -> Void
    }

    /// How tightly an expression binds (higher binds tighter); commands and pipelines always need parentheses.
    func precedence(_ e: Expr) -> Int {
        switch e {
        case .or: return 1
        case .and: return 2
        case .not(let inner, let o):
            if case .binary(.inOp, _, _, let io) = inner, io == o { return 4 } // `x not in y`
            return 3
        case .binary(let op, _, _, _):
            switch op {
            case .eq, .ne, .lt, .le, .gt, .ge, .inOp: return 4
            case .rangeIncl, .rangeExcl: return 5
            case .add, .sub: return 6
            case .mul, .div, .floorDiv, .mod: return 7
            }
        case .unaryMinus: return 8
        case .literal(_, let o):
            return o < bytes.count && bytes[o] == 45 ? 8 : 10 // a folded `-5` is a unary minus
        case .command, .pipeline: return 0
        default: return 10
        }
    }

    /// Prints `e` where an expression of at least `minimum` precedence is needed.
    func expr(_ e: Expr, _ minimum: Int) {
        let parens = trivia.parentheses(of: e)
        if !parens.isEmpty {
            for p in parens.reversed() { w.write("(", start: p.open, end: p.open + 1) }
            bare(e)
            for p in parens { w.write(")", start: p.close, end: p.close + 1) }
            return
        }
        if precedence(e) < minimum {
            w.write("(")
            bare(e)
            w.write(")")
            return
        }
        bare(e)
    }

    /// Prints `e` without parentheses of its own.
    func bare(_ e: Expr) {
        switch e {
        case .literal(_, let o):
            literal(at: o)
        case .interpolation(_, let o):
            token(at: o)
        case .variable(let name, let o):
            w.write("$" + name, start: o, end: o + 1 + name.utf8.count)
        case .functionRef(let name, let o):
            w.write(name, start: o, end: o + name.utf8.count)
        case .list(let items, let o):
            bracketed("[", "]", open: o, items.map { item in Item(start: start(of: item)) { [self] in expr(item, 1) } })
        case .map(let entries, let o):
            bracketed("{", "}", open: o, entries.map { en in
                Item(start: start(of: en.key)) { [self] in
                    expr(en.key, 5)
                    w.write(":")
                    w.space()
                    expr(en.value, 1)
                }
            })
        case .unaryMinus(let x, let o):
            w.write("-", start: o, end: o + 1)
            // `- -x`, not `--x`.
            if trivia.parentheses(of: x).isEmpty, startsWithMinus(x) { w.space() }
            expr(x, 8)
        case .not(let x, let o):
            if case .binary(.inOp, let a, let b, let io) = x, io == o {
                expr(a, 4)
                w.space()
                w.write("not in", start: o, end: o + 3)
                w.space()
                expr(b, 5)
                return
            }
            keyword("not", at: o)
            w.space()
            expr(x, 3)
        case .and(let a, let b, let o):
            expr(a, 2)
            w.space()
            keyword("and", at: o)
            w.space()
            expr(b, 3)
        case .or(let a, let b, let o):
            expr(a, 1)
            w.space()
            keyword("or", at: o)
            w.space()
            expr(b, 2)
        case .binary(let op, let a, let b, let o):
            let p = precedence(e)
            switch op {
            case .rangeIncl, .rangeExcl:
                expr(a, 6)
                w.write(op.rawValue, start: o, end: o + op.rawValue.utf8.count)
                expr(b, 6)
            default:
                expr(a, p)
                w.space()
                w.write(op.rawValue, start: o, end: o + op.rawValue.utf8.count)
                w.space()
                expr(b, p + 1)
            }
        case .member(let x, let name, _):
            expr(x, 9)
            w.write("." + name)
        case .index(let x, let i, let o):
            expr(x, 9)
            w.write("[", start: o, end: o + 1)
            expr(i, 0)
            w.write("]", start: trivia.closes[o], end: trivia.closes[o].map { $0 + 1 })
        case .call(let f, let args, let o):
            expr(f, 9)
            arguments(args, open: trivia.argumentOpens[o] ?? o)
        case .namedCall(let name, let args, let o):
            w.write(name, start: o, end: o + name.utf8.count)
            arguments(args, open: trivia.argumentOpens[o])
        case .methodCall(let x, let name, let args, let o):
            expr(x, 9)
            w.write("." + name)
            arguments(args, open: trivia.argumentOpens[o])
        case .command(let c):
            command(c)
        case .pipeline(let p):
            pipeline(p)
        case .function(let decl):
            function(decl)
        }
    }

    /// Whether an operand printed without parentheses starts with a minus sign.
    func startsWithMinus(_ e: Expr) -> Bool {
        switch e {
        case .unaryMinus: return true
        case .literal(_, let o): return o < bytes.count && bytes[o] == 45
        default: return false
        }
    }

    /// `(a, b, key: c)`.
    func arguments(_ args: [CallArg], open: Int?) {
        bracketed("(", ")", open: open, args.map { a in
            Item(start: a.offset) { [self] in
                if let label = a.label {
                    w.write(label, start: a.offset, end: a.offset + label.utf8.count)
                    w.write(":")
                    w.space()
                }
                expr(a.value, 1)
            }
        })
    }

    /// A bracketed, comma-separated list: one line, or one item per line (with a trailing comma)
    /// when the source broke the line right after the opening bracket or has comments inside.
    func bracketed(_ opener: String, _ closer: String, open: Int?, _ items: [Item]) {
        let close = open.flatMap { trivia.closes[$0] }
        var multiLine = false
        if let open, let close {
            let commented = w.hasComment(from: open, to: close)
            let firstStart = items.first?.start ?? close
            multiLine = commented || (!items.isEmpty && hasNewline(open, firstStart))
        }
        w.open(opener, at: open)
        if multiLine {
            w.indent += 1
            for item in items {
                w.flushComments(before: item.start)
                w.newline()
                item.print()
                w.write(",")
            }
            if let close { w.flushComments(before: close) }
            w.indent -= 1
            w.newline()
            w.write(closer, start: close, end: close.map { $0 + 1 }, closer: true)
            return
        }
        for (i, item) in items.enumerated() {
            if i > 0 { w.write(","); w.space() }
            item.print()
        }
        w.write(closer, start: close, end: close.map { $0 + 1 })
    }

    // MARK: Tokens from the source

    /// The token at `offset`, written exactly as in the source (a number, a string, a name).
    func token(at offset: Int) {
        var lx = Lexer(file: file, start: offset)
        let t = lx.next()
        w.write(text(t.start, t.end), start: t.start, end: t.end)
    }

    /// A literal as written: its token, or for a folded negative number (`-5`, `- 5`, `-(5)`)
    /// the minus signs, parentheses and number with the blanks between them dropped (but one
    /// kept between two minus signs: `- -5`).
    func literal(at offset: Int) {
        guard offset < bytes.count, bytes[offset] == 45 else { return token(at: offset) }
        var lx = Lexer(file: file, start: offset)
        var pieces: [String] = []
        var opened = 0
        var end = offset
        while true {
            let t = lx.next()
            let piece = text(t.start, t.end)
            pieces.append(piece)
            end = t.end
            if piece == "(" { opened += 1 }
            if piece != "-" && piece != "(" { break }
        }
        while opened > 0 {
            let t = lx.next()
            pieces.append(text(t.start, t.end))
            end = t.end
            opened -= 1
        }
        var out = ""
        for (i, p) in pieces.enumerated() {
            if i > 0, p == "-", pieces[i - 1] == "-" { out += " " }
            out += p
        }
        w.write(out, start: offset, end: end)
    }
}
