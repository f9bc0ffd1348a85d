// ContainerContext: what every container command of a dks process shares — the session id for
// the `dks.session` label, the engines (the default one and those `connect` made), and which
// engine each interpreter context is using now (`use-engine`).
// Owns: turning a script value (object, name, id prefix) into an engine and a reference: an
// object names its own engine, anything else means the context's current engine.
// Must not: hold engine state beyond ids (every attribute but the id is read live), or create
// an engine before a command needs it (`dks -c 'echo hi'` touches no daemon).
import DKSEngine
import DKSLanguage
import DKSSupport

final class ContainerContext: @unchecked Sendable {
    /// One random id per dks process, on every container it creates (`dks.session`).
    let sessionID: String
    /// The engine commands use when the script chose none (`--engine`, `--host`, DOCKER_HOST ...).
    private(set) var defaultEngine: EngineHandle!
    /// Makes the engines `connect(...)` asks for (nil: only the default engine exists).
    let connector: EngineConnector?
    /// Writes `--trace` lines, naming the engine once there are several.
    let tracer: EngineTracer?
    private let lock = Lock()
    /// Engines made by `connect`, by their connector key (the same address twice is one engine).
    private var connected: [String: EngineHandle] = [:]
    private var order: [EngineHandle] = []

    init(provider: EngineProvider, sessionID: String = ContainerContext.newSessionID(), connector: EngineConnector? = nil,
         tracer: EngineTracer? = nil) {
        self.sessionID = sessionID
        self.connector = connector
        self.tracer = tracer
        defaultEngine = EngineHandle(provider: provider, name: "default", session: self)
        order = [defaultEngine]
    }

