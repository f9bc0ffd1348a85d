// CursorName: the name under a cursor — a `$variable` or a command, function or keyword name
// (with inner dashes: `wait-healthy`) — for hover in the language server and inspection in the
// Jupyter kernel. Must not: decide what the name refers to.

/// A name in a text and where it is (byte offsets; a variable's span includes its `$`).
public struct CursorName: Equatable {
    public var name: String
    public var isVariable: Bool
    public var start: Int
    public var end: Int

    static func isNameByte(_ c: UInt8, dash: Bool) -> Bool {
        (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c == 95 || (dash && c == 45)
    }

    /// The name around byte `offset` of `bytes` (the cursor may sit just after it), or nil.
    public static func at(_ offset: Int, in bytes: [UInt8]) -> CursorName? {
        var o = max(0, min(offset, bytes.count))
        if o == bytes.count || !isNameByte(bytes[o], dash: false) {
            if o > 0, isNameByte(bytes[o - 1], dash: false) { o -= 1 } else if o < bytes.count, bytes[o] == 36 { o += 1 } else { return nil }
        }
        guard o < bytes.count, isNameByte(bytes[o], dash: true) else { return nil }
        var a = o
        while a > 0, isNameByte(bytes[a - 1], dash: true) { a -= 1 }
        var b = o
        while b < bytes.count, isNameByte(bytes[b], dash: true) { b += 1 }
        // `$a-b` is the variable `$a` then text: variables have no dashes.
        if let dollar = (0..<o).reversed().first(where: { !isNameByte(bytes[$0], dash: false) }), bytes[dollar] == 36 {
            a = dollar + 1
            b = a
            while b < bytes.count, isNameByte(bytes[b], dash: false) { b += 1 }
            guard a <= o, o < b else { return nil }
            return CursorName(name: String(decoding: bytes[a..<b], as: UTF8.self), isVariable: true, start: dollar, end: b)
        }
        while a < o, bytes[a] == 45 { a += 1 }
        guard a < b, !(bytes[a] >= 48 && bytes[a] <= 57) else { return nil }
        return CursorName(name: String(decoding: bytes[a..<b], as: UTF8.self), isVariable: false, start: a, end: b)
    }
}
