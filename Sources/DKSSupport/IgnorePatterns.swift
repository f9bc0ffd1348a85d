// IgnorePatterns: `.dockerignore` as the docker CLI reads and matches it. Reading is
// moby/patternmatcher's ignorefile.ReadAll (a UTF-8 BOM, `#` comment lines, surrounding
// whitespace, path cleaning, one leading `/` dropped); matching is patternmatcher itself: each
// pattern is an exact, prefix (`dir/**`), suffix (`**/name`) or regular-expression match built
// the way patternmatcher builds it (`*` and `?` never cross `/`, `**` any number of directories,
// `[...]` classes and `\` escapes), `!` exceptions re-include, later patterns win, and a path
// also matches through its parent directories. Owns: those decisions, as pure functions.
// Must not: walk directories (the build context does) or decide what is always sent.

/// A `.dockerignore` that cannot be used (the docker CLI fails the build for the same reasons).
public struct IgnorePatternError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Reading an ignore file.
public enum IgnoreFile {
    /// The patterns of an ignore file, as ignorefile.ReadAll returns them: `!` kept in front.
    public static func patterns(_ bytes: [UInt8]) -> [String] {
        var data = bytes[...]
        if data.starts(with: [0xEF, 0xBB, 0xBF]) { data = data.dropFirst(3) }
        var out: [String] = []
        // bufio.ScanLines: split at \n, a \r before it dropped, a last line without \n kept.
        var lines = data.split(separator: 10, omittingEmptySubsequences: false)
        if data.last == 10 { lines.removeLast() }
        for raw in lines {
            var line = raw
            if line.last == 13 { line = line.dropLast() }
            let text = String(decoding: line, as: UTF8.self)
            if text.hasPrefix("#") { continue }
            var pattern = goTrimSpace(text)
            if pattern.isEmpty { continue }
            let invert = pattern.hasPrefix("!")
            if invert { pattern = goTrimSpace(String(pattern.dropFirst())) }
            if !pattern.isEmpty {
                pattern = GoPath.clean(pattern)
                if pattern.utf8.count > 1, pattern.hasPrefix("/") { pattern.removeFirst() }
            }
            out.append(invert ? "!" + pattern : pattern)
        }
        return out
    }
}

/// Go's strings.TrimSpace: Unicode white space at both ends.
func goTrimSpace(_ s: String) -> String {
    let scalars = Array(s.unicodeScalars)
    var start = 0, end = scalars.count
    while start < end, scalars[start].properties.isWhitespace { start += 1 }
    while end > start, scalars[end - 1].properties.isWhitespace { end -= 1 }
    var out = String.UnicodeScalarView()
    out.append(contentsOf: scalars[start..<end])
    return String(out)
}

/// One pattern of a matcher.
public final class IgnorePattern {
    /// The cleaned pattern, without its `!`.
    public let text: String
    /// A `!` pattern: it re-includes what earlier patterns excluded.
    public let isExclusion: Bool
    let dirs: [String]
    private var compiled: Compiled?

    enum Compiled {
        case exact, prefix(String), suffix(String), regex(PathRegex)
    }

    init(text: String, isExclusion: Bool) {
        self.text = text
        self.isExclusion = isExclusion
        dirs = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
    }

    /// Whether the slash-separated relative `path` matches (patternmatcher's Pattern.match).
    func match(_ path: String) throws -> Bool {
        let c: Compiled
        if let done = compiled { c = done } else {
            c = try Self.compile(text)
            compiled = c
        }
        switch c {
        case .exact: return path == text
        case .prefix(let p): return path.hasPrefix(p)
        case .suffix(let suffix):
            if path.hasSuffix(suffix) { return true }
            return suffix.hasPrefix("/") && path == String(suffix.dropFirst())
        case .regex(let r): return r.matches(path)
        }
    }

