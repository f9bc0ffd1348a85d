// Parser+Commands: command mode — `name word word ...` where bare words are strings (or
// numbers that keep their spelling), `-x`/`--name[=v]` are options, `>`/`<`/`2>&1`... at the
// start of a word are redirections, and `$var...`, `(...)`, quotes, `[...]`, `{...}` are values.
// Words are scanned from raw bytes because their rules differ from expressions.
// Must not: decide what options mean (the Binder does, from the command's signature).

extension Parser {
    private enum Piece {
        case bare(String)
        case value(Expr)
    }

    /// Parses a command's arguments; the command name (ending at `prevEnd`) is already consumed.
    mutating func parseCommand(name: String, start: Int, inParens: Bool = false, hostOnly: Bool = false) throws -> CommandCall {
        lx.pos = prevEnd
        var args: [CommandArg] = []
        var redirections: [Redirection] = []
        let bytes = file.bytes
        var lastEnd = prevEnd
        while true {
            lx.skipBlanks()
            let p = lx.pos
            if p >= lx.limit { break }
            let c = bytes[p]
            if c == 10 {
                if inParens || skipNewlines.last == true { lx.pos += 1; continue }
                break
            }
            if c == 59 || c == 41 || c == 125 || c == 124 { break } // ; ) } |
            if let (kind, length) = try redirectOperator(at: p) {
                redirections.append(try parseRedirection(kind, at: p, length: length))
                if let t = trivia { t.wordEnds[p] = lx.pos; lastEnd = lx.pos }
                continue
            }
            if c == 123 { // '{': a block argument
                relex(from: p)
                let body = try parseBlock()
                lx.pos = prevEnd
                args.append(.value(.function(FunctionDecl(name: "block", params: [], body: body, offset: p, isBlock: true)), raw: nil, offset: p))
                if let t = trivia { t.wordEnds[p] = lx.pos; lastEnd = lx.pos }
                continue
            }
            if c == 91 { // '[': a list literal
                relex(from: p)
                let e = try parsePostfix(try parseListLiteral())
                lx.pos = prevEnd
                args.append(.value(e, raw: nil, offset: p))
                if let t = trivia { t.wordEnds[p] = lx.pos; lastEnd = lx.pos }
                continue
            }
            let before = lx.pos
            let word = try parseWord()
            // Every word consumes input; anything else would loop forever on hostile bytes.
            guard lx.pos > before else { throw error("unexpected character in the arguments of \(name)", at: before) }
            args.append(word)
            if let t = trivia { t.wordEnds[before] = lx.pos; lastEnd = lx.pos }
        }
        if let t = trivia { t.commandEnds[start] = lastEnd }
        relex(from: lx.pos)
        return CommandCall(name: name, args: args, offset: start, hostOnly: hostOnly, redirections: redirections)
    }

    /// The redirection operator starting a word at `p` and its length, or nil when the word is not one.
    func redirectOperator(at p: Int) throws -> (RedirectKind, Int)? {
        let b = file.bytes
        func at(_ i: Int) -> UInt8 { i < lx.limit ? b[i] : 0 }
        func word(_ s: String) -> Bool {
            let u = Array(s.utf8)
            return p + u.count <= lx.limit && Array(b[p..<(p + u.count)]) == u
        }
        switch at(p) {
        case 50: // 2
            if word("2>&1") { return (.stderrToStdout, 4) }
            if word("2>>") { return (.stderrAppend, 3) }
            if word("2>&") { throw error("only 2>&1 and >&2 are supported among descriptor redirections", at: p) }
            if word("2>") { return (.stderr, 2) }
        case 49: // 1
            if word("1>&2") { return (.stdoutToStderr, 4) }
            if word("1>>") { return (.stdoutAppend, 3) }
            if word("1>&") { throw error("only 2>&1 and >&2 are supported among descriptor redirections", at: p) }
            if word("1>") { return (.stdout, 2) }
        case 38: // &
            if word("&>>") { return (.bothAppend, 3) }
            if word("&>") { return (.both, 2) }
        case 62: // >
            if word(">&2") { return (.stdoutToStderr, 3) }
            if word(">&") { throw error("only 2>&1 and >&2 are supported among descriptor redirections", at: p) }
            if word(">>") { return (.stdoutAppend, 2) }
            return (.stdout, 1)
        case 60: // <
            if word("<<") {
                throw error("here-documents (<<) are not dks: pipe a value into the command instead, as in $text | ^cat", at: p)
            }
            return (.stdin, 1)
        default: break
        }
        return nil
    }

