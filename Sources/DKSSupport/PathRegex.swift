// PathRegex: the part of Go's regular expression syntax (RE2) that `.dockerignore` patterns
// turn into — literals, `.`, `[...]` classes (ranges, negation, `\d \s \w`, `[:alpha:]`-style
// classes), `\` escapes, groups, `*` `+` `?`, `^` and `$` — compiled to a Thompson NFA, so a
// match takes time linear in the path whatever the pattern. Owns: parsing that subset with Go's
// rules (what Go rejects is a SyntaxError) and full matching. Must not: search (patterns are
// always anchored here) or support what patterns never produce (alternation, captures, flags).

/// A compiled regular expression that matches whole strings.
public struct PathRegex {
    public struct SyntaxError: Error, Equatable {
        public let reason: String
    }

    /// One character test.
    enum CharTest {
        /// `.`: any character but a newline (Go's default).
        case any
        case ranges([ClosedRange<UInt32>], negated: Bool)

        func matches(_ c: UInt32) -> Bool {
            switch self {
            case .any: return c != 10
            case .ranges(let rs, let negated):
                var hit = false
                for r in rs where r.contains(c) { hit = true; break }
                return hit != negated
            }
        }
    }

    indirect enum Node {
        case char(CharTest)
        case begin, end
        case concat([Node])
        case star(Node), plus(Node), quest(Node)
    }

    enum Inst {
        case char(CharTest, Int)
        case split(Int, Int)
        case jump(Int)
        case begin(Int), end(Int)
        case match
    }

    private let program: [Inst]

    /// Parses `pattern` with Go's rules for the supported subset.
    public init(_ pattern: String) throws {
        var parser = Parser(chars: Array(pattern.unicodeScalars).map(\.value))
        let node = try parser.parseSequence(topLevel: true)
        var program: [Inst] = []
        Self.emit(node, into: &program)
        program.append(.match)
        self.program = program
    }

    /// Whether the whole of `text` matches (the patterns carry their own `^` and `$`; without
    /// them the match is still of the whole text).
    public func matches(_ text: String) -> Bool {
        let input = text.unicodeScalars.map(\.value)
        var current: [Int] = []
        var onList = [Int](repeating: -1, count: program.count)
        addThread(0, at: 0, count: input.count, into: &current, seen: &onList, generation: 0)
        for (i, c) in input.enumerated() {
            var next: [Int] = []
            for pc in current {
                if case .char(let test, let to) = program[pc], test.matches(c) {
                    addThread(to, at: i + 1, count: input.count, into: &next, seen: &onList, generation: i + 1)
                }
            }
            current = next
            if current.isEmpty { return false }
        }
        return current.contains { if case .match = program[$0] { return true }; return false }
    }

    /// Follows the epsilon moves from `pc` at input position `at`.
    private func addThread(_ pc: Int, at: Int, count: Int, into list: inout [Int], seen: inout [Int], generation: Int) {
        if seen[pc] == generation { return }
        seen[pc] = generation
        switch program[pc] {
        case .split(let a, let b):
            addThread(a, at: at, count: count, into: &list, seen: &seen, generation: generation)
            addThread(b, at: at, count: count, into: &list, seen: &seen, generation: generation)
        case .jump(let to):
            addThread(to, at: at, count: count, into: &list, seen: &seen, generation: generation)
        case .begin(let to):
            if at == 0 { addThread(to, at: at, count: count, into: &list, seen: &seen, generation: generation) }
        case .end(let to):
            if at == count { addThread(to, at: at, count: count, into: &list, seen: &seen, generation: generation) }
        case .char, .match:
            list.append(pc)
        }
    }

