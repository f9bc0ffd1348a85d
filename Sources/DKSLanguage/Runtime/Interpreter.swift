// Interpreter: one execution context — globals, builtins, output stack, call depth — and the
// entry points that parse, compile and run programs, and call function values from Swift.
// Must not: know about containers or terminals (outer layers register builtins and host data).
#if canImport(Glibc)
import Glibc
#endif
import DKSSupport

public final class Interpreter {
    public let registry: BuiltinRegistry
    /// The global variables and functions. A `parallel` worker's call starts with its parent's
    /// (read only) and takes its own copy the first time it needs to change them (`ownGlobals()`).
    public private(set) var globals: GlobalScope
    /// The stdout sink at the bottom of the output stack.
    public let stdout: Output
    /// The current sink (`capture` pushes its own; a pipeline stage or `>` sets a descriptor's).
    public private(set) var out: Output
    private var outputStack: [Output] = []
    /// Where this context's stderr goes: 2, or a file or pipe (`2>`, a pipeline stage).
    public private(set) var errFD: Int32 = 2
    /// Where this context's stdin comes from (`input()`, `exec -i`): 0, or a file or pipe (`<`, a stage).
    public private(set) var inFD: Int32 = 0
    /// Whether `inFD` is dks's own stdin (not redirected by a pipeline or `<`).
    public var stdinIsInherited: Bool { inFD == 0 && !inputRedirected }
    private var inputRedirected = false
    /// Text read ahead of `input_lines()`'s current line, per context.
    public var inputBuffer: [UInt8] = []
    var depth = 0
    /// Deepest allowed call nesting; deeper recursion is a RecursionError, not a crash.
    public var maxDepth = 2500
    /// The top-level frame shared by every program this context runs (its `defer`s run at `finish()`).
    lazy var topFrame: Frame = Frame.make(interp: self, slotCount: 0, cellCount: 0, captures: .empty)
    /// The value of the last expression statement (the prompt echoes it).
    public var lastValue: Value?
    /// Whether top-level expression statements should record `lastValue` (the prompt).
    public var recordsValues = false
    /// Finished frames without cells, by slot count, ready for the next call (frames never outlive
    /// their call: closures capture cells, not frames), so a call costs no allocation. Each size
    /// is an intrusive free list (linked through the frames' headers): no array bookkeeping per call.
    /// The pool holds one (manual) reference to each frame on its lists.
    private let freeFrames: UnsafeMutablePointer<Unmanaged<Frame>?> = {
        let p = UnsafeMutablePointer<Unmanaged<Frame>?>.allocate(capacity: Interpreter.pooledSlotCounts)
        p.initialize(repeating: nil, count: Interpreter.pooledSlotCounts)
        return p
    }()
    private let freeCounts: UnsafeMutablePointer<Int> = {
        let p = UnsafeMutablePointer<Int>.allocate(capacity: Interpreter.pooledSlotCounts)
        p.initialize(repeating: 0, count: Interpreter.pooledSlotCounts)
        return p
    }()
    static let pooledSlotCounts = 16
    static let pooledFramesPerSize = 64

    /// A frame for a call of a function with `slotCount` slots and no cells.
    @inline(__always)
    func takeFrame(slotCount: Int, captures: CaptureCells) -> Frame {
        if let f = pooledFrame(slotCount) {
            f.prepare(captures: captures)
            return f
        }
        return Frame.make(interp: self, slotCount: slotCount, cellCount: 0, captures: captures)
    }

    /// A frame without captures: for a function that captures nothing, or a builtin call's arguments (see `Arguments`).
    @inline(__always)
    func takeFrame(slotCount: Int) -> Frame {
        pooledFrame(slotCount) ?? Frame.make(interp: self, slotCount: slotCount, cellCount: 0, captures: .empty)
    }

    @inline(__always)
    private func pooledFrame(_ slotCount: Int) -> Frame? {
        pooledFrameRef(slotCount)?.takeRetainedValue()
    }

    /// A pooled frame still in the pool's manual reference: the caller owns that reference now.
    @inline(__always)
    private func pooledFrameRef(_ slotCount: Int) -> Unmanaged<Frame>? {
        guard slotCount < Interpreter.pooledSlotCounts, let u = freeFrames[slotCount] else { return nil }
        u._withUnsafeGuaranteedRef { f in
            freeFrames[slotCount] = f.header.nextFree
            f.header.nextFree = nil
        }
        freeCounts[slotCount] -= 1
        return u
    }