    /// patternmatcher's Pattern.compile: the same regular expression text, then its type.
    static func compile(_ pattern: String) throws -> Compiled {
        enum Detected { case exact, prefix, suffix, regex }
        var re = "^"
        var detected = Detected.exact
        let chars = Array(pattern.unicodeScalars)
        var k = 0
        var i = 0
        while k < chars.count {
            let ch = chars[k]
            k += 1
            if ch == "*" {
                if k < chars.count, chars[k] == "*" {
                    k += 1
                    if k < chars.count, chars[k] == "/" { k += 1 }
                    if k == chars.count {
                        // "**" at the end: everything below, as .gitignore.
                        if detected == .exact { detected = .prefix } else {
                            re += ".*"
                            detected = .regex
                        }
                    } else {
                        re += "(.*/)?"
                        detected = .regex
                    }
                    if i == 0 { detected = .suffix }
                } else {
                    re += "[^/]*"
                    detected = .regex
                }
            } else if ch == "?" {
                re += "[^/]"
                detected = .regex
            } else if ".+()|{}$".unicodeScalars.contains(ch) {
                re += "\\" + String(ch)
            } else if ch == "\\" {
                if k < chars.count {
                    re += "\\" + String(chars[k])
                    k += 1
                    detected = .regex
                } else {
                    re += "\\"
                }
            } else if ch == "[" || ch == "]" {
                re += String(ch)
                detected = .regex
            } else {
                re += String(ch)
            }
            i += 1
        }
        switch detected {
        case .exact: return .exact
        case .prefix: return .prefix(String(pattern.dropLast(2)))
        case .suffix: return .suffix(String(pattern.dropFirst(2)))
        case .regex:
            re += "$"
            do { return .regex(try PathRegex(re)) } catch let e as PathRegex.SyntaxError {
                throw IgnorePatternError("syntax error in pattern \(pattern): \(e.reason)")
            }
        }
    }
}

/// A list of ignore patterns, matched as moby/patternmatcher's PatternMatcher does.
public final class IgnoreMatcher {
    public let patterns: [IgnorePattern]
    /// Whether any pattern is an exception (`!`): then an excluded directory may still hold
    /// something to send.
    public let hasExclusions: Bool

    /// Per-pattern results for a directory, handed to its children (MatchInfo).
    public struct ParentResults {
        var matched: [Bool] = []
        public init() {}
    }

    /// patternmatcher.New: trims, skips empty patterns, cleans, and checks each one's syntax
    /// as filepath.Match would.
    public init(_ list: [String]) throws {
        var out: [IgnorePattern] = []
        var exclusions = false
        for raw in list {
            var p = goTrimSpace(raw)
            if p.isEmpty { continue }
            p = GoPath.clean(p)
            var exclusion = false
            if p.hasPrefix("!") {
                if p == "!" { throw IgnorePatternError("illegal exclusion pattern: \"!\"") }
                exclusion = true
                exclusions = true
                p.removeFirst()
            }
            try GlobSyntax.check(p)
            out.append(IgnorePattern(text: p, isExclusion: exclusion))
        }
        patterns = out
        hasExclusions = exclusions
    }

    /// MatchesOrParentMatches: whether `file` (slash-separated, relative) is excluded, a
    /// pattern also matching when it matches one of the file's parent directories.
    public func matchesOrParentMatches(_ file: String) throws -> Bool {
        var matched = false
        let parent = GoPath.dir(file)
        let parentDirs = parent.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        for pattern in patterns {
            if pattern.isExclusion != matched { continue }
            var match = try pattern.match(file)
            if !match && parent != "." {
                for i in parentDirs.indices {
                    match = (try? pattern.match(parentDirs[...i].joined(separator: "/"))) ?? false
                    if match { break }
                }
            }
            if match { matched = !pattern.isExclusion }
        }
        return matched
    }

