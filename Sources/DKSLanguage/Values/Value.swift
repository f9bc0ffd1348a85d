// Value: every dks value, kept small (an enum with inline scalars and one reference
// for everything else). Must not: know about containers (engine objects are `HostObject`s).

/// A dks value.
///
/// Lists and maps are Swift collections, so they have value semantics with copy-on-write;
/// the interpreter mutates them in place when the variable holds the only reference.
public enum Value {
    case null
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    case list([Value])
    case map(MapStorage)
    case range(RangeValue)
    case function(FunctionValue)
    case error(ErrorValue)
    /// Engine objects (container, image, ...) and other host-provided values.
    case object(HostObject)
    /// An unassigned slot; never visible to scripts (reading one is a NameError).
    case undefined

    /// The name `type()` returns.
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "bool"
        case .int: return "int"
        case .float: return "float"
        case .string: return "string"
        case .list: return "list"
        case .map: return "map"
        case .range: return "range"
        case .function: return "function"
        case .error: return "error"
        case .object(let o): return o.typeName
        case .undefined: return "undefined"
        }
    }

    /// Falsy: `false null 0 0.0 "" [] {}` (and an empty range); everything else is truthy.
    @inline(__always)
    public var isTruthy: Bool {
        switch self {
        case .bool(let b): return b
        case .null, .undefined: return false
        case .int(let i): return i != 0
        case .float(let d): return d != 0
        case .string(let s): return !s.isEmpty
        case .list(let l): return !l.isEmpty
        case .map(let m): return !m.isEmpty
        case .range(let r): return r.length > 0
        case .object(let o): return o.isTruthy
        default: return true
        }
    }
}

/// A range of integers `a..b` (inclusive) or `a..<b` / `range(a, b, step)` (exclusive), stored half-open.
///
/// Any bounds and step are valid, so a range can hold more integers than an `Int` counts
/// (`range(-2, 9223372036854775807)`): its `length` is exact, and the arithmetic on its items is
/// done in 64-bit unsigned or wrapping form, which is exact for every item the range holds.
public final class RangeValue {
    public let start: Int
    public let end: Int     // exclusive
    public let step: Int    // never 0
    /// Written `a..b`: as a slice, a negative `b` still includes the item it names (`$xs[-3..-1]`).
    public let inclusive: Bool
    /// How many integers the range holds (up to 2^64 - 1).
    public let length: UInt

    public init(start: Int, end: Int, step: Int, inclusive: Bool = false) {
        self.start = start
        self.end = end
        let step = step == 0 ? 1 : step
        self.step = step
        self.inclusive = inclusive
        // The distance between two Ints always fits in a UInt.
        if step > 0 {
            length = start >= end ? 0 : (UInt(bitPattern: end &- start) - 1) / UInt(step) + 1
        } else {
            length = start <= end ? 0 : (UInt(bitPattern: start &- end) - 1) / step.magnitude + 1
        }
    }

    /// The number of items as an int; an ArithmeticError when there are more than an int holds.
    public var count: Int {
        get throws {
            guard length <= UInt(Int.max) else {
                throw ScriptError(.arithmeticError, "integer overflow: the range \(Value.range(self).str) has \(length) items, more than a 64-bit integer counts")
            }
            return Int(length)
        }
    }

    /// The item at position `i` (`i < length`): exact, as the item lies between the bounds.
    @inline(__always)
    public func element(_ i: UInt) -> Int { start &+ Int(bitPattern: i &* UInt(bitPattern: step)) }

    /// The position of `value` in the range, if the range holds it.
    public func position(of value: Int) -> UInt? {
        let offset: UInt
        if step > 0 {
            guard value >= start, value < end else { return nil }
            offset = UInt(bitPattern: value &- start)
        } else {
            guard value <= start, value > end else { return nil }
            offset = UInt(bitPattern: start &- value)
        }
        return offset % step.magnitude == 0 ? offset / step.magnitude : nil
    }
}

/// Host-provided objects (containers, exec results, streams ...). Subclasses live in outer layers.
open class HostObject {
    public init() {}
    /// The name `type()` returns.
    open var typeName: String { "object" }
    /// A member's value, or nil when there is no such member.
    open func member(_ name: String) throws -> Value? { nil }
    /// Names for completion and did-you-mean (attributes and methods).
    open var memberNames: [String] { [] }
    /// The `str` form.
    open var description: String { "<\(typeName)>" }
    /// The `repr` form (defaults to the `str` form).
    open var reprDescription: String { description }
    /// Truthiness (default: true; a number word is its number's).
    open var isTruthy: Bool { true }
    /// Structural equality with another host object (default: identity). A subclass that
    /// overrides it must override `hash(into:)` too, hashing exactly what it compares.
    open func isEqual(to other: HostObject) -> Bool { self === other }
    /// Hashes what `isEqual` compares (default: identity), so equal objects are one map key,
    /// whatever the size of the map.
    open func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
    /// Items for `for ... in`, or nil when not iterable. Return `.stop` from `body` to break.
    open func iterate(_ body: (Value) throws -> Bool) throws -> Bool { false }
    public var isIterable: Bool { false }
}