    /// A user function's frame as a manual reference (+1), for the call path: taking it from the
    /// pool and giving it back costs no reference counting. Frames of user functions never outlive
    /// their call (closures capture cells), so nothing else holds one when it goes back.
    @inline(__always)
    func takeFrameRef(slotCount: Int, captures: CaptureCells) -> Unmanaged<Frame> {
        if let u = pooledFrameRef(slotCount) {
            if !captures.isEmpty { u._withUnsafeGuaranteedRef { $0.prepare(captures: captures) } }
            return u
        }
        return Unmanaged.passRetained(Frame.make(interp: self, slotCount: slotCount, cellCount: 0, captures: captures))
    }

    /// Gives back a frame from `takeFrameRef`: to the pool, or released when the pool is full.
    @inline(__always)
    func recycleRef(_ u: Unmanaged<Frame>, slotCount: Int) {
        guard slotCount < Interpreter.pooledSlotCounts, freeCounts[slotCount] < Interpreter.pooledFramesPerSize else {
            u.release()
            return
        }
        u._withUnsafeGuaranteedRef { f in
            f.reset()
            f.header.nextFree = freeFrames[slotCount]
        }
        freeFrames[slotCount] = u
        freeCounts[slotCount] += 1
    }

    /// Returns a finished frame to the pool when nothing else holds it.
    @inline(__always)
    func recycle(_ frame: inout Frame, slotCount: Int) {
        guard slotCount < Interpreter.pooledSlotCounts, freeCounts[slotCount] < Interpreter.pooledFramesPerSize,
              isKnownUniquelyReferenced(&frame) else { return }
        frame.reset()
        frame.header.nextFree = freeFrames[slotCount]
        freeFrames[slotCount] = Unmanaged.passRetained(frame)
        freeCounts[slotCount] += 1
    }

    deinit {
        for size in 0..<Interpreter.pooledSlotCounts {
            while let u = freeFrames[size] {
                let f = u.takeRetainedValue()
                freeFrames[size] = f.header.nextFree
                f.header.nextFree = nil
            }
        }
        freeFrames.deinitialize(count: Interpreter.pooledSlotCounts)
        freeFrames.deallocate()
        freeCounts.deallocate()
    }

    /// Shows a value to a person instead of printing `text` (its plain-text table): the Jupyter
    /// kernel renders query results as HTML tables. Returns false to let the text be printed.
    /// Only consulted while this context writes to its own stdout (not in a capture, a pipeline
    /// stage or a redirection). Nil: the text is printed.
    public var display: ((Value, String) throws -> Bool)?

    /// Outer layers keep per-context data here (e.g. the container session). A worker context
    /// (`parallel`, a pipeline stage) starts with the same entries; those that are
    /// `PerContextData` give the worker a copy of its own.
    public var hostData: [String: AnyObject] = [:]
    /// While a builtin whose signature `usesCallerScope` runs: the frame it was called from.
    var callerScopeFrame: Frame?
    /// The name scripts see as the program (`dks.script` label).
    public var scriptName: String
    /// For a `parallel` worker: its parent's globals (nil for a context that is nobody's worker).
    private var parentGlobals: GlobalScope?
    /// A worker's copies, for the call it is running, of the function, its argument and what
    /// they captured (see `beginIsolatedCall`).
    private var isolation: Isolation?
    /// A worker whose `globals` are still its parent's.
    private var sharesParentGlobals = false

    public init(registry: BuiltinRegistry, globals: GlobalScope = GlobalScope(), stdout: Output = Output(fd: 1), scriptName: String = "<command>") {
        self.registry = registry
        self.globals = globals
        self.stdout = stdout
        self.out = stdout
        self.scriptName = scriptName
    }

    // MARK: Output

    public func pushCapture() {
        outputStack.append(out)
        out = Output(fd: nil)
    }

    /// Ends the innermost capture and returns what was written to it.
    public func popCapture() -> String {
        let text = out.takeText()
        if let prev = outputStack.popLast() { out = prev }
        return text
    }

    /// Flushes stdout (before writing to stderr, streaming container output, sleeping, or exiting).
    /// Throws the IOError of a failed write (a broken pipe: `ScriptError.brokenPipe`). A stage's
    /// stdout (a pipe or file) is flushed too.
    public func flush() throws {
        if out !== stdout, out.fd != nil { try out.flush() }
        try stdout.flush()
    }

    /// As `flush`, where nothing can be raised any more (reports on the way out): a failure stays
    /// recorded in the output's `failure`.
    public func flushQuietly() {
        if out !== stdout { out.flushRecordingFailure() }
        stdout.flushRecordingFailure()
    }

