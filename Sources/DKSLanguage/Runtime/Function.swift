// Function: function values — compiled user functions with their captured cells, and
// builtins with their signature and Swift body. Must not: know how bodies are compiled.

/// The compiled, shareable part of a user function (one per `fn` in the source).
public final class FunctionProto {
    public let name: String
    public let signature: Signature
    let slotCount: Int
    let cellCount: Int
    /// Where each parameter lives in the callee frame.
    let paramTargets: [LocalRef]
    /// Default value expressions, evaluated in the callee frame at call time (nil: required).
    let defaults: [Eval?]
    /// How to fill the new function value's captures from the frame that creates it.
    let captureSpecs: [CaptureSpec]
    let body: Exec
    let loc: SourceLoc
    let isBlock: Bool
    /// Every parameter lives in slot 0, 1, ... in order (none is captured): calls store arguments directly.
    let paramsInSlots: Bool
    let paramCount: Int
    /// The body calls the function by its own name through `VarAccess.selfFunction` (a local
    /// recursive function): its values keep an owner slot in their capture storage.
    let refersToItself: Bool

    init(name: String, signature: Signature, slotCount: Int, cellCount: Int, paramTargets: [LocalRef], defaults: [Eval?],
         captureSpecs: [CaptureSpec], body: @escaping Exec, loc: SourceLoc, isBlock: Bool, refersToItself: Bool = false) {
        self.body = body
        self.refersToItself = refersToItself
        self.name = name
        self.signature = signature
        self.slotCount = slotCount
        self.cellCount = cellCount
        self.paramTargets = paramTargets
        self.defaults = defaults
        self.captureSpecs = captureSpecs
        self.loc = loc
        self.isBlock = isBlock
        self.paramCount = paramTargets.count
        self.paramsInSlots = paramTargets.enumerated().allSatisfy { i, t in
            if case .slot(let s) = t { return s == i }
            return false
        }
    }
}

/// Where a resolved local lives in its frame.
enum LocalRef {
    case slot(Int)
    case cell(Int)
}

/// Where a closure's captured cell comes from, in the frame creating the closure.
enum CaptureSpec {
    case localCell(Int)
    case capture(Int)
    case global(Cell)
}

/// A callable value: `fn` declarations and literals, blocks, builtins.
public final class FunctionValue {
    public let name: String
    public let signature: Signature
    /// For user functions: the compiled function and its captured cells (fields, not an enum,
    /// so the call path reads them without copying a payload).
    let proto: FunctionProto?
    /// `proto` unretained, for the call path: binding `fn.proto` retained the prototype on
    /// every call (one of the two retains a call of `fib` paid). Valid while this value lives,
    /// which every call path guarantees (it holds the value to the end of the call).
    let protoRef: Unmanaged<FunctionProto>?
    /// The captured cells, in storage this value owns (see `CaptureCells`).
    let captureCells: CaptureCells
    let builtin: Builtin?

    enum Impl {
        case user(FunctionProto)
        case builtin(Builtin)
    }
    var impl: Impl {
        if let p = proto { return .user(p) }
        if let b = builtin { return .builtin(b) }
        return .builtin(Builtin(signature) { _ in .null })
    }

    init(proto: FunctionProto, captures: ContiguousArray<Cell>) {
        self.name = proto.name
        self.signature = proto.signature
        self.proto = proto
        self.protoRef = Unmanaged.passUnretained(proto)
        self.captureCells = CaptureCells(copying: captures, ownerSlot: proto.refersToItself)
        self.builtin = nil
        if proto.refersToItself { captureCells.setOwner(self) }
    }

    deinit { captureCells.free() }

    public init(builtin: Builtin) {
        self.name = builtin.signature.name
        self.signature = builtin.signature
        self.proto = nil
        self.protoRef = nil
        self.captureCells = CaptureCells(copying: [], ownerSlot: false)
        self.builtin = builtin
    }

}

/// A function value's captured cells as the frames of its calls see them: a plain pointer into
/// storage the FunctionValue owns, so entering a call costs no reference counting. Valid while
/// that FunctionValue lives; every call path holds the value for the whole call
/// (`withExtendedLifetime`), and frames drop the pointer when they go back to the pool.
struct CaptureCells {
    let base: UnsafeMutablePointer<Cell>?
    let count: Int

    static let empty = CaptureCells(base: nil, count: 0)

    private init(base: UnsafeMutablePointer<Cell>?, count: Int) {
        self.base = base
        self.count = count
    }

    /// Bytes before the first cell: one word for the owning FunctionValue (unretained), so a
    /// local recursive function reaches itself without holding itself (no reference cycle).
    private static let header = MemoryLayout<UnsafeRawPointer>.stride

    /// Owned storage holding (retaining) `cells`, with room for the owner when `ownerSlot`
    /// (then it is allocated even with no cells); the owner calls `free()` once.
    init(copying cells: ContiguousArray<Cell>, ownerSlot: Bool) {
        guard !cells.isEmpty || ownerSlot else { self.init(base: nil, count: 0); return }
        let raw = UnsafeMutableRawPointer.allocate(byteCount: Self.header + cells.count * MemoryLayout<Cell>.stride,
                                                   alignment: max(MemoryLayout<Cell>.alignment, MemoryLayout<UnsafeRawPointer>.alignment))
        raw.storeBytes(of: nil, as: UnsafeRawPointer?.self)
        let p = (raw + Self.header).bindMemory(to: Cell.self, capacity: cells.count)
        _ = UnsafeMutableBufferPointer(start: p, count: cells.count).initialize(from: cells)
        self.init(base: p, count: cells.count)
    }

