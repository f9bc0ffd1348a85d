// JSON: the neutral document type shared by the engines and the json builtins (inspect documents, summaries, API bodies).
// Owns: the JSON value, its encoder and decoder. Must not: know about dks values; the
// container builtins convert JSON to and from the language's values.

/// A JSON value with insertion-ordered objects (so inspect documents keep the engine's field order).
public enum JSON: Equatable, Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSON])
    case object([(String, JSON)])

    public static func == (a: JSON, b: JSON) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.int(x), .int(y)): return x == y
        case let (.double(x), .double(y)): return x == y
        case let (.int(x), .double(y)), let (.double(y), .int(x)): return Double(x) == y
        case let (.string(x), .string(y)): return x == y
        case let (.array(x), .array(y)): return x == y
        case let (.object(x), .object(y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    /// The member `key` of an object (the first one with that key), else nil.
    public subscript(key: String) -> JSON? {
        if case .object(let fields) = self { return fields.first(where: { $0.0 == key })?.1 }
        return nil
    }

    public var stringValue: String? { if case .string(let s) = self { return s }; return nil }
    public var intValue: Int64? {
        switch self {
        case .int(let i): return i
        case .double(let d) where d.isFinite && d.rounded() == d && abs(d) < 9e18: return Int64(d)
        default: return nil
        }
    }
    public var boolValue: Bool? { if case .bool(let b) = self { return b }; return nil }
    public var arrayValue: [JSON]? { if case .array(let a) = self { return a }; return nil }
    public var objectValue: [(String, JSON)]? { if case .object(let o) = self { return o }; return nil }

    /// Replaces or appends an object member (no effect on non-objects).
    public mutating func set(_ key: String, _ value: JSON) {
        guard case .object(var fields) = self else { return }
        if let i = fields.firstIndex(where: { $0.0 == key }) { fields[i].1 = value } else { fields.append((key, value)) }
        self = .object(fields)
    }
}

// MARK: - Encoding

extension JSON {
    /// Compact JSON text.
    public func encoded() -> String {
        var out = ""
        encode(into: &out)
        return out
    }

    /// Indented JSON text (`indent` spaces per level), as `docker inspect` prints documents.
    public func encodedIndented(indent: Int = 4) -> String {
        encodedIndented(unit: String(repeating: " ", count: indent))
    }

    /// Indented JSON text with `unit` per level (`"\t"`: what Go's `json.MarshalIndent(v, "", "\t")`
    /// writes, the docker CLI's config.json). Empty arrays and objects stay `[]` and `{}`.
    public func encodedIndented(unit: String) -> String {
        var out = ""
        encodeIndented(into: &out, level: 0, unit: unit)
        return out
    }

    private func encodeIndented(into out: inout String, level: Int, unit: String) {
        let pad = String(repeating: unit, count: level + 1)
        let close = String(repeating: unit, count: level)
        switch self {
        case .array(let items) where !items.isEmpty:
            out += "[\n"
            for (i, item) in items.enumerated() {
                out += pad
                item.encodeIndented(into: &out, level: level + 1, unit: unit)
                out += i < items.count - 1 ? ",\n" : "\n"
            }
            out += close + "]"
        case .object(let fields) where !fields.isEmpty:
            out += "{\n"
            for (i, (k, v)) in fields.enumerated() {
                out += pad
                JSON.encodeString(k, into: &out)
                out += ": "
                v.encodeIndented(into: &out, level: level + 1, unit: unit)
                out += i < fields.count - 1 ? ",\n" : "\n"
            }
            out += close + "}"
        default:
            encode(into: &out)
        }
    }

    public func encode(into out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d):
            // Swift's shortest round-trip form, which keeps a float a float (`2.0`, `1e+16`).
            if d.isFinite { out += "\(d)" } else { out += "null" }
        case .string(let s): JSON.encodeString(s, into: &out)
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() { if i > 0 { out += "," }; item.encode(into: &out) }
            out += "]"
        case .object(let fields):
            out += "{"
            for (i, (k, v)) in fields.enumerated() {
                if i > 0 { out += "," }
                JSON.encodeString(k, into: &out)
                out += ":"
                v.encode(into: &out)
            }
            out += "}"
        }
    }

    public static func encodeString(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}

