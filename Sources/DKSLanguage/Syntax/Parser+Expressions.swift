// Parser+Expressions: expression mode — operators by precedence, postfix member/index/call,
// literals, maps, lists, function literals and string interpolation.
// Must not: parse command words (Parser+Commands does).

extension Parser {
    /// `or` (lowest) ... postfix (highest).
    mutating func parseExpression() throws -> Expr {
        try enter(tok.start)
        defer { depth -= 1 }
        return try parseOr()
    }

    mutating func parseOr() throws -> Expr {
        var left = try parseAnd()
        while isKeyword("or") {
            let o = tok.start
            advance()
            left = .or(left, try parseAnd(), offset: o)
        }
        return left
    }

    mutating func parseAnd() throws -> Expr {
        var left = try parseNot()
        while isKeyword("and") {
            let o = tok.start
            advance()
            left = .and(left, try parseNot(), offset: o)
        }
        return left
    }

    mutating func parseNot() throws -> Expr {
        if isKeyword("not") {
            let o = tok.start
            try enter(o)
            defer { depth -= 1 }
            advance()
            return .not(try parseNot(), offset: o)
        }
        return try parseComparison()
    }

    mutating func parseComparison() throws -> Expr {
        var left = try parseRange()
        while true {
            let op: BinaryOp
            if case .punct(let p) = tok.kind, ["==", "!=", "<", "<=", ">", ">="].contains(p), let o = BinaryOp(rawValue: p) {
                op = o
            } else if isKeyword("in") {
                op = .inOp
            } else if isKeyword("not") {
                // `x not in y`
                var peek = lx
                guard case .keyword("in") = peek.next().kind else { return left }
                let o = tok.start
                advance(); advance()
                left = .not(.binary(.inOp, left, try parseRange(), offset: o), offset: o)
                continue
            } else {
                return left
            }
            let o = tok.start
            advance()
            left = .binary(op, left, try parseRange(), offset: o)
        }
    }

    mutating func parseRange() throws -> Expr {
        let left = try parseAdditive()
        if case .punct(let p) = tok.kind, p == ".." || p == "..<" {
            let o = tok.start
            advance()
            return .binary(p == ".." ? .rangeIncl : .rangeExcl, left, try parseAdditive(), offset: o)
        }
        return left
    }

    mutating func parseAdditive() throws -> Expr {
        var left = try parseMultiplicative()
        while case .punct(let p) = tok.kind, p == "+" || p == "-" {
            let o = tok.start
            advance()
            left = .binary(p == "+" ? .add : .sub, left, try parseMultiplicative(), offset: o)
        }
        return left
    }

    mutating func parseMultiplicative() throws -> Expr {
        var left = try parseUnary()
        while case .punct(let p) = tok.kind, let op = BinaryOp(rawValue: p), [.mul, .div, .floorDiv, .mod].contains(op) {
            let o = tok.start
            advance()
            left = .binary(op, left, try parseUnary(), offset: o)
        }
        return left
    }

    mutating func parseUnary() throws -> Expr {
        if isPunct("-") {
            let o = tok.start
            try enter(o)
            defer { depth -= 1 }
            advance()
            let operand = try parseUnary()
            // Fold literals so `-9223372036854775808`-style edge cases and constants stay cheap.
            if case .literal(.int(let i), _) = operand, i != Int.min { return .literal(.int(-i), offset: o) }
            if case .literal(.float(let d), _) = operand { return .literal(.float(-d), offset: o) }
            return .unaryMinus(operand, offset: o)
        }
        return try parsePostfix(try parsePrimary())
    }