    func free() {
        guard let b = base else { return }
        b.deinitialize(count: count)
        (UnsafeMutableRawPointer(b) - Self.header).deallocate()
    }

    /// Records the FunctionValue that owns this storage (not retained: it owns us).
    func setOwner(_ f: FunctionValue) {
        guard let b = base else { return }
        (UnsafeMutableRawPointer(b) - Self.header).storeBytes(of: UnsafeRawPointer(Unmanaged.passUnretained(f).toOpaque()),
                                                              as: UnsafeRawPointer?.self)
    }

    /// The function these captures belong to, for `VarAccess.selfFunction` (the compiler emits
    /// it only in bodies whose values were made with an owner slot; a frame reads it while the
    /// call path holds that value). nil if there is no owner.
    @inline(__always) var owner: FunctionValue? {
        guard let b = base,
              let p = (UnsafeRawPointer(b) - Self.header).load(as: UnsafeRawPointer?.self) else { return nil }
        return Unmanaged<FunctionValue>.fromOpaque(p).takeUnretainedValue()
    }

    /// No storage at all (not even an owner slot): frames need not be given this.
    var isEmpty: Bool { base == nil }

    /// Indexes come from the compiler's capture specs for this function, always < count.
    @inline(__always) subscript(i: Int) -> Cell { base.unsafelyUnwrapped[i] }
}

/// A builtin command or function: its signature and its Swift body.
public final class Builtin {
    public let signature: Signature
    public let body: (inout Arguments) throws -> Value
    /// The body of a pure one-parameter builtin on its plain value: a call with exactly that
    /// argument skips building `Arguments` (`len($x)`, `$s.upper()`).
    public let unary: ((Value) throws -> Value)?
    /// The same for two parameters (`$s.starts_with("g")`).
    public let binary: ((Value, Value) throws -> Value)?

    public init(_ signature: Signature, _ body: @escaping (inout Arguments) throws -> Value) {
        self.signature = signature
        self.body = body
        self.unary = nil
        self.binary = nil
    }

    private init(_ signature: Signature, _ body: @escaping (inout Arguments) throws -> Value,
                 unary: ((Value) throws -> Value)?, binary: ((Value, Value) throws -> Value)?) {
        self.signature = signature
        self.body = body
        self.unary = unary
        self.binary = binary
    }

    /// A pure builtin of one parameter; `body` is derived from `f`, so the two cannot disagree.
    public static func unary(_ signature: Signature, _ f: @escaping (Value) throws -> Value) -> Builtin {
        Builtin(signature, { a in try f(a[0]) }, unary: signature.params.count == 1 ? f : nil, binary: nil)
    }

    /// A pure builtin of two parameters; `body` is derived from `f`.
    public static func binary(_ signature: Signature, _ f: @escaping (Value, Value) throws -> Value) -> Builtin {
        Builtin(signature, { a in try f(a[0], a[1]) }, unary: nil, binary: signature.params.count == 2 ? f : nil)
    }
}

/// Every builtin by name. Outer layers (containers) add theirs before scripts compile.
public final class BuiltinRegistry {
    public private(set) var table: [String: Builtin] = [:]
    /// Runs host programs, pipelines and redirections (installed by the shell layer; nil: unavailable).
    public var pipelineRunner: PipelineRunner?
    /// Outer layers keep what their builtins share here (e.g. the container session), by key.
    public var extensions: [String: AnyObject] = [:]
    public init() {}
    public func register(_ b: Builtin) { table[b.signature.name] = b }
    public func register(_ sig: Signature, _ body: @escaping (inout Arguments) throws -> Value) {
        register(Builtin(sig, body))
    }
    public func registerUnary(_ sig: Signature, _ f: @escaping (Value) throws -> Value) { register(Builtin.unary(sig, f)) }
    public func registerBinary(_ sig: Signature, _ f: @escaping (Value, Value) throws -> Value) { register(Builtin.binary(sig, f)) }
    public func lookup(_ name: String) -> Builtin? { table[name] }
    public var names: [String] { table.keys.sorted() }

    /// Help on syntax (`help pipes`, `help redirection`): topic name → text. Any layer may add topics.
    public private(set) var helpTopics: [String: String] = [:]
    public func registerTopic(_ name: String, _ text: String) { helpTopics[name] = text }
    /// Other words that lead to a topic (`else` → `if`, `catch` → `try`); not listed by `help`.
    public private(set) var helpTopicAliases: [String: String] = [:]
    public func registerTopicAlias(_ alias: String, of topic: String) { helpTopicAliases[alias] = topic }
    /// Every word `help` answers with a syntax topic: the topics and the keywords that lead to them.
    public var helpTopicNames: [String] { Array(helpTopics.keys) + Array(helpTopicAliases.keys) }
    /// The topic `name` or one of its aliases leads to: (the topic's name, its text).
    public func helpTopic(_ name: String) -> (name: String, text: String)? {
        if let t = helpTopics[name] { return (name, t) }
        if let target = helpTopicAliases[name], let t = helpTopics[target] { return (target, t) }
        return nil
    }
}