    /// Runs `body` with this context's stdout, stderr and stdin set to a stage's (a pipeline stage
    /// or a redirected command): `out` nil keeps the current stdout. Restores them after.
    public func withStageIO<T>(out stageOut: Output?, errFD stageErr: Int32, inFD stageIn: Int32, _ body: () throws -> T) throws -> T {
        let saved = (out, errFD, inFD, inputRedirected, inputBuffer)
        if let o = stageOut {
            try out.flush()
            outputStack.append(out)
            out = o
        }
        if stageIn != inFD { inputBuffer = [] }
        errFD = stageErr
        inputRedirected = inputRedirected || stageIn != inFD
        inFD = stageIn
        defer {
            if stageOut != nil {
                out.flushRecordingFailure()
                if let prev = outputStack.popLast() { out = prev }
            }
            errFD = saved.1
            inFD = saved.2
            inputRedirected = saved.3
            inputBuffer = saved.4
        }
        return try body()
    }

    // MARK: Running programs

    /// Parses a program. Throws `SyntaxErrors`.
    public func parse(_ file: SourceFile) throws -> [Stmt] { try Parser.parse(file) }

    /// Parses and compiles a whole program, then runs it at the top level. Throws `SyntaxErrors`,
    /// `ScriptError` (uncaught runtime errors) or `ExitRequest`. Returns the last expression value when `recordsValues`.
    @discardableResult
    public func run(_ file: SourceFile) throws -> Value? {
        let stmts = try parse(file)
        let program = try Compiler.compileProgram(stmts, file: file, interp: self)
        lastValue = nil
        _ = try program(topFrame)
        return lastValue
    }

    /// Parses and compiles a program without running it, for checks that must not run anything
    /// (the language server): throws the `SyntaxErrors` of both steps. Compiling declares the
    /// program's top-level names in this context's globals, so use a context of its own.
    public func compileOnly(_ file: SourceFile) throws {
        _ = try Compiler.compileProgram(try parse(file), file: file, interp: self)
    }

    /// The compiled form of a program, without running it (`dks --dump`): one line per node of
    /// the closure tree, with the path the compiler chose for it (see `CompiledListing`).
    public func compiledListing(_ file: SourceFile) throws -> String {
        let listing = CompiledListing()
        _ = try Compiler.compileCounting(try parse(file), file: file, interp: self, listing: listing)
        return listing.text
    }

    /// Runs a file's program in the global scope with its own `defer`s (`source FILE`).
    public func runNested(_ file: SourceFile) throws {
        let stmts = try parse(file)
        let program = try Compiler.compileProgram(stmts, file: file, interp: self)
        let frame = Frame.make(interp: self, slotCount: 0, cellCount: 0, captures: .empty)
        var failure: Error?
        do { _ = try program(frame) } catch { failure = error }
        try runDefers(frame, pending: failure)
    }

    /// Runs the top-level `defer` blocks (last first). Call once when the script or session ends.
    public func finish(pending: Error? = nil) throws {
        try runDefers(topFrame, pending: pending)
    }

    /// Runs a frame's defers (every one, last first); the pending error (if any) stays the error,
    /// and errors raised by the defers are recorded on it as cleanup errors (see `addingCleanupError`).
    func runDefers(_ frame: Frame, pending: Error?) throws {
        var failure = pending
        while let d = frame.defers?.popLast() {
            do { _ = try call(d, []) } catch {
                failure = addingCleanupError(error, to: failure)
            }
        }
        if let f = failure { throw f }
    }

    /// Calls a function value with positional arguments (builtins use this for blocks and callbacks).
    public func call(_ f: FunctionValue, _ args: [Value], loc: SourceLoc? = nil) throws -> Value {
        let plan: BindPlan
        switch f.impl {
        case .user(let proto):
            if args.count <= proto.paramTargets.count {
                return try Calls.invoke(proto, f, interp: self, callLoc: loc) { frame in
                    for (i, a) in args.enumerated() { Calls.store(a, proto.paramTargets[i], frame) }
                }
            }
            throw ScriptError(.typeError, "\(f.name) takes at most \(proto.paramTargets.count) argument\(proto.paramTargets.count == 1 ? "" : "s"), got \(args.count)", at: loc)
        case .builtin(let b):
            do { plan = try Binder.plan(b.signature, args.map { _ in ArgShape.positional(raw: nil) }) } catch let e as BindError {
                throw ScriptError(.typeError, e.message, at: loc)
            }
            var vals = b.signature.initialValues
            Binder.apply(plan.steps, values: args, into: &vals)
            var a = Arguments(values: vals, interp: self, valueUsed: true, signature: b.signature, loc: loc)
            return try b.body(&a)
        }
    }

