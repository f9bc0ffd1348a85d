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
