// EngineProvider: hands the container builtins an engine, created lazily on first use.
// Owns: one engine instance (the default engine of a dks process, or one `connect` made) and
// the lock around its creation.
// Must not: choose the engine (the executable's EngineSetup does) or connect at construction,
// so `dks -c 'echo hi'` never touches a daemon.
import DKSEngine
import DKSSupport

/// Creates the container engine on the first container command and caches it.
///
/// Thread-safe: `parallel` may run container commands on several threads at once; the first
/// caller creates the engine, the others wait for it.
public final class EngineProvider: @unchecked Sendable {
    private let lock = Lock()
    private let make: () throws -> ContainerEngine
    private var made: ContainerEngine?

    /// Runs `exec -i` (a config) or `attach` (nil) with the user's terminal attached (set by the
    /// executable, which owns the terminal and knows the concrete engine). Returns the exit code,
    /// or nil when the user detached. When the hook is nil, `exec -i` runs like a plain exec with
    /// stdin at end of file and `attach` is an error.
    public var interactiveSession: ((ContainerEngine, String, ExecConfig?) throws -> Int?)? {
        get { lock.withLock { interactive } }
        set { lock.withLock { interactive = newValue } }
    }
    private var interactive: ((ContainerEngine, String, ExecConfig?) throws -> Int?)?

    /// `make` runs at most once successfully; if it throws, the next command tries again.
    public init(_ make: @escaping () throws -> ContainerEngine) {
        self.make = make
    }

    /// A provider for an engine that already exists (`connect`, tests, embedding): `existing` from the start.
    public convenience init(engine: ContainerEngine) {
        self.init { engine }
        made = engine
    }

    /// The engine, creating it on first use.
    public func engine() throws -> ContainerEngine {
        try lock.withLock {
            if let e = made { return e }
            let e = try make()
            made = e
            return e
        }
    }

    /// The engine if a command has created it already; nil otherwise (nothing is created).
    public var existing: ContainerEngine? { lock.withLock { made } }

    /// Calls the engine's `shutdown()` if it was ever created (local containers are reaped).
    public func shutdown() {
        existing?.shutdown()
    }
}
