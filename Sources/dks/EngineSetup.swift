// EngineSetup: the engine choice of spec §2 — `--engine auto|docker|local` (env DKS_ENGINE),
// `--host` over DOCKER_HOST over the docker context, else the default socket — made lazily, on
// the first container command, and shut down on every way out. `auto` falls back to the local
// engine only when nothing named an engine and the default socket does not answer within 1 s;
// an engine that was named must answer (its first command fails, naming it and the cause).
// Must not: connect at start-up (`dks -c 'echo hi'` touches no daemon).
import DKSContainers
import DKSDocker
import DKSEngine
import DKSLanguage
import DKSLocal
import DKSSupport

enum EngineSetup {
    /// The provider every interpreter of this process shares (nil until `makeProvider`).
    nonisolated(unsafe) static var provider: EngineProvider?
    /// Makes the engines of `connect(...)`; their connections end with the process.
    nonisolated(unsafe) static var connector: DockerConnector?
    /// `--trace`'s writer, shared by every engine (nil without --trace).
    nonisolated(unsafe) static var tracer: EngineTracer?

    /// Why `auto` chose the local engine (nil: it did not, or no engine was made yet).
    nonisolated(unsafe) static var fallbackReason: String?
    /// The prompt says it in its banner instead of the one-line notice on stderr.
    nonisolated(unsafe) static var quietFallback = false

    /// A provider that creates the chosen engine on first use. Nothing connects here.
    static func makeProvider(engine: String?, host: String?, trace: Bool, environment: [String: String]) -> EngineProvider {
        let kind = engine ?? environment["DKS_ENGINE"].flatMap { $0.isEmpty ? nil : $0 } ?? "auto"
        let t = trace ? EngineTracer { line in writeStderr(line + "\n") } : nil
        tracer = t
        connector = DockerConnector(environment: environment)
        let p = EngineProvider {
            try makeEngine(kind: kind, host: host, trace: t?.tracer(for: "default"), environment: environment)
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
            // Named by --host, DOCKER_HOST or a context: that engine or an error, never a fallback.
            if endpoint.origin != "default" { return DockerEngine(endpoint: endpoint, trace: trace) }
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

    /// Ends the engines that were created: local containers are stopped and reaped, connections closed.
    static func shutdown() {
        provider?.shutdown()
        connector?.shutdown()
    }
}

/// `connect(...)` and `contexts()` over the Docker Engine API: addresses, TLS options and the
/// docker CLI's contexts, resolved as the docker CLI resolves them.
final class DockerConnector: EngineConnector, @unchecked Sendable {
    let environment: [String: String]
    private let lock = Lock()
    private var made: [DockerEngine] = []

    init(environment: [String: String]) { self.environment = environment }

    /// The endpoint a request names: an address (with the request's TLS options, else the
    /// environment's) or a docker context (with its own TLS files).
    func endpoint(_ r: EngineRequest) throws -> DockerEndpoint {
        let target = r.target.trimmingCharacters(in: .whitespaces)
        let isAddress = target.contains("://") || target.hasPrefix("/")
        let explicitFiles = r.certPath != nil || r.ca != nil || r.cert != nil || r.key != nil
        let wantsTLS = r.tls ?? explicitFiles
        // The options speak as the environment would (DOCKER_TLS_VERIFY, DOCKER_CERT_PATH), so an
        // address is parsed exactly as DOCKER_HOST is (2376 is TLS's default port).
        var env = environment
        if r.tls != nil || wantsTLS {
            env["DOCKER_TLS_VERIFY"] = nil
            env["DOCKER_TLS"] = nil
        }
        if wantsTLS {
            env["DOCKER_TLS_VERIFY"] = "1"
            if let dir = r.certPath { env["DOCKER_CERT_PATH"] = dir }
        }
        var endpoint = isAddress
            ? try DockerEndpoint.parse(target, environment: env, origin: "connect")
            : try DockerContexts.endpoint(named: target, origin: "connect", environment: environment)
        guard case .tcp = endpoint.transport else {
            if wantsTLS { throw EngineError(.invalidArgument, "TLS needs a tcp:// address, not \(endpoint)") }
            return endpoint
        }
        if r.tls == false { endpoint.tls = nil }
        if wantsTLS && endpoint.tls == nil {
            endpoint.tls = DockerTLSSettings.fromDirectory(r.certPath ?? DockerEndpoint.dockerConfigDirectory(environment))
        }
        if var tls = endpoint.tls {
            if let ca = r.ca { tls.caFile = ca }
            if let cert = r.cert { tls.certFile = cert }
            if let key = r.key { tls.keyFile = key }
            if !r.verify { tls.verify = false }
            endpoint.tls = tls
        }
        return endpoint
    }

    func identify(_ request: EngineRequest) throws -> (key: String, name: String) {
        let e = try endpoint(request)
        let tls = e.tls.map { "|tls \($0.caFile ?? "-") \($0.certFile ?? "-") \($0.keyFile ?? "-") \($0.verify)" } ?? ""
        return (e.description + tls, request.target)
    }

    func connect(_ request: EngineRequest, trace: ((String) -> Void)?) throws -> ContainerEngine {
        let e = try endpoint(request)
        if let tls = e.tls, !tls.verify {
            writeStderr("dks: warning: connect(\(request.target)): the daemon's certificate is not verified (verify: false)\n")
        }
        let engine = DockerEngine(endpoint: e, trace: trace, requestTimeout: max(request.timeout, 30))
        // The engine must answer now, within the request's time: the error names it and why.
        do {
            _ = try Deadline.bounding(Deadline.after(seconds: request.timeout)) { try engine.info() }
        } catch let error as EngineError where error.kind == .timeout {
            engine.shutdown()
            throw EngineError(.engine, "cannot connect to \(e.described): timed out after \(durationText(seconds: request.timeout))")
        } catch {
            engine.shutdown()
            throw error
        }
        lock.withLock { made.append(engine) }
        return engine
    }

    func contexts() throws -> [EngineContextSummary] {
        try DockerContexts.list(environment: environment).map {
            EngineContextSummary(name: $0.name, description: $0.description, host: $0.host, current: $0.current, tls: $0.tls)
        }
    }

    func shutdown() {
        for e in lock.withLock({ made }) { e.shutdown() }
    }
}