    /// `.name`, `.name(args)`, `[index]`, `(args)` attached to the value before them.
    mutating func parsePostfix(_ base: Expr, inWord: Bool = false) throws -> Expr {
        var e = base
        while true {
            // In a command word, `$file.` followed by anything but a name is text (`echo $x.`).
            if inWord, isPunct("."), !Lexer.isNameStart(lx.at(tok.end)) { return e }
            if isPunct("."), !tok.spaceBefore {
                let o = tok.start
                advance()
                let name: String
                switch tok.kind {
                case .name(let n), .keyword(let n): name = n
                case .int(let i): name = String(i)
                default: throw error("expected a member name after '.', found \(describe(tok))", at: tok.start)
                }
                advance()
                if isPunct("("), !tok.spaceBefore {
                    if let t = trivia { t.argumentOpens[o] = tok.start }
                    e = .methodCall(e, name, try parseCallArgs(), offset: o)
                } else {
                    e = .member(e, name, offset: o)
                }
            } else if isPunct("["), !tok.spaceBefore {
                let o = tok.start
                skipNewlines.append(true)
                advance()
                if isPunct("]") { throw error("expected an index inside [ ]", at: tok.start) }
                let index = try parseExpression()
                guard isPunct("]") else {
                    if atEOF { throw error("unterminated index: the '[' here has no matching ']'", at: o) }
                    throw error("expected ']' after the index, found \(describe(tok))", at: tok.start)
                }
                skipNewlines.removeLast()
                if let t = trivia { t.closes[o] = tok.start }
                advance()
                e = .index(e, index, offset: o)
            } else if isPunct("("), !tok.spaceBefore {
                let o = tok.start
                if let t = trivia { t.argumentOpens[o] = o }
                e = .call(e, try parseCallArgs(), offset: o)
            } else {
                return e
            }
        }
    }

    /// `(a, b, key: c)`.
    mutating func parseCallArgs() throws -> [CallArg] {
        let open = tok.start
        skipNewlines.append(true)
        advance()
        var args: [CallArg] = []
        while !isPunct(")") {
            if atEOF { throw error("unterminated call: the '(' here has no matching ')'", at: open) }
            try checkInvalid()
            let o = tok.start
            var label: String?
            if case .name(let n) = tok.kind {
                var peek = lx
                if case .punct(":") = peek.next().kind { label = n; advance(); advance() }
            } else if case .keyword(let n) = tok.kind, n != "not", n != "fn", n != "true", n != "false", n != "null" {
                var peek = lx
                if case .punct(":") = peek.next().kind { label = n; advance(); advance() }
            }
            args.append(CallArg(label: label, value: try parseExpression(), offset: o))
            if isPunct(",") { advance() } else if !isPunct(")") {
                if atEOF { throw error("unterminated call: the '(' here has no matching ')'", at: open) }
                throw error("expected ',' or ')' in the argument list, found \(describe(tok))", at: tok.start)
            }
        }
        skipNewlines.removeLast()
        if let t = trivia { t.closes[open] = tok.start }
        advance()
        return args
    }

    mutating func parsePrimary() throws -> Expr {
        try checkInvalid()
        let o = tok.start
        switch tok.kind {
        case .int(let i): advance(); return .literal(.int(i), offset: o)
        case .float(let d): advance(); return .literal(.float(d), offset: o)
        case .string(let parts): advance(); return try stringExpr(parts, offset: o)
        case .variable(let v): advance(); return .variable(v, offset: o)
        case .keyword("true"): advance(); return .literal(.bool(true), offset: o)
        case .keyword("false"): advance(); return .literal(.bool(false), offset: o)
        case .keyword("null"): advance(); return .literal(.null, offset: o)
        case .keyword("fn"):
            advance()
            return .function(try parseFunctionRest(start: o))
        case .name(let n):
            if nameIsCall() {
                advance()
                if let t = trivia { t.argumentOpens[o] = tok.start }
                return .namedCall(n, try parseCallArgs(), offset: o)
            }
            advance()
            if looksLikeCommandArguments() { throw commandInExpression(at: o) }
            return .functionRef(n, offset: o)
        case .punct("("):
            return try parseParenthesized()
        case .punct("["):
            return try parseListLiteral()
        case .punct("{"):
            return try parseMapLiteral()
        default:
            if atEOF || atNewline { throw error("expected a value, found \(describe(tok))", at: o) }
            throw error("expected a value, found \(describe(tok))", at: o)
        }
    }

    /// `( STATEMENT )`: a command or an expression.
    mutating func parseParenthesized() throws -> Expr {
        let open = tok.start
        try enter(open)
        defer { depth -= 1 }
        skipNewlines.append(true)
        advance()
        let inner: Expr
        if let head = try commandHead() {
            inner = try parseCommandForm(head, inParens: true).expr
        } else {
            let s = tok.start
            let e = try parseExpression()
            inner = atPipe ? try continuePipeline([.value(e)], start: s, inParens: true).expr : e
        }
        guard isPunct(")") else {
            if atEOF { throw error("unterminated parenthesis: the '(' here has no matching ')'", at: open) }
            throw error("expected ')', found \(describe(tok))", at: tok.start)
        }
        skipNewlines.removeLast()
        if let t = trivia { t.closes[open] = tok.start; t.addParen(around: inner, open: open, close: tok.start) }
        advance()
        return inner
    }