    /// A redirection: the operator at `at` (`length` bytes), then its file — attached (`>out.txt`)
    /// or the next word (`> $path`).
    private mutating func parseRedirection(_ kind: RedirectKind, at p: Int, length: Int) throws -> Redirection {
        lx.pos = p + length
        guard kind.takesPath else { return Redirection(kind: kind, target: nil, offset: p) }
        lx.skipBlanks()
        let q = lx.pos
        let bytes = file.bytes
        let missing = q >= lx.limit || [10, 59, 41, 125, 124, 60, 62].contains(bytes[q])
        if missing { throw error("expected a file after '\(kind.rawValue)', as in \(kind.rawValue) out.txt", at: p) }
        let target: Expr
        switch try parseWord() {
        case .value(let e, _, _): target = e
        case .option(_, _, _, let raw, let o): target = .literal(.string(raw), offset: o)
        case .endOfOptions(let o): target = .literal(.string("--"), offset: o)
        }
        guard lx.pos > q else { throw error("expected a file after '\(kind.rawValue)'", at: p) }
        return Redirection(kind: kind, target: target, offset: p)
    }

    /// One word: adjacent pieces (bare text, quoted strings, `$var.member`, `(...)`, `${...}`) with no space between.
    private mutating func parseWord() throws -> CommandArg {
        let bytes = file.bytes
        let wordStart = lx.pos
        var pieces: [Piece] = []
        while lx.pos < lx.limit {
            let p = lx.pos
            let c = bytes[p]
            if c == 32 || c == 9 || c == 13 || c == 10 || c == 59 || c == 41 || c == 125 || c == 124 { break }
            if isContinuation(bytes, p) { break } // line continuation
            if c == 34 || c == 39 { // a quoted string
                relex(from: p)
                pieces.append(.value(try parsePrimary()))
                lx.pos = prevEnd
                continue
            }
            if c == 36, p + 1 < lx.limit, Lexer.isNameStart(bytes[p + 1]) { // $var with attached .member [index] (args)
                relex(from: p)
                let e = try parsePostfix(try parsePrimary(), inWord: true)
                lx.pos = prevEnd
                pieces.append(.value(e))
                continue
            }
            if c == 36, p + 1 < lx.limit, bytes[p + 1] == 123 { // ${expr}
                guard let close = lx.matchingBrace(from: p + 2) else {
                    throw error("unterminated ${...}: the '${' here has no matching '}'", at: p)
                }
                let e = try stringExpr([StringPartBox(part: .expression(start: p + 2, end: close))], offset: p)
                pieces.append(.value(e))
                lx.pos = close + 1
                continue
            }
            if c == 40 { // (statement) with attached parts
                relex(from: p)
                let e = try parsePostfix(try parseParenthesized(), inWord: true)
                lx.pos = prevEnd
                pieces.append(.value(e))
                continue
            }
            // Bare text up to the next delimiter or piece.
            var q = p
            while q < lx.limit {
                let d = bytes[q]
                if d == 32 || d == 9 || d == 13 || d == 10 || d == 59 || d == 41 || d == 125 || d == 40 || d == 34 || d == 39 || d == 124 { break }
                if d == 36, q + 1 < lx.limit, Lexer.isNameStart(bytes[q + 1]) || bytes[q + 1] == 123 { break }
                if isContinuation(bytes, q) { break }
                q += 1
            }
            let text = String(decoding: bytes[p..<q], as: UTF8.self)
            if case .bare(let prev)? = pieces.last { pieces[pieces.count - 1] = .bare(prev + text) } else { pieces.append(.bare(text)) }
            lx.pos = q
        }
        let raw = String(decoding: bytes[wordStart..<lx.pos], as: UTF8.self)
        return classify(pieces, raw: raw, offset: wordStart)
    }