    private static func emit(_ node: Node, into p: inout [Inst]) {
        switch node {
        case .char(let t):
            p.append(.char(t, p.count + 1))
        case .begin:
            p.append(.begin(p.count + 1))
        case .end:
            p.append(.end(p.count + 1))
        case .concat(let parts):
            for part in parts { emit(part, into: &p) }
        case .star(let inner):
            let split = p.count
            p.append(.match)
            emit(inner, into: &p)
            p.append(.jump(split))
            p[split] = .split(split + 1, p.count)
        case .plus(let inner):
            let start = p.count
            emit(inner, into: &p)
            p.append(.split(start, p.count + 1))
        case .quest(let inner):
            let split = p.count
            p.append(.match)
            emit(inner, into: &p)
            p[split] = .split(split + 1, p.count)
        }
    }

    /// Go's regexp/syntax parser, for the subset.
    struct Parser {
        let chars: [UInt32]
        var i = 0

        static func fail(_ reason: String) -> SyntaxError { SyntaxError(reason: reason) }

        mutating func parseSequence(topLevel: Bool) throws -> Node {
            var items: [Node] = []
            while i < chars.count {
                let c = chars[i]
                switch c {
                case 0x29: // )
                    if topLevel { throw Self.fail("unexpected )") }
                    return .concat(items)
                case 0x7C: // |
                    throw Self.fail("alternation is not supported")
                case 0x2A, 0x2B, 0x3F: // * + ?
                    guard let last = items.popLast() else { throw Self.fail("missing argument to repetition operator") }
                    switch last {
                    case .star, .plus, .quest:
                        // Go allows `*?` (non-greedy) but no other stacking.
                        if c == 0x3F, i > 0, [0x2A, 0x2B, 0x3F].contains(chars[i - 1]) {
                            items.append(last)
                            i += 1
                            continue
                        }
                        throw Self.fail("invalid nested repetition operator")
                    default: break
                    }
                    items.append(c == 0x2A ? .star(last) : c == 0x2B ? .plus(last) : .quest(last))
                    i += 1
                case 0x28: // (
                    i += 1
                    if i < chars.count, chars[i] == 0x3F { throw Self.fail("group flags are not supported") }
                    let inner = try parseSequence(topLevel: false)
                    guard i < chars.count, chars[i] == 0x29 else { throw Self.fail("missing closing )") }
                    i += 1
                    items.append(inner)
                case 0x5B: // [
                    items.append(.char(try parseClass()))
                case 0x2E: // .
                    items.append(.char(.any))
                    i += 1
                case 0x5E: // ^
                    items.append(.begin)
                    i += 1
                case 0x24: // $
                    items.append(.end)
                    i += 1
                case 0x5C: // backslash
                    items.append(.char(try parseEscape(inClass: false)))
                default:
                    items.append(.char(.ranges([c...c], negated: false)))
                    i += 1
                }
            }
            if !topLevel { throw Self.fail("missing closing )") }
            return .concat(items)
        }

        /// `\x` at `i`: a literal punctuation character, a Perl class, or a control character.
        mutating func parseEscape(inClass: Bool) throws -> CharTest {
            i += 1
            guard i < chars.count else { throw Self.fail("trailing backslash at end of expression") }
            let c = chars[i]
            i += 1
            if let perl = Self.perlClass(c) { return perl }
            switch c {
            case 0x74: return .ranges([9...9], negated: false)     // \t
            case 0x6E: return .ranges([10...10], negated: false)   // \n
            case 0x72: return .ranges([13...13], negated: false)   // \r
            case 0x66: return .ranges([12...12], negated: false)   // \f
            case 0x76: return .ranges([11...11], negated: false)   // \v
            case 0x61: return .ranges([7...7], negated: false)     // \a
            default: break
            }
            // Go: any punctuation may be escaped; letters and digits have meanings or are errors.
            if c < 0x80, !Self.isWordChar(c) { return .ranges([c...c], negated: false) }
            throw Self.fail("invalid escape sequence")
        }

        static func isWordChar(_ c: UInt32) -> Bool {
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F
        }