    mutating func parseListLiteral() throws -> Expr {
        let open = tok.start
        try enter(open)
        defer { depth -= 1 }
        skipNewlines.append(true)
        advance()
        var items: [Expr] = []
        while !isPunct("]") {
            if atEOF { throw error("unterminated list: the '[' here has no matching ']'", at: open) }
            items.append(try parseExpression())
            if isPunct(",") { advance() } else if !isPunct("]") {
                if atEOF { throw error("unterminated list: the '[' here has no matching ']'", at: open) }
                throw error("expected ',' or ']' in the list, found \(describe(tok))", at: tok.start)
            }
        }
        skipNewlines.removeLast()
        if let t = trivia { t.closes[open] = tok.start }
        advance()
        return .list(items, offset: open)
    }

    mutating func parseMapLiteral() throws -> Expr {
        let open = tok.start
        try enter(open)
        defer { depth -= 1 }
        skipNewlines.append(true)
        advance()
        var entries: [(key: Expr, value: Expr)] = []
        while !isPunct("}") {
            if atEOF { throw error("unterminated map: the '{' here has no matching '}'", at: open) }
            try checkInvalid()
            let ko = tok.start
            let key: Expr
            switch tok.kind {
            case .name(let n), .keyword(let n):
                advance()
                key = .literal(.string(n), offset: ko)
            default:
                key = try parseRange()
            }
            guard isPunct(":") else {
                if atEOF { throw error("unterminated map: the '{' here has no matching '}'", at: open) }
                throw error("expected ':' after the map key, found \(describe(tok))", at: tok.start)
            }
            advance()
            entries.append((key, try parseExpression()))
            if isPunct(",") { advance() } else if !isPunct("}") {
                if atEOF { throw error("unterminated map: the '{' here has no matching '}'", at: open) }
                throw error("expected ',' or '}' in the map, found \(describe(tok))", at: tok.start)
            }
        }
        skipNewlines.removeLast()
        if let t = trivia { t.closes[open] = tok.start }
        advance()
        return .map(entries, offset: open)
    }

    /// A string token's parts as a literal or an interpolation.
    func stringExpr(_ parts: [StringPartBox], offset: Int) throws -> Expr {
        if parts.count == 1, case .text(let s) = parts[0].part { return .literal(.string(s), offset: offset) }
        var out: [InterpolationPart] = []
        var pending = parts
        var i = 0
        while i < pending.count {
            let p = pending[i]
            i += 1
            switch p.part {
            case .text(let s): out.append(.text(s))
            case .variable(let v, let o):
                // `"$web.name"`: `.name` parts right after the variable may read members (decided at run time).
                if i < pending.count, case .text(let after) = pending[i].part, let (names, rest) = Parser.memberChain(after) {
                    out.append(.dotted(.variable(v, offset: o), names, offset: o))
                    pending[i] = StringPartBox(part: .text(rest))
                    continue
                }
                out.append(.expr(.variable(v, offset: o)))
            case .expression(let start, let end):
                var sub = Parser(file: file, start: start, end: end)
                sub.skipNewlines = [true]
                sub.relex(from: start)
                sub.depth = depth
                if sub.atEOF { throw error("empty ${} in string", at: start) }
                let e: Expr
                if let head = try sub.commandHead() {
                    e = try sub.parseCommandForm(head, inParens: true).expr
                } else {
                    let s = sub.tok.start
                    let x = try sub.parseExpression()
                    e = sub.atPipe ? try sub.continuePipeline([.value(x)], start: s, inParens: true).expr : x
                }
                if !sub.atEOF { throw sub.error("unexpected \(sub.describe(sub.tok)) in ${...}", at: sub.tok.start) }
                out.append(.expr(e))
            }
        }
        return .interpolation(out.filter { if case .text("") = $0 { return false }; return true }, offset: offset)
    }

