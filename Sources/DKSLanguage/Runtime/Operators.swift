// Operators: what `+ - * / // % == < in ..` and indexing mean for each pair of value types.
// Integer arithmetic is checked: overflow is an ArithmeticError, never a wrap.
// Must not: know source positions (callers locate the errors they rethrow).

enum Ops {
    static func typeError(_ op: String, _ a: Value, _ b: Value) -> ScriptError {
        if op == "+", case .string = a, !isStringLike(b) {
            return ScriptError(.typeError, "cannot add string and \(b.typeName); use interpolation: \"...${...}\" or str(...)")
        }
        if op == "+", case .string = b, !isStringLike(a) {
            return ScriptError(.typeError, "cannot add \(a.typeName) and string; use interpolation: \"${...}...\" or str(...)")
        }
        return ScriptError(.typeError, "unsupported operand types for \(op): \(a.typeName) and \(b.typeName)")
    }

    static func isStringLike(_ v: Value) -> Bool { if case .string = v { return true }; return false }

    /// The operands with number words replaced by their numbers; nil when neither is a number word.
    @inline(__always)
    static func plain(_ a: Value, _ b: Value) -> (Value, Value)? {
        if a.numberWordSpelling == nil && b.numberWordSpelling == nil { return nil }
        return (a.unwrapped, b.unwrapped)
    }

    static func overflow(_ op: String) -> ScriptError {
        ScriptError(.arithmeticError, "integer overflow in \(op) (integers are 64-bit)")
    }

    static func add(_ a: Value, _ b: Value) throws -> Value {
        if let (x, y) = plain(a, b) { return try add(x, y) }
        switch (a, b) {
        case let (.int(x), .int(y)):
            let (r, o) = x.addingReportingOverflow(y)
            if o { throw overflow("+") }
            return .int(r)
        case let (.float(x), .float(y)): return .float(x + y)
        case let (.int(x), .float(y)): return .float(Double(x) + y)
        case let (.float(x), .int(y)): return .float(x + Double(y))
        case let (.string(x), .string(y)): return .string(x + y)
        case let (.list(x), .list(y)): return .list(x + y)
        case let (.map(x), .map(y)):
            var m = x
            for (k, v) in y { m[k] = v }
            return .map(m)
        default: throw typeError("+", a, b)
        }
    }

    static func sub(_ a: Value, _ b: Value) throws -> Value {
        if let (x, y) = plain(a, b) { return try sub(x, y) }
        switch (a, b) {
        case let (.int(x), .int(y)):
            let (r, o) = x.subtractingReportingOverflow(y)
            if o { throw overflow("-") }
            return .int(r)
        case let (.float(x), .float(y)): return .float(x - y)
        case let (.int(x), .float(y)): return .float(Double(x) - y)
        case let (.float(x), .int(y)): return .float(x - Double(y))
        default: throw typeError("-", a, b)
        }
    }

    static func mul(_ a: Value, _ b: Value) throws -> Value {
        if let (x, y) = plain(a, b) { return try mul(x, y) }
        switch (a, b) {
        case let (.int(x), .int(y)):
            let (r, o) = x.multipliedReportingOverflow(by: y)
            if o { throw overflow("*") }
            return .int(r)
        case let (.float(x), .float(y)): return .float(x * y)
        case let (.int(x), .float(y)): return .float(Double(x) * y)
        case let (.float(x), .int(y)): return .float(x * Double(y))
        case let (.string(s), .int(n)), let (.int(n), .string(s)):
            let size = s.utf8.count.multipliedReportingOverflow(by: n)
            guard n <= 0 || (!size.overflow && size.partialValue <= 100_000_000) else {
                throw ScriptError(.valueError, "string repetition too large (over 100 MB)")
            }
            // An empty string repeated is empty at once (not after n empty appends).
            return .string(n <= 0 || s.isEmpty ? "" : String(repeating: s, count: n))
        case let (.list(l), .int(n)), let (.int(n), .list(l)):
            let size = l.count.multipliedReportingOverflow(by: n)
            guard n <= 0 || (!size.overflow && size.partialValue <= 10_000_000) else {
                throw ScriptError(.valueError, "list repetition too large (over 10 million items)")
            }
            guard n > 0, !l.isEmpty else { return .list([]) }
            // Doubling: log2(n) bulk copies instead of n appends.
            let total = l.count * n
            var out = l
            out.reserveCapacity(total)
            while out.count * 2 <= total { out += out }
            out += out.prefix(total - out.count)
            return .list(out)
        default: throw typeError("*", a, b)
        }
    }

    static func numbers(_ a: Value, _ b: Value, _ op: String) throws -> (Double, Double) {
        switch (a, b) {
        case let (.int(x), .int(y)): return (Double(x), Double(y))
        case let (.float(x), .float(y)): return (x, y)
        case let (.int(x), .float(y)): return (Double(x), y)
        case let (.float(x), .int(y)): return (x, Double(y))
        default: throw typeError(op, a, b)
        }
    }

