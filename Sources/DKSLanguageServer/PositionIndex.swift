// PositionIndex: converts between byte offsets in a document (what the parser speaks) and LSP
// positions (0-based line and character, the character counted in UTF-16 code units unless the
// client agreed to UTF-8).
// Owns: that conversion. Must not: parse.
import DKSSupport

struct PositionIndex {
    let bytes: [UInt8]
    let utf16: Bool
    private let lines: LineStarts
    private var lineStarts: [Int] { lines.offsets }

    init(bytes: [UInt8], utf16: Bool) {
        self.bytes = bytes
        self.utf16 = utf16
        lines = LineStarts(bytes)
    }

    /// The LSP position of a byte offset.
    func position(_ offset: Int) -> (line: Int, character: Int) {
        let off = max(0, min(offset, bytes.count))
        let lo = lines.line(of: off)
        let start = lineStarts[lo]
        if !utf16 { return (lo, off - start) }
        let text = String(decoding: bytes[start..<off], as: UTF8.self)
        return (lo, text.utf16.count)
    }

    /// The byte offset of an LSP position (clamped to the line and the document).
    func offset(line: Int, character: Int) -> Int {
        guard line >= 0 else { return 0 }
        guard line < lineStarts.count else { return bytes.count }
        let start = lineStarts[line]
        var end = line + 1 < lineStarts.count ? lineStarts[line + 1] - 1 : bytes.count
        if end > start, bytes[end - 1] == 13 { end -= 1 }
        if !utf16 { return min(start + max(0, character), end) }
        var units = 0
        var i = start
        while i < end, units < character {
            let b = bytes[i]
            let length = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4
            units += length == 4 ? 2 : 1
            i += length
        }
        return min(i, end)
    }

    /// An LSP range object.
    func range(_ start: Int, _ end: Int) -> JSON {
        .object([("start", positionJSON(start)), ("end", positionJSON(max(start, end)))])
    }

    func positionJSON(_ offset: Int) -> JSON {
        let p = position(offset)
        return .object([("line", .int(Int64(p.line))), ("character", .int(Int64(p.character)))])
    }

    /// The offset just past the word (name, `$var`, option) at `offset`, or the end of the line.
    func wordEnd(_ offset: Int) -> Int {
        var i = offset
        if i < bytes.count, bytes[i] == 36 || bytes[i] == 94 { i += 1 }
        while i < bytes.count {
            let c = bytes[i]
            let ok = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c == 95 || c == 45
            if !ok { break }
            i += 1
        }
        if i == offset {
            while i < bytes.count, bytes[i] != 10 { i += 1 }
        }
        return i
    }
}
