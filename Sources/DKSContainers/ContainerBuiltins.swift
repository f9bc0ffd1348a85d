// ContainerBuiltins: the entry point of the container layer — registers every container,
// image, volume, network, engine and service command against a session of lazily created engines.
// Must not: create an engine (EngineProvider does, on the first container command).
import DKSEngine
import DKSLanguage
import DKSSupport

/// The container commands of spec §7 and the engines and services of §12.
public enum ContainerBuiltins {
    /// Registers every container command into `registry`. Nothing connects until a script
    /// runs a container command; then `engine` creates the default engine once for the whole
    /// process. `sessionID` (default: random) is the `dks.session` label every created container
    /// carries. `connector` makes the engines of `connect(...)` and lists `contexts()` (nil:
    /// only the default engine); `tracer` writes `--trace` lines of those engines.
    public static func register(into registry: BuiltinRegistry, engine: EngineProvider, sessionID: String? = nil,
                                connector: EngineConnector? = nil, tracer: EngineTracer? = nil) {
        let ctx = ContainerContext(provider: engine, sessionID: sessionID ?? ContainerContext.newSessionID(),
                                   connector: connector, tracer: tracer)
        // The context lives as long as the registered closures, i.e. the process.
        retained.withLock { $0.append(ctx) }
        registry.extensions[sessionKey] = ctx
        RunCommand.register(registry, ctx)
        LifecycleCommands.register(registry, ctx)
        ExecCommand.register(registry, ctx)
        ExecCommand.registerAttach(registry, ctx)
        LogsCommand.register(registry, ctx)
        WaitCommands.register(registry, ctx)
        ListCommands.register(registry, ctx)
        CopyCommand.register(registry, ctx)
        ImageCommands.register(registry, ctx)
        BuildCommand.register(registry, ctx)
        RegistryCommands.register(registry, ctx)
        ArchiveCommands.register(registry, ctx)
        StreamCommands.register(registry, ctx)
        VolumeNetworkCommands.register(registry, ctx)
        EngineCommands.register(registry, ctx)
        SwarmCommands.register(registry, ctx)
        ServiceCommands.register(registry, ctx)
        EngineHelp.register(registry)
    }

    /// The engine the commands of `interp` use now, if it has been created (nothing connects):
    /// what the prompt completes container names from. Reads the context's selection, which
    /// `use-engine` changes, under a lock, so it may be called from another thread.
    public static func currentEngineIfMade(_ interp: Interpreter) -> (() -> ContainerEngine?) {
        guard let ctx = interp.registry.extensions[sessionKey] as? ContainerContext else { return { nil } }
        let selection = ctx.selection(interp)
        return { (selection.handle ?? ctx.defaultEngine).provider.existing }
    }

    static let sessionKey = "dks.containers"

    /// Keeps contexts alive: objects refer to their engine unowned, so it must outlive them.
    static let retained = Retained()
}

/// A locked list of contexts (one per register call).
final class Retained: @unchecked Sendable {
    private let lock = Lock()
    private var items: [ContainerContext] = []
    func withLock(_ body: (inout [ContainerContext]) -> Void) { lock.withLock { body(&items) } }

    /// The name some context knows container `id` by (for error messages; see ErrorMapping).
    func knownName(id: String) -> String? {
        let contexts = lock.withLock { items }
        for c in contexts { if let n = c.knownName(id: id) { return n } }
        return nil
    }
}
