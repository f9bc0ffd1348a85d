// MapStorageTests: the ordered hash map behind dks maps — order, replacement, removal, growth
// past the small-map scan, copy-on-write, and keys that are equal across types.
import XCTest
@testable import DKSLanguage

final class MapStorageTests: XCTestCase {
    private func key(_ i: Int) -> Value { .string("k\(i)") }

    func testInsertionOrderAndReplacementKeepsPosition() {
        var m = MapStorage()
        m[.string("b")] = .int(1)
        m[.string("a")] = .int(2)
        m[.string("c")] = .int(3)
        XCTAssertEqual(m.updateValue(.int(20), forKey: .string("a")), .int(2))
        XCTAssertEqual(m.keys, [.string("b"), .string("a"), .string("c")])
        XCTAssertEqual(m.values, [.int(1), .int(20), .int(3)])
        XCTAssertEqual(m.count, 3)
    }

    func testManyKeysAcrossTheTableThresholdAndGrowth() {
        var m = MapStorage()
        for i in 0..<5000 { m[key(i)] = .int(i) }
        XCTAssertEqual(m.count, 5000)
        for i in 0..<5000 { XCTAssertEqual(m[key(i)], .int(i), "key \(i)") }
        XCTAssertNil(m[key(5000)])
        XCTAssertNil(m[.int(3)])
        XCTAssertEqual(m.keys.prefix(3), [key(0), key(1), key(2)])
        XCTAssertEqual(m.index(forKey: key(4321)), 4321)
    }

    func testRemovalShiftsLaterEntriesAndLookupsStillWork() {
        for size in [5, 9, 40] {
            var m = MapStorage()
            for i in 0..<size { m[key(i)] = .int(i) }
            XCTAssertEqual(m.removeValue(forKey: key(2)), .int(2))
            XCTAssertNil(m.removeValue(forKey: key(2)))
            XCTAssertEqual(m.count, size - 1)
            for i in 0..<size where i != 2 { XCTAssertEqual(m[key(i)], .int(i), "size \(size) key \(i)") }
            XCTAssertEqual(m.index(forKey: key(3)), 2)
            m[key(2)] = .int(99)
            XCTAssertEqual(m.keys.last, key(2), "a re-added key goes last")
            m[key(0)] = nil
            XCTAssertNil(m[key(0)])
        }
    }

    func testShrinkingBelowTheScanLimitAndGrowingAgain() {
        var m = MapStorage()
        for i in 0..<20 { m[key(i)] = .int(i) }
        for i in 0..<18 { m[key(i)] = nil }
        XCTAssertEqual(m.keys, [key(18), key(19)])
        for i in 100..<130 { m[key(i)] = .int(i) }
        XCTAssertEqual(m.count, 32)
        XCTAssertEqual(m[key(19)], .int(19))
        XCTAssertEqual(m[key(129)], .int(129))
    }

    func testCopiesAreIndependent() {
        var a = MapStorage()
        for i in 0..<20 { a[key(i)] = .int(i) }
        var b = a
        b[key(0)] = .int(-1)
        b[key(100)] = .int(100)
        b.values[1] = .int(-2)
        XCTAssertEqual(a[key(0)], .int(0))
        XCTAssertNil(a[key(100)])
        XCTAssertEqual(a[key(1)], .int(1))
        XCTAssertEqual(a.count, 20)
        XCTAssertEqual(b.count, 21)
        XCTAssertEqual(b[key(1)], .int(-2))
    }

    func testKeysEqualAcrossNumericTypesAreOneKey() {
        var m = MapStorage()
        m[.int(1)] = .string("int")
        m[.float(1.0)] = .string("float")
        XCTAssertEqual(m.count, 1)
        XCTAssertEqual(m[.int(1)], .string("float"))
        for i in 0..<20 { m[.int(i + 10)] = .null }
        XCTAssertEqual(m[.float(15.0)], .null)
        XCTAssertNotNil(m.index(forKey: .float(15.0)))
    }

    func testSortAndIteration() throws {
        var m = MapStorage()
        for i in [3, 1, 2] { m[.int(i)] = .string("v\(i)") }
        m.sort { a, b in
            if case .int(let x) = a.key, case .int(let y) = b.key { return x < y }
            return false
        }
        XCTAssertEqual(m.keys, [.int(1), .int(2), .int(3)])
        XCTAssertEqual(m.map { $0.value }, [.string("v1"), .string("v2"), .string("v3")])
        XCTAssertEqual(m[.int(2)], .string("v2"))
    }
}