// MARK: - Decoding

/// A JSON syntax error with the byte offset where it was found.
public struct JSONError: Error, CustomStringConvertible {
    public let offset: Int
    public let reason: String
    public var description: String { "invalid JSON at byte \(offset): \(reason)" }
}

extension JSON {
    /// Parses JSON text strictly as RFC 8259 defines it: no leading `+` or zeros, no raw control
    /// characters in strings, only the defined escapes, one value with only whitespace around
    /// it. A number beyond a double's range is an error (never `inf`); an escaped lone UTF-16
    /// surrogate becomes U+FFFD (a string cannot hold it). Nesting deeper than 512 levels is
    /// rejected rather than overflowing the stack.
    public static func parse(_ text: String) throws -> JSON { try parse(Array(text.utf8)) }

    /// `parse` on bytes; invalid UTF-8 inside strings becomes U+FFFD.
    public static func parse(_ bytes: [UInt8]) throws -> JSON {
        var p = JSONParser(bytes: bytes)
        p.skipSpace()
        let v = try p.value(depth: 0)
        p.skipSpace()
        if p.i != bytes.count { throw JSONError(offset: p.i, reason: "unexpected text after the value") }
        return v
    }
}

private struct JSONParser {
    let bytes: [UInt8]
    var i = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func skipSpace() {
        while i < bytes.count, bytes[i] == 32 || bytes[i] == 9 || bytes[i] == 10 || bytes[i] == 13 { i += 1 }
    }

    func fail(_ reason: String) -> JSONError { JSONError(offset: i, reason: reason) }

    /// The byte at `i`, if any.
    var current: UInt8? { i < bytes.count ? bytes[i] : nil }

    mutating func expect(_ word: String) throws {
        let start = i
        for b in word.utf8 {
            guard i < bytes.count, bytes[i] == b else { i = start; throw fail("expected \(word)") }
            i += 1
        }
    }

