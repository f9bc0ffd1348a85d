// Lexer: turns source bytes into tokens for expression mode, and scans the raw pieces
// of command-mode words on the parser's request (the parser chooses the mode).
// Must not: build syntax trees or decide what a name means.

public struct Lexer {
    public let file: SourceFile
    let b: [UInt8]
    /// The next byte to read.
    public var pos: Int
    /// Where lexing must stop (the end of a `${...}` range, or the end of the file).
    public let limit: Int
    /// Where skipped comments are recorded (`dks fmt`, the language server); nil in a normal parse.
    public var trivia: SyntaxTrivia?

    public init(file: SourceFile, start: Int = 0, end: Int? = nil) {
        self.file = file
        self.b = file.bytes
        self.pos = start
        self.limit = end ?? file.bytes.count
    }

    @inline(__always) func at(_ i: Int) -> UInt8 { i < limit ? b[i] : 0 }

    static func isNameStart(_ c: UInt8) -> Bool { (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95 }
    static func isNameChar(_ c: UInt8) -> Bool { isNameStart(c) || (c >= 48 && c <= 57) }
    static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }

    /// Skips spaces, tabs, comments and `\`-newline continuations (not newlines). Returns whether any was skipped.
    @discardableResult
    public mutating func skipBlanks() -> Bool {
        let start = pos
        while pos < limit {
            let c = b[pos]
            if c == 32 || c == 9 || c == 13 { pos += 1; continue }
            if c == 92, at(pos + 1) == 10 { pos += 2; continue }
            if c == 92, at(pos + 1) == 13, at(pos + 2) == 10 { pos += 3; continue }
            if c == 35 { // '#': comment to end of line
                let start = pos
                while pos < limit, b[pos] != 10 { pos += 1 }
                if let t = trivia { t.addComment(start: start, end: pos) }
                continue
            }
            break
        }
        return pos > start
    }

    /// The next token in expression mode.
    public mutating func next() -> Token {
        let space = skipBlanks()
        let start = pos
        guard pos < limit else { return Token(kind: .eof, start: pos, end: pos, spaceBefore: space) }
        let c = b[pos]
        func tok(_ k: TokenKind) -> Token { Token(kind: k, start: start, end: pos, spaceBefore: space) }
        if c == 10 { pos += 1; return tok(.newline) }
        if c == 59 { pos += 1; return tok(.newline) } // ';' separates statements like a newline
        if Lexer.isNameStart(c) {
            let name = scanName(allowDash: true)
            return tok(dksKeywords.contains(name) ? .keyword(name) : .name(name))
        }
        if c == 36 { // '$'
            if Lexer.isNameStart(at(pos + 1)) {
                pos += 1
                return tok(.variable(scanName(allowDash: false)))
            }
            pos += 1
            return tok(.invalid("'$' must be followed by a variable name, as in $name"))
        }
        if Lexer.isDigit(c) { return tok(scanNumber()) }
        if c == 34 { return tok(scanDoubleQuoted()) }
        if c == 39 { return tok(scanSingleQuoted()) }
        // Operators, longest first.
        let three = [c, at(pos + 1), at(pos + 2)]
        if three == [46, 46, 60] { pos += 3; return tok(.punct("..<")) }
        let two = String(decoding: [c, at(pos + 1)], as: UTF8.self)
        switch two {
        case "==", "!=", "<=", ">=", "//", "..", "+=", "-=", "*=":
            pos += 2
            return tok(.punct(two))
        default: break
        }
        switch c {
        case 40, 41, 91, 93, 123, 125, 44, 58, 46, 61, 60, 62, 43, 45, 42, 47, 37:
            pos += 1
            return tok(.punct(String(UnicodeScalar(c))))
        default:
            let ch = scanCharacter()
            return tok(.invalid("unexpected character '\(ch)'"))
        }
    }

    mutating func scanCharacter() -> String {
        let start = pos
        pos += 1
        while pos < limit, b[pos] & 0xC0 == 0x80 { pos += 1 }
        return String(decoding: b[start..<pos], as: UTF8.self)
    }

    /// A name: `[A-Za-z_][A-Za-z0-9_]*`, with inner dashes when `allowDash` (`wait-healthy`).
    mutating func scanName(allowDash: Bool) -> String {
        let start = pos
        while pos < limit {
            let c = b[pos]
            if Lexer.isNameChar(c) { pos += 1; continue }
            if allowDash, c == 45, Lexer.isNameChar(at(pos + 1)) { pos += 1; continue }
            break
        }
        return String(decoding: b[start..<pos], as: UTF8.self)
    }

