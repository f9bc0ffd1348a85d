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
        case .range(let r): return r.count > 0
        case .object(let o): return o.isTruthy
        default: return true
        }
    }
}

/// A range of integers `a..b` (inclusive) or `a..<b` / `range(a, b, step)` (exclusive), stored half-open.
public final class RangeValue {
    public let start: Int
    public let end: Int     // exclusive
    public let step: Int    // never 0
    /// Written `a..b`: as a slice, a negative `b` still includes the item it names (`$xs[-3..-1]`).
    public let inclusive: Bool
    public init(start: Int, end: Int, step: Int, inclusive: Bool = false) {
        self.start = start
        self.end = end
        self.step = step == 0 ? 1 : step
        self.inclusive = inclusive
    }
    public var count: Int {
        if step > 0 { return start >= end ? 0 : (end - start - 1) / step + 1 }
        return start <= end ? 0 : (start - end - 1) / (-step) + 1
    }
    public func element(_ i: Int) -> Int { start + i * step }
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
    /// Structural equality with another host object (default: identity).
    open func isEqual(to other: HostObject) -> Bool { self === other }
    /// Items for `for ... in`, or nil when not iterable. Return `.stop` from `body` to break.
    open func iterate(_ body: (Value) throws -> Bool) throws -> Bool { false }
    public var isIterable: Bool { false }
}