    /// The `.name` parts at the start of `text` (`.name.first` of `"$web.name.first is"`), and the text after them.
    static func memberChain(_ text: String) -> ([String], String)? {
        let u = Array(text.utf8)
        var names: [String] = []
        var i = 0
        while i + 1 < u.count, u[i] == 46, Lexer.isNameStart(u[i + 1]) {
            var j = i + 1
            while j < u.count, Lexer.isNameChar(u[j]) { j += 1 }
            names.append(String(decoding: u[(i + 1)..<j], as: UTF8.self))
            i = j
        }
        if names.isEmpty { return nil }
        return (names, String(decoding: u[i...], as: UTF8.self))
    }
}

extension Parser {
    /// After a bare name in an expression: does what follows read as that command's arguments
    /// (`ps -a`, `run -d img`, `upper $s`, `len "abc"`) rather than an operator or the end of
    /// the value? Then the user wrote a command where an expression is read.
    func looksLikeCommandArguments() -> Bool {
        guard tok.spaceBefore else { return false }
        switch tok.kind {
        case .name, .variable, .string, .int, .float:
            return true
        case .punct("-"):
            // `-a`, `--all`: an option word (a minus with a space after it is subtraction).
            let next = lx.at(tok.end)
            return next != 32 && next != 9 && next != 10 && next != 13 && next != 0
        case .punct("["), .punct("("):
            return true
        default:
            return false
        }
    }

    /// Whether an operator word of expression mode (`==`, `and`, `+` ...) followed by a blank starts at `i`.
    static func operatorWord(_ bytes: [UInt8], at i: Int) -> Bool {
        for op in ["==", "!=", "<=", ">=", "<", ">", "+", "-", "*", "/", "//", "%", "..", "..<", "and", "or", "in", "not"] {
            let u = Array(op.utf8)
            guard i + u.count < bytes.count, Array(bytes[i..<(i + u.count)]) == u else { continue }
            let after = bytes[i + u.count]
            if after == 32 || after == 9 { return true }
        }
        return false
    }

    /// The syntax error for a command written inside an expression: name the command and show the
    /// line with the parentheses it needs (`len(ps -a)` → `len((ps -a))`).
    func commandInExpression(at start: Int) -> SyntaxError {
        let bytes = file.bytes
        var end = start
        var depth = 0
        var quote: UInt8 = 0
        scan: while end < bytes.count {
            let b = bytes[end]
            if quote == 0, depth == 0, end > start, bytes[end - 1] == 32, Parser.operatorWord(bytes, at: end) {
                break scan    // `if upper $s == "A"`: the comparison is the expression's, not an argument
            }
            if quote != 0 {
                if b == quote { quote = 0 } else if b == 92, quote == 34 { end += 1 }
            } else {
                switch b {
                case 34, 39: quote = b
                case 123 where depth == 0 && end > start && (bytes[end - 1] == 32 || bytes[end - 1] == 9):
                    break scan    // `for $c in ps -a {`: the block of the statement, not an argument
                case 40, 91, 123: depth += 1
                case 41, 93, 125:
                    if depth == 0 { break scan }
                    depth -= 1
                case 44, 59: if depth == 0 { break scan }
                case 10, 13: break scan
                default: break
                }
            }
            end += 1
        }
        var stop = end
        while stop > start, bytes[stop - 1] == 32 || bytes[stop - 1] == 9 { stop -= 1 }
        let command = String(decoding: bytes[start..<stop], as: UTF8.self)
        var lineStart = start
        while lineStart > 0, bytes[lineStart - 1] != 10 { lineStart -= 1 }
        var lineEnd = stop
        while lineEnd < bytes.count, bytes[lineEnd] != 10, bytes[lineEnd] != 13 { lineEnd += 1 }
        let before = String(decoding: bytes[lineStart..<start], as: UTF8.self).drop(while: { $0 == " " || $0 == "\t" })
        let after = String(decoding: bytes[stop..<lineEnd], as: UTF8.self)
        let fixed = before + "(" + command + ")" + after
        var message = "'\(command)' is a command: inside an expression, a command's value needs its own parentheses"
        message += fixed.count <= 100 ? ": \(fixed)" : ": (\(command))"
        return error(message, at: start)
    }
}