    /// A number literal: `42`, `1_000`, `0x1f`, `0o17`, `0b101`, `3.14`, `1e9`, `2.5e-3`.
    mutating func scanNumber() -> TokenKind {
        let start = pos
        if b[pos] == 48, pos + 1 < limit, [120, 88, 111, 79, 98, 66].contains(b[pos + 1]) {
            let radix: Int = (b[pos + 1] | 0x20) == 120 ? 16 : (b[pos + 1] | 0x20) == 111 ? 8 : 2
            pos += 2
            var digits = ""
            while pos < limit, Lexer.isNameChar(b[pos]) {
                if b[pos] != 95 { digits.append(Character(UnicodeScalar(b[pos]))) }
                pos += 1
            }
            guard let v = Int(digits, radix: radix) else {
                return .invalid(digits.isEmpty || Int(digits, radix: radix) == nil && digits.allSatisfy({ $0.isHexDigit })
                    ? "integer literal \(text(start)) is too large (integers are 64-bit)" : "malformed number \(text(start))")
            }
            return .int(v)
        }
        var isFloat = false
        func digits() { while pos < limit, Lexer.isDigit(b[pos]) || (b[pos] == 95 && Lexer.isDigit(at(pos + 1))) { pos += 1 } }
        digits()
        if at(pos) == 46, Lexer.isDigit(at(pos + 1)) { isFloat = true; pos += 1; digits() }
        if at(pos) == 101 || at(pos) == 69 {
            var p = pos + 1
            if at(p) == 43 || at(p) == 45 { p += 1 }
            if Lexer.isDigit(at(p)) { isFloat = true; pos = p; digits() }
        }
        if Lexer.isNameChar(at(pos)) {
            while pos < limit, Lexer.isNameChar(b[pos]) { pos += 1 }
            return .invalid("malformed number \(text(start))")
        }
        let t = text(start).replacingAll("_", with: "")
        if isFloat {
            guard let d = Double(t) else { return .invalid("malformed number \(text(start))") }
            return .float(d)
        }
        guard let v = Int(t) else { return .invalid("integer literal \(text(start)) is too large (integers are 64-bit)") }
        return .int(v)
    }

    func text(_ start: Int) -> String { String(decoding: b[start..<pos], as: UTF8.self) }

    /// `'raw text'`: no escapes, no interpolation.
    mutating func scanSingleQuoted() -> TokenKind {
        pos += 1
        let start = pos
        while pos < limit, b[pos] != 39 { pos += 1 }
        guard pos < limit else { return .invalid("unterminated string (missing ')") }
        let s = String(decoding: b[start..<pos], as: UTF8.self)
        pos += 1
        return .string([StringPartBox(part: .text(s))])
    }

    /// `"text $var ${expr} \n"`.
    mutating func scanDoubleQuoted() -> TokenKind {
        pos += 1
        var parts: [StringPartBox] = []
        var buf: [UInt8] = []
        func flush() {
            if !buf.isEmpty { parts.append(StringPartBox(part: .text(String(decoding: buf, as: UTF8.self)))); buf.removeAll() }
        }
        while true {
            guard pos < limit else { return .invalid("unterminated string (missing \")") }
            let c = b[pos]
            if c == 34 { pos += 1; break }
            if c == 92 {
                let e = at(pos + 1)
                pos += 2
                switch e {
                case 110: buf.append(10)
                case 116: buf.append(9)
                case 114: buf.append(13)
                case 48: buf.append(0)
                case 92, 34, 36, 39: buf.append(e)
                case 10: break // backslash-newline inside a string joins the lines
                case 117:
                    guard at(pos) == 123 else { return .invalid("\\u must be written \\u{HEX}") }
                    var q = pos + 1
                    var hex = ""
                    while q < limit, b[q] != 125, hex.count <= 8 { hex.append(Character(UnicodeScalar(b[q]))); q += 1 }
                    guard at(q) == 125, let v = UInt32(hex, radix: 16), let scalar = UnicodeScalar(v) else {
                        return .invalid("invalid unicode escape \\u{\(hex)}")
                    }
                    buf.append(contentsOf: Array(String(Character(scalar)).utf8))
                    pos = q + 1
                default:
                    return .invalid("unknown escape \\\(String(UnicodeScalar(e))) (use \\\\ for a backslash)")
                }
                continue
            }
            if c == 36 {
                if Lexer.isNameStart(at(pos + 1)) {
                    flush()
                    let dollar = pos
                    pos += 1
                    parts.append(StringPartBox(part: .variable(scanName(allowDash: false), dollar)))
                    continue
                }
                if at(pos + 1) == 123 {
                    flush()
                    let exprStart = pos + 2
                    guard let close = matchingBrace(from: exprStart) else {
                        return .invalid("unterminated ${...} in string (missing })")
                    }
                    parts.append(StringPartBox(part: .expression(start: exprStart, end: close)))
                    pos = close + 1
                    continue
                }
            }
            buf.append(c)
            pos += 1
        }
        flush()
        if parts.isEmpty { parts.append(StringPartBox(part: .text(""))) }
        return .string(parts)
    }

    /// The offset of the `}` closing a `${` whose expression starts at `from`, skipping nested braces and strings.
    func matchingBrace(from: Int) -> Int? {
        var depth = 0
        var i = from
        while i < limit {
            let c = b[i]
            switch c {
            case 123: depth += 1
            case 125:
                if depth == 0 { return i }
                depth -= 1
            case 34, 39:
                i += 1
                while i < limit, b[i] != c {
                    if c == 34, b[i] == 92 { i += 1 }
                    i += 1
                }
            default: break
            }
            i += 1
        }
        return nil
    }
}

extension String {
    /// Replaces every occurrence of `target` (no Foundation needed).
    public func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var out = ""
        var rest = Substring(self)
        while let r = rest.range(of: target) {
            out += rest[rest.startIndex..<r.lowerBound]
            out += replacement
            rest = rest[r.upperBound...]
        }
        out += rest
        return out
    }
}

extension Substring {
    /// The first range of `target` (no Foundation needed).
    func range(of target: String) -> Range<Index>? {
        let t = Array(target.utf8)
        let u = self.utf8
        guard !t.isEmpty, u.count >= t.count else { return nil }
        var i = u.startIndex
        while i != u.endIndex {
            var j = i
            var k = 0
            while k < t.count, j != u.endIndex, u[j] == t[k] { j = u.index(after: j); k += 1 }
            if k == t.count { return i..<j }
            i = u.index(after: i)
        }
        return nil
    }
}
