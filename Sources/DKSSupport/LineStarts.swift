// LineStarts: where each line of a text begins, for turning byte offsets into lines.
// Owns: the table and the lookup (a binary search), shared by error positions (SourceFile) and
// the language server's position conversion. Must not: count columns (callers count them in
// what they need: characters, UTF-16 units or bytes).

public struct LineStarts: Sendable {
    /// The byte offset at which each line starts; the first is 0.
    public let offsets: [Int]

    /// Lines end at each `\n` byte (a `\r` before it stays part of the line).
    public init(_ bytes: [UInt8]) {
        var starts = [0]
        for (i, b) in bytes.enumerated() where b == 10 { starts.append(i + 1) }
        offsets = starts
    }

    /// The 0-based line holding `offset` (callers clamp it to the text first).
    public func line(of offset: Int) -> Int {
        var lo = 0, hi = offsets.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if offsets[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }
}