/// A host object equal to any other with the same id (as engine objects are), hashing the id.
private final class KeyObject: HostObject {
    let id: Int
    init(id: Int) { self.id = id }
    override func isEqual(to other: HostObject) -> Bool { (other as? KeyObject)?.id == id }
    override func hash(into hasher: inout Hasher) { hasher.combine(id) }
}

/// MapStorage against Swift's Dictionary plus an insertion-order list, under random operations
/// with keys of every type (equal keys of different types included: 1 and 1.0, two host objects
/// with one id), in maps small enough to be scanned and large enough to be hashed.
final class MapStorageRandomTests: XCTestCase {
    /// A deterministic generator (SplitMix64), so a failure reproduces from its seed.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let functions = (0..<3).map { _ in FunctionValue(builtin: Builtin(Signature("f", []), { _ in .null })) }
    static let errors = (0..<2).map { ErrorValue(ScriptError(.valueError, "e\($0)")) }

    /// A key from a small universe of every type, so operations hit existing keys often.
    static func key(_ g: inout SplitMix, universe: Int) -> Value {
        let n = Int.random(in: 0..<universe, using: &g)
        switch Int.random(in: 0..<14, using: &g) {
        case 0: return .null
        case 1: return .bool(n % 2 == 0)
        case 2, 3: return .int(n)
        case 4: return .float(Double(n))          // equal to .int(n): the same key
        case 5: return .float(Double(n) + 0.5)
        case 6: return .string("k\(n)")
        case 7: return .list([.int(n), .string("x")])
        case 8: return .map(MapStorage(uniqueKeysWithValues: [(.string("a"), .int(n)), (.int(n), .null)]))
        case 9: return .range(RangeValue(start: n, end: n + Int.random(in: 0..<3, using: &g), step: 1))
        case 10: return .function(functions[n % functions.count])
        case 11: return .error(errors[n % errors.count])
        case 12: return .object(KeyObject(id: n % 5))   // a fresh object, equal to others with its id
        default: return .int(Int.random(in: Int.min...Int.max, using: &g))
        }
    }

    func testRandomOperationsAgreeWithDictionary() {
        for seed in 1...40 as ClosedRange<UInt64> {
            var g = SplitMix(state: seed)
            let universe = [3, 6, 12, 40, 200][Int(seed) % 5]
            var m = MapStorage()
            var model: [Value: Value] = [:]
            var order: [Value] = []
            for step in 0..<1500 {
                let k = Self.key(&g, universe: universe)
                let where_ = "seed \(seed) step \(step) key \(k.repr)"
                switch Int.random(in: 0..<10, using: &g) {
                case 0...4:
                    let v = Value.int(step)
                    let old = m.updateValue(v, forKey: k)
                    XCTAssertEqual(old, model[k], where_)
                    if model.updateValue(v, forKey: k) == nil { order.append(k) }
                case 5, 6:
                    XCTAssertEqual(m.removeValue(forKey: k), model.removeValue(forKey: k), where_)
                    order.removeAll { $0 == k }
                case 7:
                    m[k] = nil
                    if model.removeValue(forKey: k) != nil { order.removeAll { $0 == k } }
                default:
                    XCTAssertEqual(m[k], model[k], where_)
                    XCTAssertEqual(m.index(forKey: k), order.firstIndex(of: k), where_)
                }
                XCTAssertEqual(m.count, model.count, where_)
            }
            // Iteration gives the insertion order and the model's values.
            XCTAssertEqual(m.keys, order, "seed \(seed)")
            XCTAssertEqual(m.values, order.map { model[$0]! }, "seed \(seed)")
            for (k, v) in m { XCTAssertEqual(model[k], v, "seed \(seed)") }
            // Copies are independent (copy on write).
            var copy = m
            if let first = order.first { copy[first] = nil; XCTAssertNotNil(m[first]) }
        }
    }

    func testEqualKeysOfDifferentTypesAreOneKey() {
        for size in [1, 50] {
            var m = MapStorage()
            for i in 0..<size { m[.string("pad\(i)")] = .int(i) }
            m[.int(1)] = .string("int")
            m[.float(1.0)] = .string("float")
            m[.object(KeyObject(id: 7))] = .string("first")
            m[.object(KeyObject(id: 7))] = .string("second")
            m[.float(-9223372036854775808.0)] = .string("min")
            XCTAssertEqual(m[.int(1)], .string("float"), "size \(size)")
            XCTAssertEqual(m[.object(KeyObject(id: 7))], .string("second"), "size \(size)")
            XCTAssertEqual(m[.int(Int.min)], .string("min"), "size \(size)")
            XCTAssertEqual(m.count, size + 3)
        }
    }
}