    /// 16 random hex digits.
    static func newSessionID() -> String {
        var g = SystemRandomNumberGenerator()
        let n = g.next() as UInt64
        let hex = String(n, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    // MARK: Engines

    /// Every engine of the session, the default first, then in the order `connect` made them.
    var engines: [EngineHandle] { lock.withLock { order } }

    /// The engine `connect` made for `key`, or the one `make` makes now (registered only if
    /// `make` succeeds, so a failed connect leaves nothing behind).
    func engine(key: String, _ make: () throws -> EngineHandle) throws -> EngineHandle {
        if let existing = lock.withLock({ connected[key] }) { return existing }
        let made = try make()
        return lock.withLock {
            if let raced = connected[key] { return raced }
            connected[key] = made
            order.append(made)
            tracer?.engineCount = order.count
            return made
        }
    }

    /// The key under which hostData keeps an interpreter context's engine selection.
    static let selectionKey = "dks.engine"

    /// The selection of `interp` (created on first use; a worker context gets a copy).
    func selection(_ interp: Interpreter) -> EngineSelection {
        if let s = interp.hostData[Self.selectionKey] as? EngineSelection { return s }
        let s = EngineSelection(nil)
        interp.hostData[Self.selectionKey] = s
        return s
    }

    /// The engine that commands run by `interp` use when no object names one.
    func current(_ interp: Interpreter) -> EngineHandle {
        (interp.hostData[Self.selectionKey] as? EngineSelection)?.handle ?? defaultEngine
    }

    /// Runs `body` against `interp`'s current engine, mapping engine errors for `command`.
    func call<T>(_ interp: Interpreter, _ command: String, _ body: (ContainerEngine) throws -> T) throws -> T {
        try current(interp).call(command, body)
    }

    /// The last name seen of container `id` on any engine, if dks has an object for it (asks
    /// no engine).
    func knownName(id: String) -> String? {
        for e in engines { if let n = e.knownName(id: id) { return n } }
        return nil
    }

    /// The container whose short id is `shortID` among the objects of every engine (for
    /// `"$c:/path"`, where interpolation left only the short id of the object).
    func knownContainer(shortID: String) -> ContainerObject? {
        for e in engines { if let c = e.knownContainer(shortID: shortID) { return c } }
        return nil
    }

    // MARK: References

    /// The engine and reference for a value where a container (or `what`) is expected: an
    /// object of the engine means its own engine; a name or id (prefix) the current one.
    func target(_ v: Value, _ interp: Interpreter, command: String, what: String = "container") throws -> Target {
        switch v {
        case .object(let o as ContainerObject): return Target(engine: o.engine, ref: o.id)
        case .object(let o as EngineBound): return Target(engine: o.engine, ref: o.engineRef)
        default: return Target(engine: current(interp), ref: try Self.ref(v, command: command, what: what))
        }
    }

    /// Every target in a list of values (lists are flattened: `rm (ps -a)`).
    func targets(_ values: [Value], _ interp: Interpreter, command: String) throws -> [Target] {
        var out: [Target] = []
        for v in values {
            if case .list(let inner) = v { out += try targets(inner, interp, command: command) } else { out.append(try target(v, interp, command: command)) }
        }
        return out
    }

    /// The engine reference for a name or id value. Numbers count as id prefixes (`1f3a` may lex
    /// as text, `123` as a number). Names lose their leading and trailing `/`, as the docker CLI's
    /// do: inspect's `.Name` is `/web`, and `rm -f "/web"` must remove web (not reach the daemon
    /// as `%2Fweb`, which it answers with a redirect).
    static func ref(_ v: Value, command: String, what: String = "container") throws -> String {
        switch v {
        case .object(let o as ContainerObject): return o.id
        case .object(let o as EngineBound): return o.engineRef
        case .string(let s) where !s.isEmpty:
            let trimmed = trimSlashes(s)
            guard !trimmed.isEmpty else { throw ScriptError(.valueError, "\(command): '\(s)' is not \(withArticle(what)) name") }
            return trimmed
        case .int: return v.str
        case .object(let w as NumberWord): return w.spelling
        default:
            throw ScriptError(.typeError, "\(command): expected \(withArticle(what)) (object, name or id), got \(v.typeName) \(v.repr.prefix(40))")
        }
    }

    /// `s` without leading and trailing `/`.
    static func trimSlashes(_ s: String) -> String {
        var t = Substring(s)
        while t.hasPrefix("/") { t = t.dropFirst() }
        while t.hasSuffix("/") { t = t.dropLast() }
        return String(t)
    }
}

/// An engine and a reference (id or name) on it.
struct Target {
    let engine: EngineHandle
    let ref: String

    /// Runs `body` against the target's engine, mapping engine errors for `command`.
    func call<T>(_ command: String, _ body: (ContainerEngine) throws -> T) throws -> T {
        try engine.call(command, body)
    }

    /// How a message names the container `v` (the value this target was made from): its name
    /// (the last one seen, else asked of the engine), else its short id — never the 64-character
    /// id. For a reference given as text: the text, unless it is a full id. Only for error paths:
    /// it may make one engine request.
    func label(_ v: Value) -> String {
        if case .object(let o as ContainerObject) = v { return o.label() }
        guard ref.count == 64, ref.allSatisfy(\.isHexDigit) else { return ref }
        if engine.knownName(id: ref) != nil { return engine.container(id: ref).label() }
        if let doc = try? call("label", { try $0.inspect(ref) }), let n = ContainerObject.cleanName(doc["Name"]?.stringValue) { return n }
        return JSONValues.shortID(ref)
    }
}

/// Engine objects other than containers (images, volumes, networks, services), which commands
/// accept by object or by name: an object brings its engine.
protocol EngineBound: AnyObject {
    var engine: EngineHandle { get }
    var engineRef: String { get }
}

/// Which engine an interpreter context uses (`use-engine`); nil: the session's default.
/// A worker context (`parallel`, a pipeline stage) starts with a copy of its parent's.
final class EngineSelection: PerContextData, @unchecked Sendable {
    private let lock = Lock()
    private var chosen: EngineHandle?

    init(_ handle: EngineHandle?) { chosen = handle }

    /// Read under a lock: the prompt's completion reads it from another thread.
    var handle: EngineHandle? {
        get { lock.withLock { chosen } }
        set { lock.withLock { chosen = newValue } }
    }

    func copyForWorker() -> AnyObject { EngineSelection(handle) }
}
