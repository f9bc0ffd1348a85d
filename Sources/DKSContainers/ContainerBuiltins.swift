// ContainerBuiltins: the entry point of the container layer — registers every container,
// image, volume and network command, and `engine`, against a lazily created engine.
// Must not: create the engine (EngineProvider does, on the first container command).
import DKSEngine
import DKSLanguage
import DKSSupport

/// The container commands of spec §7.
public enum ContainerBuiltins {
    /// Registers every container command into `registry`. Nothing connects until a script
    /// runs a container command; then `engine` creates the engine once for the whole process.
    /// `sessionID` (default: random) is the `dks.session` label every created container carries.
    public static func register(into registry: BuiltinRegistry, engine: EngineProvider, sessionID: String? = nil) {
        let ctx = ContainerContext(provider: engine, sessionID: sessionID ?? ContainerContext.newSessionID())
        // The context lives as long as the registered closures, i.e. the process.
        retained.withLock { $0.append(ctx) }
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
        EngineHelp.register(registry)
        registry.register(Signature("engine", topic: "containers", [],
                                    summary: "The container engine in use: .kind (docker, podman or local), .host, .version, .api_version, .note, and .session (the dks.session label of the containers this dks process creates). The first container command (or this one) connects.",
                                    example: "echo (engine).kind\nif (engine).kind == \"local\" { echo no isolation here }")) { _ in
            let info = try ctx.call("engine") { try $0.info() }
            return .object(EngineObject(info: info, session: ctx.sessionID))
        }
    }

    /// Keeps contexts alive: objects refer to their context unowned, so it must outlive them.
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