    mutating func value(depth: Int) throws -> JSON {
        guard depth < 512 else { throw fail("nested too deeply (more than 512 levels)") }
        guard let c = current else { throw fail("unexpected end of the text, expected a value") }
        switch c {
        case UInt8(ascii: "{"):
            i += 1
            var fields: [(String, JSON)] = []
            skipSpace()
            if current == UInt8(ascii: "}") { i += 1; return .object(fields) }
            while true {
                skipSpace()
                guard current == UInt8(ascii: "\"") else { throw fail("expected a string key") }
                let key = try string()
                skipSpace()
                guard current == UInt8(ascii: ":") else { throw fail("expected ':' after an object key") }
                i += 1
                skipSpace()
                fields.append((key, try value(depth: depth + 1)))
                skipSpace()
                switch current {
                case UInt8(ascii: ","): i += 1
                case UInt8(ascii: "}"): i += 1; return .object(fields)
                case nil: throw fail("unexpected end of the text in an object")
                default: throw fail("expected ',' or '}' in an object")
                }
            }
        case UInt8(ascii: "["):
            i += 1
            var items: [JSON] = []
            skipSpace()
            if current == UInt8(ascii: "]") { i += 1; return .array(items) }
            while true {
                skipSpace()
                items.append(try value(depth: depth + 1))
                skipSpace()
                switch current {
                case UInt8(ascii: ","): i += 1
                case UInt8(ascii: "]"): i += 1; return .array(items)
                case nil: throw fail("unexpected end of the text in an array")
                default: throw fail("expected ',' or ']' in an array")
                }
            }
        case UInt8(ascii: "\""):
            return .string(try string())
        case UInt8(ascii: "t"): try expect("true"); return .bool(true)
        case UInt8(ascii: "f"): try expect("false"); return .bool(false)
        case UInt8(ascii: "n"): try expect("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try number()
        default:
            throw fail("unexpected character \(describe(c)), expected a value")
        }
    }

    func describe(_ c: UInt8) -> String {
        c >= 0x21 && c < 0x7F ? "'\(Character(Unicode.Scalar(c)))'" : "byte 0x" + String(c, radix: 16)
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`: an int when it is integral and fits in
    /// 64 bits, else a double (an error when beyond a double's range).
    mutating func number() throws -> JSON {
        let start = i
        func digits() -> Int {
            let from = i
            while let c = current, c >= 48 && c <= 57 { i += 1 }
            return i - from
        }
        if current == UInt8(ascii: "-") { i += 1 }
        let intStart = i
        let intDigits = digits()
        guard intDigits > 0 else { throw fail("expected a digit in a number") }
        if intDigits > 1, bytes[intStart] == UInt8(ascii: "0") {
            throw JSONError(offset: intStart, reason: "a number must not start with 0 (leading zeros are not JSON)")
        }
        var isInt = true
        if current == UInt8(ascii: ".") {
            i += 1
            guard digits() > 0 else { throw fail("expected a digit after the decimal point") }
            isInt = false
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            i += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { i += 1 }
            guard digits() > 0 else { throw fail("expected a digit in the exponent") }
            isInt = false
        }
        let text = String(decoding: bytes[start..<i], as: UTF8.self)
        if isInt, let v = Int64(text) { return .int(v) }
        guard let d = Double(text), d.isFinite else {
            throw JSONError(offset: start, reason: "the number \(text.count > 40 ? String(text.prefix(40)) + "..." : text) is too large for a 64-bit float")
        }
        return .double(d)
    }

    mutating func hex4() throws -> UInt32 {
        guard i + 4 <= bytes.count else { throw fail("a \\u escape needs 4 hex digits") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[i]
            let d: UInt32
            switch c {
            case 48...57: d = UInt32(c - 48)
            case 65...70: d = UInt32(c - 55)
            case 97...102: d = UInt32(c - 87)
            default: throw fail("a \\u escape needs 4 hex digits")
            }
            v = v << 4 | d
            i += 1
        }
        return v
    }

    /// A `\uXXXX` escape (the `\u` already read), joined with the low surrogate that follows
    /// a high one. A lone surrogate is U+FFFD; whatever follows it is read on its own.
    mutating func unicodeEscape() throws -> Unicode.Scalar {
        let unit = try hex4()
        switch unit {
        case 0xD800..<0xDC00:
            // A high surrogate: a low one must follow as the next escape.
            if i + 6 <= bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") {
                let save = i
                i += 2
                let low = try hex4()
                if (0xDC00..<0xE000).contains(low) {
                    return Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)) ?? "\u{FFFD}"
                }
                i = save
            }
            return "\u{FFFD}"
        case 0xDC00..<0xE000:
            return "\u{FFFD}"
        default:
            return Unicode.Scalar(unit) ?? "\u{FFFD}"
        }
    }

    mutating func string() throws -> String {
        let open = i
        i += 1 // opening quote
        var out = [UInt8]()
        while true {
            guard let c = current else { throw JSONError(offset: open, reason: "unterminated string") }
            if c == UInt8(ascii: "\"") { i += 1; break }
            if c < 0x20 {
                throw fail("a control character (\(describe(c))) must be escaped in a string")
            }
            if c != UInt8(ascii: "\\") {
                out.append(c)
                i += 1
                continue
            }
            i += 1
            guard let e = current else { throw JSONError(offset: open, reason: "unterminated string") }
            i += 1
            switch e {
            case UInt8(ascii: "n"): out.append(10)
            case UInt8(ascii: "t"): out.append(9)
            case UInt8(ascii: "r"): out.append(13)
            case UInt8(ascii: "b"): out.append(8)
            case UInt8(ascii: "f"): out.append(12)
            case UInt8(ascii: "/"): out.append(47)
            case UInt8(ascii: "\\"): out.append(92)
            case UInt8(ascii: "\""): out.append(34)
            case UInt8(ascii: "u"): out.append(contentsOf: String(Character(try unicodeEscape())).utf8)
            default:
                i -= 1
                let shown = e >= 0x21 && e < 0x7F ? "\\" + String(Character(Unicode.Scalar(e))) : "\\ followed by " + describe(e)
                throw fail("\(shown) is not a JSON escape (they are \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)")
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