    /// The older Matches (the docker CLI still uses it to decide whether the Dockerfile and
    /// `.dockerignore` need an exception): only the parent at the pattern's own depth counts.
    public func matchesOneParent(_ file: String) throws -> Bool {
        var matched = false
        let parent = GoPath.dir(file)
        let parentDirs = parent.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        for pattern in patterns {
            if pattern.isExclusion != matched { continue }
            var match = try pattern.match(file)
            if !match && parent != ".", pattern.dirs.count <= parentDirs.count {
                match = (try? pattern.match(parentDirs[0..<pattern.dirs.count].joined(separator: "/"))) ?? false
            }
            if match { matched = !pattern.isExclusion }
        }
        return matched
    }

    /// MatchesUsingParentResults: as matchesOrParentMatches, but a pattern the parent directory
    /// matched counts as matched without looking again (the walk hands each directory's results
    /// to its children).
    public func matchesUsingParentResults(_ file: String, parent: ParentResults) throws -> (Bool, ParentResults) {
        var matched = false
        var info = ParentResults()
        info.matched = Array(repeating: false, count: patterns.count)
        for (i, pattern) in patterns.enumerated() {
            var match = parent.matched.isEmpty ? false : parent.matched[i]
            if !match {
                if pattern.isExclusion != matched { continue }
                match = try pattern.match(file)
                if !match && parent.matched.isEmpty {
                    let parentPath = GoPath.dir(file)
                    if parentPath != "." {
                        let dirs = parentPath.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
                        for j in dirs.indices {
                            match = (try? pattern.match(dirs[...j].joined(separator: "/"))) ?? false
                            if match { break }
                        }
                    }
                }
            }
            info.matched[i] = match
            if match { matched = !pattern.isExclusion }
        }
        return (matched, info)
    }

    /// patternmatcher.Matches(file, patterns): the file cleaned, and "." never excluded.
    public static func matchesOneParent(_ file: String, _ patterns: [String]) throws -> Bool {
        let m = try IgnoreMatcher(patterns)
        let cleaned = GoPath.clean(file)
        if cleaned == "." { return false }
        return try m.matchesOneParent(cleaned)
    }
}

/// The syntax check filepath.Match does on a pattern (patternmatcher calls it on every pattern).
enum GlobSyntax {
    static let bad = IgnorePatternError("syntax error in pattern")

    static func check(_ pattern: String) throws {
        let p = Array(pattern.unicodeScalars)
        var i = 0
        while i < p.count {
            while i < p.count, p[i] == "*" { i += 1 }
            // A chunk: up to the next `*` outside a class.
            var end = i
            var inRange = false
            while end < p.count {
                let c = p[end]
                if c == "\\" { if end + 1 < p.count { end += 1 } } else if c == "[" { inRange = true } else if c == "]" { inRange = false } else if c == "*", !inRange { break }
                end += 1
            }
            try checkChunk(Array(p[i..<end]))
            i = end
        }
    }

    private static func checkChunk(_ chunk: [Unicode.Scalar]) throws {
        var i = 0
        while i < chunk.count {
            switch chunk[i] {
            case "[":
                i += 1
                if i < chunk.count, chunk[i] == "^" { i += 1 }
                var ranges = 0
                while true {
                    if i < chunk.count, chunk[i] == "]", ranges > 0 { i += 1; break }
                    i = try escaped(chunk, i)
                    if chunk[i] == "-" { i = try escaped(chunk, i + 1) }
                    ranges += 1
                }
            case "\\":
                i += 1
                guard i < chunk.count else { throw bad }
                i += 1
            default:
                i += 1
            }
        }
    }

    /// getEsc: one (possibly escaped) character of a class; something must follow it.
    private static func escaped(_ chunk: [Unicode.Scalar], _ start: Int) throws -> Int {
        var i = start
        guard i < chunk.count, chunk[i] != "-", chunk[i] != "]" else { throw bad }
        if chunk[i] == "\\" {
            i += 1
            guard i < chunk.count else { throw bad }
        }
        i += 1
        guard i < chunk.count else { throw bad }
        return i
    }
}
