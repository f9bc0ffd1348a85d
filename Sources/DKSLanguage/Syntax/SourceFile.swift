// SourceFile: a program's text, its display name and a line table for positions.
// Owns: offset → line:col conversion and source-line lookup. Must not: parse.
import DKSSupport

/// The text of one program (a script, `-c` code, stdin, or one prompt entry).
public final class SourceFile: @unchecked Sendable {
    /// How errors name it: the script path, `<command>`, `<stdin>` or `<prompt>`.
    public let name: String
    /// The UTF-8 bytes of the program.
    public let bytes: [UInt8]
    /// Line numbers at the prompt continue across entries; this is the first line's number.
    public let firstLine: Int
    private let lineStarts: LineStarts

    public init(name: String, text: String, firstLine: Int = 1) {
        self.name = name
        self.bytes = Array(text.utf8)
        self.firstLine = firstLine
        self.lineStarts = LineStarts(bytes)
    }

    /// The 1-based line and column (in characters) of a byte offset.
    public func lineColumn(_ offset: Int) -> (line: Int, column: Int) {
        let off = max(0, min(offset, bytes.count))
        let lo = lineStarts.line(of: off)
        let start = lineStarts.offsets[lo]
        let column = String(decoding: bytes[start..<off], as: UTF8.self).count + 1
        return (lo + firstLine, column)
    }

    /// The text of the line holding `offset`, without its newline.
    public func lineText(_ offset: Int) -> String {
        let off = max(0, min(offset, bytes.count))
        var start = off
        while start > 0, bytes[start - 1] != 10 { start -= 1 }
        var end = off
        while end < bytes.count, bytes[end] != 10 { end += 1 }
        var text = String(decoding: bytes[start..<end], as: UTF8.self)
        if text.hasSuffix("\r") { text.removeLast() }
        return text
    }
}

/// A position in a source file, kept as a byte offset until someone needs line and column.
public struct SourceLoc: Sendable {
    public let file: SourceFile
    public let offset: Int
    public init(file: SourceFile, offset: Int) {
        self.file = file
        self.offset = offset
    }
    public var line: Int { file.lineColumn(offset).line }
    public var column: Int { file.lineColumn(offset).column }
    /// `path:line:col`.
    public var description: String {
        let (l, c) = file.lineColumn(offset)
        return "\(file.name):\(l):\(c)"
    }
}