    /// Registers `action` to run when the scope that called the running builtin ends (its
    /// function returns or fails, or the script ends), in `defer` order. Only builtins whose
    /// signature `usesCallerScope` have a caller scope, and only when called directly.
    public func deferInCallerScope(_ name: String, _ action: @escaping () throws -> Void) throws {
        guard let frame = callerScopeFrame else {
            throw ScriptError(.valueError, "\(name) without a block changes its caller's scope, so it must be called directly (as a command or \(name)(...)), not through a function value")
        }
        let fn = FunctionValue(builtin: Builtin(Signature(name)) { _ in
            try action()
            return .null
        })
        if frame.defers == nil { frame.defers = [fn] } else { frame.defers?.append(fn) }
    }

    /// Runs a builtin body with `frame` as its caller scope (see `deferInCallerScope`).
    @inline(never)
    func withCallerScope<T>(_ frame: Frame, _ body: () throws -> T) rethrows -> T {
        let saved = callerScopeFrame
        callerScopeFrame = frame
        defer { callerScopeFrame = saved }
        return try body()
    }

    /// A fresh context for running functions on another thread (`parallel`): same builtins and
    /// host data, its own output. Each call it makes is isolated (`beginIsolatedCall`).
    public func worker() -> Interpreter {
        let parent = ownGlobals()
        let w = Interpreter(registry: registry, globals: parent, stdout: Output(fd: 1), scriptName: scriptName)
        w.hostData = hostData.mapValues { ($0 as? PerContextData)?.copyForWorker() ?? $0 }
        w.maxDepth = maxDepth
        w.parentGlobals = parent
        w.sharesParentGlobals = true
        return w
    }

    /// The value of `name` in `$env` (the environment of host programs): nil when absent or
    /// null. When a script replaced `$env` with a non-map, dks's own process environment.
    public func environmentValue(_ name: String) -> String? {
        guard case .map(let m)? = globals.get("env") else {
            return getenv(name).map { String(cString: $0) }
        }
        switch m[.string(name)] {
        case nil, .null?, .undefined?: return nil
        case .string(let s)?: return s
        case let v?: return v.str
        }
    }

    /// On a worker context, before one call: copies of `f` and `arguments` to call instead, with
    /// copies of everything they can change — the variables they captured (globals included) and
    /// the functions reachable from them (a copy that keeps recursion working) — so the call
    /// shares no mutable state with its parent or with any other call. The parent's globals are
    /// copied too, the first time the call compiles code (`source`): what a call defines stays
    /// in that call. Call `endIsolatedCall` after the call (or use `isolatedCall`).
    public func beginIsolatedCall(_ f: FunctionValue, _ arguments: [Value]) -> (FunctionValue, [Value]) {
        let iso = Isolation()
        isolation = iso
        return (iso.copy(f), arguments.map { iso.copy($0) })
    }

    /// `body` on isolated copies of `f` and `arguments` (see `beginIsolatedCall`), then the
    /// copies released: the way a worker context runs each call.
    public func isolatedCall(_ f: FunctionValue, _ arguments: [Value], _ body: (FunctionValue, [Value]) throws -> Value) throws -> Value {
        let (g, args) = beginIsolatedCall(f, arguments)
        do {
            let v = try body(g, args)
            endIsolatedCall(escaping: [v])
            return v
        } catch {
            endIsolatedCall(escaping: (error as? ScriptError)?.value.map { [$0] } ?? [])
            throw error
        }
    }

    /// After an isolated call: frees its copies (they form cycles: a recursive function's copy
    /// holds the cell that holds it), unless `escaping` (its result or error, which outlive it)
    /// holds functions that may still use them; the next call starts from the parent's globals.
    public func endIsolatedCall(escaping: [Value]) {
        isolation?.release(unlessReachableFrom: escaping, globals: sharesParentGlobals ? nil : globals)
        isolation = nil
        if let parent = parentGlobals {
            globals = parent
            sharesParentGlobals = true
        }
    }

    /// The globals this context may change. A worker's call takes its own copy of its parent's
    /// the first time (through the call's isolation, so they agree with its function's copies).
    func ownGlobals() -> GlobalScope {
        if sharesParentGlobals, let iso = isolation {
            globals = iso.copy(globals)
            sharesParentGlobals = false
        }
        return globals
    }

    /// Checks the interrupt flag (loops call this each iteration, with their own position, so an
    /// interrupted busy loop is reported where it is).
    @inline(__always)
    static func checkInterrupt(at l: SourceLoc) throws {
        if Interruption.isRequested { throw interrupted(at: l) }
    }

    @inline(never)
    static func interrupted(at l: SourceLoc) -> ScriptError { ScriptError.interrupted().located(l) }
}

/// Per-context host data that a worker context must not share with its parent: `worker()`
/// gives the worker `copyForWorker()` instead (e.g. the engine in use, which `use-engine` in
/// the worker changes for the worker alone).
public protocol PerContextData: AnyObject {
    func copyForWorker() -> AnyObject
}
