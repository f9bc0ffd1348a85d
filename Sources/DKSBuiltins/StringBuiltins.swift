// StringBuiltins: split, lines, join, trim, upper, lower, replace, starts_with, ends_with, find.
// Must not: use a shell or Foundation (regexes are Swift's own).
#if canImport(Glibc)
import Glibc
#endif
import DKSLanguage
import DKSSupport

extension GeneralBuiltins {
    static func registerStrings(_ r: BuiltinRegistry) {
        r.register(Signature("split", topic: "strings", [.arg("string"), .arg("sep", default: .null)],
                             summary: "Splits a string at each SEP into a list of strings; without SEP, splits at runs of blanks and drops empty pieces.",
                             example: "split(\"a,b,,c\", \",\")   # [\"a\", \"b\", \"\", \"c\"]")) { a in
            let s = try a.string(0)
            guard a.isGiven(1) else {
                return .list(s.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).map { .string(String($0)) })
            }
            let sep = try a.string(1)
            if sep.isEmpty { throw valueError("split: the separator must not be empty") }
            return .list(splitString(s, sep).map { .string($0) })
        }
        r.register(Signature("lines", topic: "strings", [.arg("string")],
                             summary: "The lines of a string, without their line endings (a final newline does not add an empty line).",
                             example: "lines(\"a\\nb\\n\")   # [\"a\", \"b\"]")) { a in
            var parts = splitString(try a.string(0), "\n")
            if parts.last == "" { parts.removeLast() }
            return .list(parts.map { .string($0.hasSuffix("\r") ? String($0.dropLast()) : $0) })
        }
        r.register(Signature("join", topic: "strings", [.arg("list"), .arg("sep", default: .string(""))],
                             summary: "Joins the str forms of a list's items with SEP between them.",
                             example: "join([1, 2, 3], \"-\")   # \"1-2-3\"")) { a in
            let sep = try a.string(1)
            return .string(try iterableItems(a[0], "join").map { $0.str }.joined(separator: sep))
        }
        do {
            let sig = Signature("trim", topic: "strings", [.arg("string")],
                                summary: "The string without leading and trailing blanks and newlines.",
                                example: "trim(\"  hi \\n\")   # \"hi\"")
            r.registerUnary(sig, { v in .string(try sig.string(v, 0).trimmingSpaces()) })
        }
        do {
            let sig = Signature("upper", topic: "strings", [.arg("string")],
                                summary: "The string in upper case.", example: "upper(\"abc\")   # \"ABC\"")
            r.registerUnary(sig, { v in .string(try sig.string(v, 0).uppercased()) })
        }
        do {
            let sig = Signature("lower", topic: "strings", [.arg("string")],
                                summary: "The string in lower case.", example: "lower(\"ABC\")   # \"abc\"")
            r.registerUnary(sig, { v in .string(try sig.string(v, 0).lowercased()) })
        }
        r.register(Signature("replace", topic: "strings", [.arg("string"), .arg("old"), .arg("new")],
                             summary: "The string with every occurrence of OLD replaced by NEW (plain text, not a regex).",
                             example: "replace(\"a-b-c\", \"-\", \"+\")   # \"a+b+c\"")) { a in
            let old = try a.string(1)
            if old.isEmpty { throw valueError("replace: the text to replace must not be empty") }
            return .string(try a.string(0).replacingAll(old, with: try a.string(2)))
        }
        do {
            let sig = Signature("starts_with", topic: "strings", [.arg("string"), .arg("prefix")],
                                summary: "Whether the string starts with PREFIX.", example: "starts_with(\"docker\", \"dock\")   # true")
            r.registerBinary(sig, { v, w in
                .bool(try sig.string(v, 0).hasPrefix(try sig.string(w, 1)))
            })
        }
        do {
            let sig = Signature("ends_with", topic: "strings", [.arg("string"), .arg("suffix")],
                                summary: "Whether the string ends with SUFFIX.", example: "ends_with(\"app.log\", \".log\")   # true")
            r.registerBinary(sig, { v, w in
                .bool(try sig.string(v, 0).hasSuffix(try sig.string(w, 1)))
            })
        }
        r.register(Signature("find", topic: "strings", [.arg("string"), .arg("regex")],
                             summary: "The first match of the regular expression in the string, or null when there is none. An invalid regex is a ValueError.",
                             example: "find(\"port 8080 open\", \"[0-9]+\")   # \"8080\"")) { a in
            let s = try a.string(0)
            let pattern = try a.string(1)
            let re: Regex<AnyRegexOutput>
            do { re = try Regex(pattern) } catch { throw valueError("find: invalid regex \(quoteString(pattern)): \(error)") }
            return try boundedFirstMatch(re, in: s, pattern: pattern)
        }
    }

    /// How long one `find` may search. Backtracking regexes can take exponential time on short
    /// inputs (`(a+)+$`); Swift's Regex can't be cancelled, so the match runs on its own thread and
    /// a search past the bound is a ValueError (the thread is left to finish on its own).
    static let regexTimeLimit = 2.0

    static func boundedFirstMatch(_ re: Regex<AnyRegexOutput>, in s: String, pattern: String) throws -> Value {
        let result = MatchResult()
        guard let worker = JoinableThread.start(stackSize: 16 << 20, {
            result.finish((try? re.firstMatch(in: s)).flatMap { $0.map { String(s[$0.range]) } })
        }) else {
            guard let m = try? re.firstMatch(in: s) else { return .null }
            return .string(String(s[m.range]))
        }
        let deadline = Deadline.after(seconds: regexTimeLimit)
        var spins = 0
        while !result.isDone {
            if Interruption.isRequested { throw ScriptError.interrupted() }
            if deadline.hasPassed {
                throw valueError("find: the regex \(quoteString(pattern)) searched for over \(Int(regexTimeLimit)) s without an answer (catastrophic backtracking?); avoid nested quantifiers such as (a+)+")
            }
            // Most matches finish in microseconds: yield first, then sleep in short steps.
            spins += 1
            if spins < 200 { sched_yield() } else { usleep(200) }
        }
        worker.join()
        return result.value.map { .string($0) } ?? .null
    }

    /// Splits on every occurrence of `sep` (keeping empty pieces).
    static func splitString(_ s: String, _ sep: String) -> [String] {
        var out: [String] = []
        var rest = Substring(s)
        let sepCount = sep.utf8.count
        while let r = rest.utf8.firstRange(of: sep.utf8) {
            out.append(String(rest[rest.startIndex..<r.lowerBound]))
            rest = rest[r.upperBound...]
            _ = sepCount
        }
        out.append(String(rest))
        return out
    }

    /// At most this many items of a range are made into a list (as for list repetition).
    static let maxRangeItems: UInt = 10_000_000

    /// The items of a list, range, string (characters) or map (keys).
    static func iterableItems(_ v: Value, _ who: String) throws -> [Value] {
        switch v {
        case .list(let l): return l
        case .range(let r):
            guard r.length <= maxRangeItems else {
                throw valueError("\(who): the range \(v.str) has \(r.length) items, too many to list (at most \(maxRangeItems)); iterate it with a for loop instead")
            }
            return (0..<r.length).map { .int(r.element($0)) }
        case .string(let s): return s.map { .string(String($0)) }
        case .map(let m): return Array(m.keys)
        default: throw typeError("\(who): expected a list, range, string or map, got \(v.typeName)")
        }
    }
}

/// The answer of a regex search running on another thread.
final class MatchResult: @unchecked Sendable {
    private let lock = Lock()
    private var done = false
    private var found: String?
    var isDone: Bool { lock.withLock { done } }
    var value: String? { lock.withLock { found } }
    func finish(_ v: String?) { lock.withLock { found = v; done = true } }
}
