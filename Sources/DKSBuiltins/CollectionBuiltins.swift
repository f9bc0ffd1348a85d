// CollectionBuiltins: keys, values, range, sorted, reversed, min, max, sum, get, append.
// Must not: mutate their arguments (values have value semantics: these return new values).
import DKSLanguage

extension GeneralBuiltins {
    static func registerCollections(_ r: BuiltinRegistry) {
        r.register(Signature("keys", topic: "collections", [.arg("map")],
                             summary: "The keys of a map, in insertion order.", example: "keys({a: 1, b: 2})   # [\"a\", \"b\"]")) { a in
            .list(Array(try a.map(0).keys))
        }
        r.register(Signature("values", topic: "collections", [.arg("map")],
                             summary: "The values of a map, in insertion order.", example: "values({a: 1, b: 2})   # [1, 2]")) { a in
            .list(Array(try a.map(0).values))
        }
        r.register(Signature("range", topic: "collections", [.arg("start"), .arg("end", default: .null), .arg("step", default: .int(1))],
                             summary: "The integers from START up to, not including, END, counting by STEP (range(N) counts from 0). Ranges are lazy: iterate them, index them, or list them with a for loop.",
                             example: "for $i in range(0, 10, 3) { echo $i }   # 0 3 6 9")) { a in
            var start = try a.int(0)
            var end = 0
            if a.isGiven(1) { end = try a.int(1) } else { end = start; start = 0 }
            let step = try a.int(2)
            if step == 0 { throw valueError("range: the step must not be zero") }
            return .range(RangeValue(start: start, end: end, step: step))
        }
        r.register(Signature("sorted", topic: "collections", [.arg("items"), .option("key", "FN", "sort by FN(item) instead of the item"), .flag("reverse", short: "r", "largest first")],
                             summary: "A sorted copy of a list (or a range, string, or map's keys). With --key FN, sorts by FN(item). Mixing types that can't be compared is a TypeError. The sort is stable.",
                             example: "sorted([3, 1, 2])   # [1, 2, 3]\nsorted($people, key: fn($p) { return $p.age })")) { a in
            let items = try iterableItems(a[0], "sorted")
            var keyed: [(Value, Value)]
            if a.isGiven(1) {
                let f = try a.function(1)
                keyed = try items.map { (try a.interp.call(f, [$0], loc: a.loc), $0) }
            } else {
                keyed = items.map { ($0, $0) }
            }
            var failure: Error?
            let reverse = a.bool(2)
            // Stable: merge sort via indices keeps equal keys in order.
            let order = try stableSort(keyed.indices.map { $0 }) { i, j in
                do { return reverse ? try valueLess(keyed[j].0, keyed[i].0) : try valueLess(keyed[i].0, keyed[j].0) } catch {
                    failure = error
                    return false
                }
            }
            if let f = failure { throw f }
            keyed = order.map { keyed[$0] }
            return .list(keyed.map { $0.1 })
        }
        r.register(Signature("reversed", topic: "collections", [.arg("items")],
                             summary: "A reversed copy of a list, range or string.", example: "reversed([1, 2, 3])   # [3, 2, 1]")) { a in
            if case .string(let s) = a[0] { return .string(String(s.reversed())) }
            return .list(try iterableItems(a[0], "reversed").reversed())
        }
        r.register(Signature("min", topic: "numbers", [.rest("values")],
                             summary: "The smallest of its arguments, or of the items of a single list argument. An empty list is a ValueError.",
                             example: "min(3, 1, 2)   # 1\nmin([4, 5])   # 4")) { a in try extreme(a, "min", wantLess: true) }
        r.register(Signature("max", topic: "numbers", [.rest("values")],
                             summary: "The largest of its arguments, or of the items of a single list argument. An empty list is a ValueError.",
                             example: "max(3, 1, 2)   # 3")) { a in try extreme(a, "max", wantLess: false) }
        r.register(Signature("sum", topic: "numbers", [.arg("items"), .arg("start", default: .int(0))],
                             summary: "The sum of a list's (or range's) numbers, plus START.",
                             example: "sum([1, 2, 3.5])   # 6.5")) { a in
            var total = a[1]
            for v in try iterableItems(a[0], "sum") { total = try valueAdd(total, v) }
            return total
        }
        r.register(Signature("get", topic: "collections", [.arg("container"), .arg("key"), .arg("default", default: .null)],
                             summary: "CONTAINER[KEY], or DEFAULT when the key (or list index) is missing, instead of an error.",
                             example: "get({a: 1}, \"b\", 0)   # 0")) { a in
            switch a[0] {
            case .map(let m): return m[a[1]] ?? a[2]
            case .list, .string, .range:
                do { return try valueIndex(a[0], a[1]) } catch let e as ScriptError where e.kind == .indexError { return a[2] }
            default: throw typeError("get: expected a map or list, got \(a[0].typeName)")
            }
        }
        r.register(Signature("append", topic: "collections", [.arg("list"), .rest("items")],
                             summary: "A copy of LIST with ITEMS added at the end (to grow a list in place, write $xs += [item]).",
                             example: "append([1], 2, 3)   # [1, 2, 3]")) { a in
            .list(try a.list(0) + a.list(1))
        }
    }

    static func extreme(_ a: Arguments, _ who: String, wantLess: Bool) throws -> Value {
        var items = try a.list(0)
        if items.count == 1 { items = try iterableItems(items[0], who) }
        guard var best = items.first else { throw valueError("\(who): no values given (an empty list has no \(who))") }
        for v in items.dropFirst() where wantLess ? try valueLess(v, best) : try valueLess(best, v) { best = v }
        return best
    }

    /// A stable merge sort of indices by `less` (Swift's sort is not guaranteed stable).
    static func stableSort(_ xs: [Int], by less: (Int, Int) throws -> Bool) rethrows -> [Int] {
        if xs.count <= 1 { return xs }
        let mid = xs.count / 2
        let left = try stableSort(Array(xs[..<mid]), by: less)
        let right = try stableSort(Array(xs[mid...]), by: less)
        var out: [Int] = []
        out.reserveCapacity(xs.count)
        var i = 0, j = 0
        while i < left.count && j < right.count {
            if try less(right[j], left[i]) { out.append(right[j]); j += 1 } else { out.append(left[i]); i += 1 }
        }
        out += left[i...]
        out += right[j...]
        return out
    }
}