    static func div(_ a: Value, _ b: Value) throws -> Value {
        if let (x, y) = plain(a, b) { return try div(x, y) }
        let (x, y) = try numbers(a, b, "/")
        if y == 0 { throw ScriptError(.arithmeticError, "division by zero") }
        return .float(x / y)
    }

    static func floorDiv(_ a: Value, _ b: Value) throws -> Value {
        if let (x, y) = plain(a, b) { return try floorDiv(x, y) }
        if case .int(let x) = a, case .int(let y) = b {
            if y == 0 { throw ScriptError(.arithmeticError, "division by zero") }
            if x == Int.min && y == -1 { throw overflow("//") }
            let q = x / y
            return .int((x % y != 0 && ((x < 0) != (y < 0))) ? q - 1 : q)
        }
        let (x, y) = try numbers(a, b, "//")
        if y == 0 { throw ScriptError(.arithmeticError, "division by zero") }
        return .float((x / y).rounded(.down))
    }

    static func mod(_ a: Value, _ b: Value) throws -> Value {
        if let (x, y) = plain(a, b) { return try mod(x, y) }
        if case .int(let x) = a, case .int(let y) = b {
            if y == 0 { throw ScriptError(.arithmeticError, "division by zero (modulo)") }
            if y == -1 { return .int(0) }
            let r = x % y
            return .int(r != 0 && ((r < 0) != (y < 0)) ? r + y : r)
        }
        let (x, y) = try numbers(a, b, "%")
        if y == 0 { throw ScriptError(.arithmeticError, "division by zero (modulo)") }
        let r = x.truncatingRemainder(dividingBy: y)
        return .float(r != 0 && ((r < 0) != (y < 0)) ? r + y : r)
    }

    static func negate(_ a: Value) throws -> Value {
        if a.numberWordSpelling != nil { return try negate(a.unwrapped) }
        switch a {
        case .int(let x):
            if x == Int.min { throw overflow("unary -") }
            return .int(-x)
        case .float(let d): return .float(-d)
        default: throw ScriptError(.typeError, "cannot negate \(a.typeNameWithArticle)")
        }
    }

    /// `<`: numbers with numbers, strings with strings, lists element-wise; other pairs are a TypeError.
    static func less(_ a: Value, _ b: Value) throws -> Bool {
        if let (x, y) = plain(a, b) { return try less(x, y) }
        switch (a, b) {
        case let (.int(x), .int(y)): return x < y
        case let (.float(x), .float(y)): return x < y
        case let (.int(x), .float(y)): return Double(x) < y
        case let (.float(x), .int(y)): return x < Double(y)
        case let (.string(x), .string(y)): return x < y
        case let (.bool(x), .bool(y)): return !x && y
        case let (.list(x), .list(y)):
            for (p, q) in zip(x, y) where p != q { return try less(p, q) }
            return x.count < y.count
        default:
            throw ScriptError(.typeError, "cannot compare \(a.typeName) and \(b.typeName) with <, <=, > or >=")
        }
    }

    static func contains(_ container: Value, _ item: Value) throws -> Bool {
        if item.numberWordSpelling != nil || container.numberWordSpelling != nil { return try contains(container.unwrapped, item.unwrapped) }
        switch container {
        case .list(let l): return l.contains(item)
        case .map(let m): return m.index(forKey: item) != nil
        case .string(let s):
            guard case .string(let sub) = item else {
                throw ScriptError(.typeError, "'in <string>' needs a string on the left, got \(item.typeName)")
            }
            return sub.isEmpty || Substring(s).range(of: sub) != nil
        case .range(let r):
            switch item {
            case .int(let i): return r.position(of: i) != nil
            case .float(let d): return Int(exactly: d).map { r.position(of: $0) != nil } ?? false
            default: return false
            }
        default:
            throw ScriptError(.typeError, "'in' needs a list, map, string or range on the right, got \(container.typeName)")
        }
    }

    static func makeRange(_ a: Value, _ b: Value, inclusive: Bool) throws -> Value {
        if let (x, y) = plain(a, b) { return try makeRange(x, y, inclusive: inclusive) }
        guard case .int(let x) = a, case .int(let y) = b else {
            throw ScriptError(.typeError, "range bounds must be integers, got \(a.typeName) and \(b.typeName)")
        }
        if inclusive {
            let (e, o) = y.addingReportingOverflow(1)
            if o { throw overflow("..") }
            return .range(RangeValue(start: x, end: e, step: 1, inclusive: true))
        }
        return .range(RangeValue(start: x, end: y, step: 1))
    }

    // MARK: Indexing and members

    static func normalize(_ i: Int, count: Int, what: String) throws -> Int {
        Int(try normalize(i, length: UInt(count), what: what))
    }

    /// The position `i` names among `length` items (negative counts from the end), or an IndexError.
    static func normalize(_ i: Int, length: UInt, what: String) throws -> UInt {
        if i >= 0, UInt(i) < length { return UInt(i) }
        if i < 0, i.magnitude <= length { return length - i.magnitude }
        throw ScriptError(.indexError, "index \(i) out of range for \(what) of length \(length)")
    }

