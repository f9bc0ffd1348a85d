// Equality: dks `==` is structural (maps compare as sets of entries), `1 == 1.0` holds,
// values of unrelated types are unequal; hashing agrees with it so any value can be a map key.

extension Value: Hashable {
    public static func == (a: Value, b: Value) -> Bool {
        switch (a, b) {
        case (.null, .null), (.undefined, .undefined): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.int(x), .int(y)): return x == y
        case let (.float(x), .float(y)): return x == y
        case let (.int(x), .float(y)), let (.float(y), .int(x)): return Int(exactly: y) == x
        case let (.string(x), .string(y)): return x == y
        case let (.list(x), .list(y)): return x == y
        case let (.map(x), .map(y)):
            guard x.count == y.count else { return false }
            for (k, v) in x { guard let w = y[k], w == v else { return false } }
            return true
        case let (.range(x), .range(y)):
            // Equal when they hold the same integers in the same order.
            return x.length == y.length && (x.length == 0 || (x.start == y.start && (x.length == 1 || x.step == y.step)))
        case let (.function(x), .function(y)): return x === y
        case let (.error(x), .error(y)): return x === y
        case let (.object(x), .object(y)): return x.isEqual(to: y)
        case (.object(let o as NumberWord), _): return o.number == b
        case (_, .object(let o as NumberWord)): return a == o.number
        default: return false
        }
    }

    public func hash(into h: inout Hasher) {
        switch self {
        case .null, .undefined: h.combine(0)
        case .bool(let b): h.combine(b)
        case .int(let i): h.combine(i)
        case .float(let d):
            // Floats equal to an int hash like it, so `$m[1]` and `$m[1.0]` are the same key
            // (exactly the floats `==` finds equal to an int, -2^63 included).
            if let i = Int(exactly: d) { h.combine(i) } else { h.combine(d) }
        case .string(let s): h.combine(s)
        case .list(let l): h.combine(l.count); for v in l { v.hash(into: &h) }
        case .map(let m):
            // Order-insensitive: combine entry hashes commutatively.
            var acc = 0
            for (k, v) in m { var eh = Hasher(); k.hash(into: &eh); v.hash(into: &eh); acc = acc &+ eh.finalize() }
            h.combine(m.count); h.combine(acc)
        case .range(let r):
            h.combine(r.length)
            if r.length > 0 { h.combine(r.start) }
        case .function(let f): h.combine(ObjectIdentifier(f))
        case .error(let e): h.combine(ObjectIdentifier(e))
        case .object(let o): o.hash(into: &h)
        }
    }
}
