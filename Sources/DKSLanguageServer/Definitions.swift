// Definitions: the definition a name under the cursor refers to — the one in the narrowest scope
// that sees the cursor — and the comment lines above a function (its description in hover).
// Must not: guess beyond the text (a name defined by `source` is not found).
import DKSLanguage
import DKSSession

enum Definitions {
    /// The definition the identifier at `offset` refers to.
    static func definition(of word: CursorName, in doc: DocumentAnalysis, at offset: Int) -> Definition? {
        let kinds: [Definition.Kind] = word.isVariable ? [.variable, .parameter] : [.function]
        let visible = doc.definitions.filter { d in
            d.name == word.name && kinds.contains(d.kind) && d.scopeStart <= offset && offset <= d.scopeEnd
        }
        // The narrowest scope wins; in it, the first definition.
        return visible.min { a, b in
            let wa = a.scopeEnd - a.scopeStart, wb = b.scopeEnd - b.scopeStart
            return wa != wb ? wa < wb : a.offset < b.offset
        }
    }

    /// The comment lines directly above `offset`'s line (a function's description), without `#`.
    static func commentsAbove(_ offset: Int, in file: SourceFile) -> String {
        let bytes = file.bytes
        var lineStart = offset
        while lineStart > 0, bytes[lineStart - 1] != 10 { lineStart -= 1 }
        var lines: [String] = []
        var end = lineStart - 1
        while end > 0 {
            var start = end
            while start > 0, bytes[start - 1] != 10 { start -= 1 }
            let text = String(decoding: bytes[start..<end], as: UTF8.self).trimmingBlanks()
            guard text.hasPrefix("#"), !text.hasPrefix("#!") else { break }
            lines.insert(String(text.dropFirst()).trimmingBlanks(), at: 0)
            end = start - 1
        }
        return lines.joined(separator: "\n")
    }
}