    static func index(_ base: Value, _ idx: Value) throws -> Value {
        if idx.numberWordSpelling != nil { return try index(base, idx.unwrapped) }
        switch (base, idx) {
        case let (.list(l), .int(i)): return l[try normalize(i, count: l.count, what: "list")]
        case let (.map(m), _):
            if let v = m[idx] { return v }
            throw keyError(idx, m)
        case let (.string(s), .int(i)):
            let chars = Array(s)
            return .string(String(chars[try normalize(i, count: chars.count, what: "string")]))
        case let (.range(r), .int(i)): return .int(r.element(try normalize(i, length: r.length, what: "range")))
        case let (.list(l), .range(r)): return .list(slice(r, count: l.count).map { l[$0] })
        case let (.string(s), .range(r)):
            let chars = Array(s)
            return .string(String(slice(r, count: chars.count).map { chars[$0] }))
        case (.list, _), (.string, _), (.range, _):
            throw ScriptError(.typeError, "\(base.typeName) indexes must be integers (or a range to slice), got \(idx.typeName)")
        default:
            throw ScriptError(.typeError, "\(base.typeNameWithArticle) cannot be indexed")
        }
    }

    /// Indexes selected by a range over a sequence of `count` items (negative bounds count from the end; out-of-range clips).
    static func slice(_ r: RangeValue, count: Int) -> [Int] {
        guard r.step == 1 else { return steppedSlice(r, count: count) }
        // Bounds clipped to -count...count first, so the adjustments below cannot overflow.
        func clip(_ x: Int) -> Int { max(-count, min(x, count)) }
        let lo = clip(r.start) < 0 ? clip(r.start) + count : clip(r.start)
        let hi: Int
        if r.inclusive {
            // `end` is the last item + 1; a last item before the first position selects nothing.
            let last = max(-count - 1, min(r.end == Int.min ? Int.min : r.end - 1, count))
            hi = last < 0 ? max(0, last + count + 1) : min(last + 1, count)
        } else {
            hi = clip(r.end) < 0 ? clip(r.end) + count : clip(r.end)
        }
        return lo < hi ? Array(lo..<hi) : []
    }

    /// The items of a range with a step other than 1 that are positions in `0..<count`, in the
    /// range's order: only those are visited, however long the range is.
    static func steppedSlice(_ r: RangeValue, count: Int) -> [Int] {
        guard count > 0, r.length > 0 else { return [] }
        let stride = r.step.magnitude
        // The first position k whose item is inside 0..<count (items move towards it or away).
        var k: UInt = 0
        if r.step > 0, r.start < 0 {
            k = (r.start.magnitude + stride - 1) / stride
        } else if r.step < 0, r.start >= count {
            k = (UInt(bitPattern: r.start &- (count - 1)) + stride - 1) / stride
        }
        var out: [Int] = []
        while k < r.length {
            let x = r.element(k)
            guard x >= 0 && x < count else { break }
            out.append(x)
            k += 1
        }
        return out
    }

    static func keyError(_ key: Value, _ m: MapStorage) -> ScriptError {
        var msg = "key \(key.repr) not found"
        if case .string(let s) = key {
            let names = m.keys.compactMap { k -> String? in if case .string(let t) = k { return t }; return nil }
            if let best = closestName(s, among: names) { msg += " (did you mean \(best)?)" }
        }
        return ScriptError(.keyError, msg)
    }

    static func member(_ base: Value, _ name: String) throws -> Value {
        switch base {
        case .map(let m):
            if let v = m[.string(name)] { return v }
            throw keyError(.string(name), m)
        case .error(let e):
            if let v = e.member(name) { return v }
            throw ScriptError(.keyError, "an error has no member '\(name)'; it has \(ErrorValue.memberNames.joined(separator: ", "))")
        case .object(let o):
            if let v = try o.member(name) { return v }
            var msg = "\(withArticle(o.typeName)) has no member '\(name)'"
            if let advice = Habits.advice(forName: name) { msg += ": \(advice)" }
            else if let best = closestName(name, among: o.memberNames) { msg += " (did you mean \(best)?)" }
            throw ScriptError(.keyError, msg)
        default:
            throw ScriptError(.typeError, "\(base.typeNameWithArticle) has no member '\(name)'")
        }
    }
}

/// The language's `<` (for `sorted`, `min`, `max`): TypeError for unrelated types.
public func valueLess(_ a: Value, _ b: Value) throws -> Bool { try Ops.less(a, b) }

/// The language's `+` (for `sum`).
public func valueAdd(_ a: Value, _ b: Value) throws -> Value { try Ops.add(a, b) }

/// The language's indexing (`$x[i]`), for `get`.
public func valueIndex(_ base: Value, _ index: Value) throws -> Value { try Ops.index(base, index) }