    /// `\` then a newline (or CR LF): exactly what `Lexer.skipBlanks` consumes as a continuation.
    private func isContinuation(_ bytes: [UInt8], _ i: Int) -> Bool {
        guard i + 1 < lx.limit, bytes[i] == 92 else { return false }
        if bytes[i + 1] == 10 { return true }
        return bytes[i + 1] == 13 && i + 2 < lx.limit && bytes[i + 2] == 10
    }

    private func classify(_ pieces: [Piece], raw: String, offset: Int) -> CommandArg {
        if case .bare(let first)? = pieces.first {
            let u = Array(first.utf8)
            if pieces.count == 1, first == "--" { return .endOfOptions(offset: offset) }
            let isLong = u.count > 2 && u[0] == 45 && u[1] == 45 && Lexer.isNameStart(u[2])
            let isShort = !isLong && u.count > 1 && u[0] == 45 && Lexer.isNameStart(u[1])
            if isLong || isShort {
                let body = String(first.dropFirst(isLong ? 2 : 1))
                if let eq = body.firstIndex(of: "=") {
                    let name = String(body[body.startIndex..<eq])
                    let restText = String(body[body.index(after: eq)...])
                    var parts: [Piece] = restText.isEmpty ? [] : [.bare(restText)]
                    parts.append(contentsOf: pieces.dropFirst())
                    let value = parts.isEmpty ? Expr.literal(.string(""), offset: offset) : join(parts, offset: offset, numbers: true)
                    return .option(name: name, isShort: isShort, inlineValue: value, raw: raw, offset: offset)
                }
                if pieces.count == 1 {
                    return .option(name: body, isShort: isShort, inlineValue: nil, raw: raw, offset: offset)
                }
            }
        }
        return .value(join(pieces, offset: offset, numbers: true), raw: pieces.count == 1 ? bareText(pieces[0]) : nil, offset: offset)
    }

    private func bareText(_ p: Piece) -> String? {
        if case .bare(let s) = p { return s }
        return nil
    }

    /// The value of a word's pieces: one piece keeps its type; bare text may be a number; several join as a string.
    private func join(_ pieces: [Piece], offset: Int, numbers: Bool) -> Expr {
        if pieces.count == 1 {
            switch pieces[0] {
            case .value(let e): return e
            case .bare(let s):
                if numbers, let n = Parser.numberLiteral(s) { return .literal(NumberWord.value(n, spelling: s), offset: offset) }
                // Keywords are reserved words, not bare words: `assert false`, `--rm true`.
                switch s {
                case "true": return .literal(.bool(true), offset: offset)
                case "false": return .literal(.bool(false), offset: offset)
                case "null": return .literal(.null, offset: offset)
                default: break
                }
                return .literal(.string(s), offset: offset)
            }
        }
        return .interpolation(pieces.map { p -> InterpolationPart in
            switch p {
            case .bare(let s): return .text(s)
            case .value(let e): return .expr(e)
            }
        }, offset: offset)
    }

    /// The number a word spells exactly (`42`, `-5`, `1_000`, `0x1f`, `3.14`, `1e9`), else nil.
    static func numberLiteral(_ s: String) -> Value? {
        var text = Substring(s)
        var negative = false
        if text.first == "-" { negative = true; text = text.dropFirst() }
        guard let f = text.utf8.first, Lexer.isDigit(f) else { return nil }
        let src = SourceFile(name: "", text: String(text))
        var lx = Lexer(file: src)
        let t = lx.next()
        guard t.end == src.bytes.count else { return nil }
        switch t.kind {
        case .int(let i): return .int(negative ? -i : i)
        case .float(let d): return .float(negative ? -d : d)
        default: return nil
        }
    }
}