        static func perlClass(_ c: UInt32) -> CharTest? {
            let digit: [ClosedRange<UInt32>] = [0x30...0x39]
            let space: [ClosedRange<UInt32>] = [9...10, 12...13, 32...32]
            let word: [ClosedRange<UInt32>] = [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A]
            switch c {
            case 0x64: return .ranges(digit, negated: false)
            case 0x44: return .ranges(digit, negated: true)
            case 0x73: return .ranges(space, negated: false)
            case 0x53: return .ranges(space, negated: true)
            case 0x77: return .ranges(word, negated: false)
            case 0x57: return .ranges(word, negated: true)
            default: return nil
            }
        }

        static let posix: [String: [ClosedRange<UInt32>]] = [
            "alnum": [0x30...0x39, 0x41...0x5A, 0x61...0x7A], "alpha": [0x41...0x5A, 0x61...0x7A],
            "ascii": [0...0x7F], "blank": [9...9, 32...32], "cntrl": [0...0x1F, 0x7F...0x7F], "digit": [0x30...0x39],
            "graph": [0x21...0x7E], "lower": [0x61...0x7A], "print": [0x20...0x7E],
            "punct": [0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E], "space": [9...13, 32...32],
            "upper": [0x41...0x5A], "word": [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A],
            "xdigit": [0x30...0x39, 0x41...0x46, 0x61...0x66],
        ]

        /// `[...]` at `i`, as Go's parseClass reads it.
        mutating func parseClass() throws -> CharTest {
            i += 1
            var negated = false
            if i < chars.count, chars[i] == 0x5E { negated = true; i += 1 }
            var ranges: [ClosedRange<UInt32>] = []
            var first = true
            while i < chars.count, chars[i] != 0x5D || first {
                // A '-' in the middle that does not end the class or start a range is an error.
                if chars[i] == 0x2D, !first, i + 1 >= chars.count || chars[i + 1] != 0x5D {
                    throw Self.fail("invalid character class range")
                }
                first = false
                if chars[i] == 0x5B, i + 1 < chars.count, chars[i + 1] == 0x3A {
                    // [:name:] (or a '[' that only looks like one).
                    let rest = chars[(i + 2)...]
                    if let close = Self.find(rest, [0x3A, 0x5D]) {
                        let name = String(decoding: chars[(i + 2)..<close].map { UInt8(truncatingIfNeeded: $0) }, as: UTF8.self)
                        guard let set = Self.posix[name] else { throw Self.fail("invalid character class range") }
                        ranges += set
                        i = close + 2
                        continue
                    }
                }
                let lo: UInt32
                if chars[i] == 0x5C {
                    let save = i
                    let test = try parseEscape(inClass: true)
                    if case .ranges(let rs, false) = test, rs.count == 1, rs[0].lowerBound == rs[0].upperBound {
                        lo = rs[0].lowerBound
                    } else if case .ranges(let rs, false) = test {
                        ranges += rs
                        continue
                    } else {
                        i = save
                        throw Self.fail("negated class escapes inside [...] are not supported")
                    }
                } else {
                    lo = chars[i]
                    i += 1
                }
                var hi = lo
                if i + 1 < chars.count, chars[i] == 0x2D, chars[i + 1] != 0x5D {
                    i += 1
                    if chars[i] == 0x5C {
                        let test = try parseEscape(inClass: true)
                        guard case .ranges(let rs, false) = test, rs.count == 1, rs[0].lowerBound == rs[0].upperBound else {
                            throw Self.fail("invalid character class range")
                        }
                        hi = rs[0].lowerBound
                    } else {
                        hi = chars[i]
                        i += 1
                    }
                    if hi < lo { throw Self.fail("invalid character class range") }
                }
                ranges.append(lo...hi)
            }
            guard i < chars.count else { throw Self.fail("missing closing ]") }
            i += 1
            return .ranges(ranges, negated: negated)
        }

        static func find(_ s: ArraySlice<UInt32>, _ needle: [UInt32]) -> Int? {
            var k = s.startIndex
            while k + needle.count <= s.endIndex {
                if Array(s[k..<(k + needle.count)]) == needle { return k }
                k += 1
            }
            return nil
        }
    }
}
