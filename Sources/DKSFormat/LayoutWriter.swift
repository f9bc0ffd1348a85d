// LayoutWriter: the output side of `dks fmt` — lines, indentation, the spaces and line breaks
// the printer asks for, the source's blank lines (at most one kept), and the comments, which it
// places where the printer says a line may break: a comment that followed code on its line stays
// at the end of the line now holding that code; one on a line of its own stays on a line of its
// own. Trailing comments on consecutive lines are aligned into one column.
// Owns: turning requests into text. Must not: know the tree (the printer walks it).
import DKSLanguage

final class LayoutWriter {
    static let indentUnit = "  "

    let bytes: [UInt8]
    private let comments: [SyntaxTrivia.Comment]
    private var printed: [Bool]
    private var firstPending = 0

    private struct Line {
        var code: String
        var comment: String?
        /// Ends inside text written as it is (a string with a line break): kept byte for byte.
        var verbatim = false
    }
    private var lines: [Line] = []
    /// The line being written ("" when nothing is on it yet).
    private var current = ""
    private var currentComment: String?
    /// The indentation level of new lines.
    var indent = 0
    private var breakPending = false
    private var spacePending = false
    /// Just after an opening bracket or brace: no blank line may follow.
    private var justOpened = true
    /// The source offset just past the last source text written.
    private(set) var lastEnd = 0

    init(bytes: [UInt8], comments: [SyntaxTrivia.Comment]) {
        self.bytes = bytes
        self.comments = comments
        self.printed = Array(repeating: false, count: comments.count)
    }

    // MARK: Requests

    /// Writes `text`; `start`/`end` are the source offsets it comes from, when it does (they
    /// decide whether a blank line is kept before it, and mark comments inside it as written).
    func write(_ text: String, start: Int? = nil, end: Int? = nil, closer: Bool = false) {
        if breakPending {
            finishLine()
            if !justOpened, !closer, !lines.isEmpty, let start, blankLine(between: lastEnd, and: start) {
                lines.append(Line(code: "", comment: nil))
            }
            breakPending = false
            spacePending = false
        }
        if current.isEmpty {
            current = String(repeating: LayoutWriter.indentUnit, count: indent)
        } else if spacePending {
            current += " "
        }
        spacePending = false
        justOpened = false
        var first = true
        for part in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if !first {
                lines.append(Line(code: current, comment: currentComment, verbatim: true))
                currentComment = nil
                current = ""
            }
            current += part
            first = false
        }
        if let start, let end {
            markPrinted(from: start, to: end)
            lastEnd = max(lastEnd, end)
        } else if let end {
            lastEnd = max(lastEnd, end)
        }
    }

    /// Writes an opening bracket: a line break right after it keeps no blank line.
    func open(_ text: String, at offset: Int?) {
        write(text, start: offset, end: offset.map { $0 + text.utf8.count })
        justOpened = true
    }

    /// One space before the next text (none at the start of a line).
    func space() { if !breakPending { spacePending = true } }

    /// A line break before the next text.
    func newline() {
        if !current.isEmpty || !lines.isEmpty { breakPending = true }
        spacePending = false
    }

    /// Writes the comments that start before `offset` and are not written yet. Call only where a
    /// line may break: a comment ends its line.
    func flushComments(before offset: Int) {
        var i = firstPending
        while i < comments.count, comments[i].start < offset {
            if !printed[i] {
                printed[i] = true
                emit(comments[i])
            }
            i += 1
        }
        while firstPending < comments.count, printed[firstPending] { firstPending += 1 }
    }

    /// Whether a comment lies between two offsets (not yet written).
    func hasComment(from start: Int, to end: Int) -> Bool {
        comments.indices.contains { comments[$0].start >= start && comments[$0].start < end && !printed[$0] }
    }

    /// The formatted text: every line, trailing comments aligned, one final newline.
    func finish() -> String {
        flushComments(before: Int.max)
        finishLine()
        while let last = lines.last, last.code.isEmpty, last.comment == nil, !last.verbatim { lines.removeLast() }
        return render()
    }

    // MARK: Comments

    private func emit(_ c: SyntaxTrivia.Comment) {
        var text = String(decoding: bytes[c.start..<c.end], as: UTF8.self)
        while let last = text.last, last == " " || last == "\t" || last == "\r" { text.removeLast() }
        let trailing = hasCodeBefore(c.start) && !current.trimmingBlanks().isEmpty && currentComment == nil
        if trailing {
            currentComment = text
            breakPending = true
            spacePending = false
            lastEnd = max(lastEnd, c.end)
            return
        }
        if !current.isEmpty || !lines.isEmpty { breakPending = true }
        write(text, start: c.start, end: c.end)
        breakPending = true
    }

    /// Whether code precedes the offset on its source line.
    private func hasCodeBefore(_ offset: Int) -> Bool {
        var i = offset - 1
        while i >= 0, bytes[i] != 10 {
            if bytes[i] != 32, bytes[i] != 9, bytes[i] != 13 { return true }
            i -= 1
        }
        return false
    }

    private func markPrinted(from start: Int, to end: Int) {
        for i in firstPending..<comments.count {
            if comments[i].start >= end { break }
            if comments[i].start >= start { printed[i] = true }
        }
    }

    // MARK: Lines

    private func finishLine() {
        if current.isEmpty && currentComment == nil { return }
        lines.append(Line(code: current, comment: currentComment))
        current = ""
        currentComment = nil
    }

    /// Whether the source has a blank line between two offsets.
    func blankLine(between a: Int, and b: Int) -> Bool {
        var newlines = 0
        var blank = false
        var i = max(0, a)
        while i < min(b, bytes.count) {
            let c = bytes[i]
            if c == 10 {
                if newlines > 0 && blank { return true }
                newlines += 1
                blank = true
            } else if c != 32 && c != 9 && c != 13 {
                blank = false
            }
            i += 1
        }
        return false
    }

    private func render() -> String {
        var out = ""
        var i = 0
        while i < lines.count {
            if lines[i].verbatim {
                out += lines[i].code + "\n"
                i += 1
                continue
            }
            guard lines[i].comment != nil, !lines[i].code.trimmingBlanks().isEmpty else {
                out += lines[i].code.trimmingTrailingBlanks() + "\n"
                i += 1
                continue
            }
            // A run of consecutive lines with trailing comments: one column for all of them.
            var j = i
            var width = 0
            while j < lines.count, lines[j].comment != nil, !lines[j].code.trimmingBlanks().isEmpty {
                width = max(width, lines[j].code.trimmingTrailingBlanks().count)
                j += 1
            }
            for k in i..<j {
                let code = lines[k].code.trimmingTrailingBlanks()
                out += code + String(repeating: " ", count: width - code.count + 2) + (lines[k].comment ?? "") + "\n"
            }
            i = j
        }
        return out
    }
}

extension String {
    func trimmingBlanks() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }

    func trimmingTrailingBlanks() -> String {
        var s = Substring(self)
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
