// EngineSetup: the engine choice of spec §2 — `--engine auto|docker|local` (env DKS_ENGINE),
// `--host` over DOCKER_HOST, auto = ping the resolved Docker endpoint within 1 s, else the local
// engine with a one-line notice — made lazily, on the first container command, and shut down on
// every way out. Must not: connect at start-up (`dks -c 'echo hi'` touches no daemon).
import DKSContainers
import DKSDocker
import DKSEngine
import DKSLanguage
import DKSLocal
import DKSSupport

enum EngineSetup {
    /// The provider every interpreter of this process shares (nil until `makeProvider`).
    nonisolated(unsafe) static var provider: EngineProvider?

    /// Why `auto` chose the local engine (nil: it did not, or no engine was made yet).
    nonisolated(unsafe) static var fallbackReason: String?
    /// The prompt says it in its banner instead of the one-line notice on stderr.
    nonisolated(unsafe) static var quietFallback = false

    /// A provider that creates the chosen engine on first use. Nothing connects here.
    static func makeProvider(engine: String?, host: String?, trace: Bool, environment: [String: String]) -> EngineProvider {
        let kind = engine ?? environment["DKS_ENGINE"].flatMap { $0.isEmpty ? nil : $0 } ?? "auto"
        let tracer: ((String) -> Void)? = trace ? { line in writeStderr("dks: trace: \(line)\n") } : nil
        let p = EngineProvider {
            try makeEngine(kind: kind, host: host, trace: tracer, environment: environment)
        }
        // `exec -it` at a terminal gets a real session (raw mode, stdin pumped to the process).
        p.interactiveSession = InteractiveExec.run
        provider = p
        return p
    }

    static func makeEngine(kind: String, host: String?, trace: ((String) -> Void)?, environment: [String: String]) throws -> ContainerEngine {
        switch kind {
        case "docker":
            return DockerEngine(endpoint: try DockerEndpoint.resolve(hostOverride: host, environment: environment), trace: trace)
        case "local":
            return makeLocal()
        case "auto":
            let endpoint = try DockerEndpoint.resolve(hostOverride: host, environment: environment)
            if DockerEngine.ping(endpoint, timeout: 1) { return DockerEngine(endpoint: endpoint, trace: trace) }
            // Ctrl-C during the ping stops the command; it is no reason to fall back to the local engine.
            if Interruption.isRequested { throw EngineError(.interrupted, "interrupted while looking for a Docker engine") }
            fallbackReason = "no Docker engine answered at \(endpoint)"
            if !quietFallback { writeStderr("dks: \(fallbackReason ?? ""); using the local engine (host processes, no isolation)\n") }
            return makeLocal()
        default:
            // --engine is checked on the command line (a usage error), so only DKS_ENGINE gets here.
            throw EngineError(.invalidArgument, "DKS_ENGINE='\(kind)' is not an engine; set it to auto, docker or local")
        }
    }

    private static func makeLocal() -> ContainerEngine {
        // exit() from anywhere (e.g. `exit 3` unwinding) still reaps local containers.
        LocalEngine.installExitHook()
        return LocalEngine()
    }

    /// Ends the engine if one was created: local containers are stopped and reaped, connections closed.
    static func shutdown() {
        provider?.shutdown()
    }
}
