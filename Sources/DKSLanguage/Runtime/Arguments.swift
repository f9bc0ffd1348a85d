// Arguments: what a builtin body receives — the bound parameter values, the interpreter,
// and whether the caller uses the value — with typed accessors that raise clear TypeErrors.
// Must not: bind (the Binder did) or hold state past the call.
import DKSSupport

public struct Arguments {
    /// The parameter values (declaration order, defaults filled in) live in a frame's slots: call
    /// sites lend a pooled frame, so a builtin call allocates nothing. Holding the frame (not a
    /// pointer) keeps the values valid for a body that keeps its Arguments; such a frame is then
    /// simply not returned to the pool.
    let storage: Frame
    /// How many parameter values there are (the signature's parameter count).
    public let count: Int
    public unowned(unsafe) let interp: Interpreter
    /// How the caller uses the command: at statement level (or as a pipeline stage) its output
    /// streams; as a value it is captured; iterated (`for $l in (CMD)`) it may stream lines.
    public let usage: Usage
    /// False for a command at statement level: output should stream rather than be captured.
    public var valueUsed: Bool { usage != .statement }
    public let signature: Signature
    /// The call site, for errors that need it.
    public let loc: SourceLoc?

    public init(values: [Value], interp: Interpreter, valueUsed: Bool, signature: Signature, loc: SourceLoc?) {
        self.init(values: values, interp: interp, usage: valueUsed ? .value : .statement, signature: signature, loc: loc)
    }

    public init(values: [Value], interp: Interpreter, usage: Usage, signature: Signature, loc: SourceLoc?) {
        let frame = Frame.make(interp: interp, slotCount: values.count, cellCount: 0, captures: .empty)
        for (i, v) in values.enumerated() { frame.slots[i] = v }
        self.init(storage: frame, count: values.count, interp: interp, usage: usage, signature: signature, loc: loc)
    }

    init(storage: Frame, count: Int, interp: Interpreter, usage: Usage, signature: Signature, loc: SourceLoc?) {
        self.storage = storage
        self.count = count
        self.interp = interp
        self.usage = usage
        self.signature = signature
        self.loc = loc
    }

    /// The same values bound to another signature (a builtin handing its call to another).
    public func rebound(to signature: Signature) -> Arguments {
        Arguments(storage: storage, count: count, interp: interp, usage: usage, signature: signature, loc: loc)
    }

    /// Indexes come from the builtin's own signature, never from script input.
    @inline(__always) public subscript(_ i: Int) -> Value { storage.slots[i] }

    /// A copy of all the values.
    public var values: [Value] { Array(UnsafeBufferPointer(start: storage.slots, count: count)) }

    public func isGiven(_ i: Int) -> Bool {
        switch self[i] {
        case .null, .undefined: return false
        default: return true
        }
    }

    func typeError(_ i: Int, _ expected: String) -> ScriptError { signature.typeError(i, self[i], expected) }

    public func string(_ i: Int) throws -> String { try signature.string(self[i], i) }

    public func optionalString(_ i: Int) throws -> String? { isGiven(i) ? try string(i) : nil }

    public func int(_ i: Int) throws -> Int {
        switch self[i].unwrapped {
        case .int(let n): return n
        case .float(let d): if let n = Int(exactly: d) { return n }; throw typeError(i, "an integer")
        case .bool(let b): return b ? 1 : 0
        case .string(let s): if let n = Int(s.trimmingSpaces()) { return n }; throw typeError(i, "an integer")
        default: throw typeError(i, "an integer")
        }
    }

    public func optionalInt(_ i: Int) throws -> Int? { isGiven(i) ? try int(i) : nil }

    public func double(_ i: Int) throws -> Double {
        switch self[i].unwrapped {
        case .int(let n): return Double(n)
        case .float(let d): return d
        case .string(let s): if let d = Double(s.trimmingSpaces()) { return d }; throw typeError(i, "a number")
        default: throw typeError(i, "a number")
        }
    }

    public func bool(_ i: Int) -> Bool { self[i].isTruthy }

    public func list(_ i: Int) throws -> [Value] {
        if case .list(let l) = self[i] { return l }
        throw typeError(i, "a list")
    }

    public func map(_ i: Int) throws -> MapStorage {
        if case .map(let m) = self[i] { return m }
        throw typeError(i, "a map")
    }

    public func function(_ i: Int) throws -> FunctionValue {
        if case .function(let f) = self[i] { return f }
        throw typeError(i, "a function or block")
    }

    /// A list of strings (a single string counts as one; each element's str form).
    public func strings(_ i: Int) -> [String] {
        switch self[i] {
        case .list(let l): return l.map { $0.str }
        case .null, .undefined: return []
        default: return [self[i].str]
        }
    }

    /// Command words as argv: a list spreads into one word per item (nested lists too), every
    /// other value is one word in its str form (a number word as it was typed: `1.10`, `007`).
    public func argv(_ i: Int) -> [String] {
        var out: [String] = []
        Arguments.appendArgv(self[i], to: &out)
        return out
    }

    /// Appends `v`'s words to `out` (see `argv`).
    public static func appendArgv(_ v: Value, to out: inout [String]) {
        switch v {
        case .list(let items): for item in items { appendArgv(item, to: &out) }
        case .string(let s): out.append(s)
        default: out.append(v.str)
        }
    }

    /// Seconds: a number, or a duration string like `500ms`, `1m30s`.
    public func duration(_ i: Int) throws -> Double {
        switch self[i].unwrapped {
        case .int(let n) where n >= 0: return Double(n)
        case .float(let d) where d >= 0 && d.isFinite: return d
        case .string(let s):
            if let d = parseDuration(s) { return d }
            throw ScriptError(.valueError, "\(signature.name): '\(s)' is not a duration; write seconds (30) or a duration like 500ms, 30s, 1m30s, 2h")
        default: throw typeError(i, "a duration (seconds, or like 500ms, 30s, 1m30s)")
        }
    }

    public func optionalDuration(_ i: Int) throws -> Double? { isGiven(i) ? try duration(i) : nil }
}

extension Signature {
    /// A TypeError naming parameter `i`, which got `v` where it needed `expected`.
    public func typeError(_ i: Int, _ v: Value, _ expected: String) -> ScriptError {
        let what = i < params.count ? (params[i].positional ? params[i].name : params[i].longOption) : "argument \(i + 1)"
        return ScriptError(.typeError, "\(name): \(what) must be \(expected), got \(v.typeName) \(v.repr.prefix(40))")
    }

    /// Parameter `i`'s value as a string (numbers in their str form), for builtins and their direct forms alike.
    public func string(_ v: Value, _ i: Int) throws -> String {
        switch v {
        case .string(let s): return s
        case .int, .float: return v.str
        case .object(let w as NumberWord): return w.spelling
        default: throw typeError(i, v, "a string")
        }
    }
}
