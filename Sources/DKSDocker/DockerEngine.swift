// DockerEngine: the ContainerEngine that speaks the Docker Engine API (Docker, Podman's socket).
// Owns: construction, API version negotiation, info, ping, shutdown and path helpers; the
// operations live in the DockerEngine+*.swift extensions. Must not: spawn processes or print.
import DKSEngine
import DKSSupport
import Foundation

/// A `ContainerEngine` over the Docker Engine API.
///
/// Calls block the calling thread (never call them on a NIO event loop). Connections are pooled and
/// kept alive on one process-wide event-loop thread.
public final class DockerEngine: ContainerEngine, @unchecked Sendable {
    /// The lowest API version dks speaks (Docker 20.10).
    public static let minimumAPIVersion = "1.41"
    /// The highest API version dks asks for; newer daemons are spoken to at this version.
    public static let maximumAPIVersion = "1.45"

    /// Where this engine connects.
    public let endpoint: DockerEndpoint
    let client: DockerHTTPClient
    private let lock = NSLock()
    private var negotiated: (prefix: String, info: EngineInfo)?

    /// Creates an engine for `endpoint`; nothing connects until the first call.
    ///
    /// - Parameters:
    ///   - trace: called after every API call with one line `METHOD /path?query STATUS 12.3ms`
    ///     (never bodies, so never environment values or credentials).
    ///   - requestTimeout: the limit for plain calls; streams and waits are bounded by deadlines instead.
    ///   - warn: receives one-line warnings (plain-text tcp to a remote host); default: stderr.
    public init(endpoint: DockerEndpoint, trace: ((String) -> Void)? = nil, requestTimeout: Double = 30,
                warn: ((String) -> Void)? = nil) {
        self.endpoint = endpoint
        client = DockerHTTPClient(endpoint: endpoint, trace: trace, requestTimeout: requestTimeout)
        if case .tcp = endpoint.transport, endpoint.tls == nil, !endpoint.isLocal {
            let message = "dks: warning: \(endpoint) is plain-text tcp to a remote host; anyone on the network can control the daemon (set DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH)"
            if let warn = warn { warn(message) } else { FileHandle.standardError.write(Data((message + "\n").utf8)) }
        }
    }

    /// Resolves the endpoint as `DockerEndpoint.resolve` does, then creates the engine.
    public convenience init(hostOverride: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
                            trace: ((String) -> Void)? = nil) throws {
        self.init(endpoint: try DockerEndpoint.resolve(hostOverride: hostOverride, environment: environment), trace: trace)
    }

    /// True when `endpoint` answers `GET /_ping` with OK within `timeout` seconds (for engine auto-selection).
    /// Never blocks longer than about `timeout`, whatever the endpoint does.
    public static func ping(_ endpoint: DockerEndpoint, timeout: Double = 1) -> Bool {
        let client = DockerHTTPClient(endpoint: endpoint, trace: nil, requestTimeout: timeout)
        defer { client.pool.shutdown() }
        let deadline = Deadline.after(seconds: timeout)
        do {
            let exchange = try client.send(DockerRequest(method: "GET", path: "/_ping"), headDeadline: deadline,
                                           connectTimeout: timeout, acceptErrors: true)
            exchange.bound(by: deadline, timeoutMessage: "ping timed out")
            let body = try exchange.readAllAndFinish(limit: 4096)
            return exchange.status == 200 && String(decoding: body, as: UTF8.self).hasPrefix("OK")
        } catch {
            return false
        }
    }

    // MARK: Version negotiation

    /// `/v1.41`-style prefix for every versioned path, negotiated once.
    func api() throws -> String { try negotiate().prefix }

    private func negotiate() throws -> (prefix: String, info: EngineInfo) {
        if let done = lock.withLock({ negotiated }) { return done }
        let version = try client.callJSON(DockerRequest(method: "GET", path: "/version"))
        guard let daemonAPI = version["ApiVersion"]?.stringValue, let daemonParts = DockerEngine.versionParts(daemonAPI) else {
            throw EngineError(.engine, "\(endpoint) answered /version without an ApiVersion; is it a Docker Engine API?")
        }
        guard let minimum = DockerEngine.versionParts(DockerEngine.minimumAPIVersion),
              let maximum = DockerEngine.versionParts(DockerEngine.maximumAPIVersion) else {
            throw EngineError(.engine, "bad built-in API version")
        }
        if daemonParts.lexicographicallyPrecedes(minimum) {
            throw EngineError(.engine, "\(endpoint) speaks Engine API \(daemonAPI); dks needs at least \(DockerEngine.minimumAPIVersion) (Docker 20.10 or newer)")
        }
        let chosen = daemonParts.lexicographicallyPrecedes(maximum) ? daemonAPI : DockerEngine.maximumAPIVersion
        let components = version["Components"]?.arrayValue ?? []
        let isPodman = components.contains { ($0["Name"]?.stringValue ?? "").lowercased().contains("podman") }
        let info = EngineInfo(kind: isPodman ? "podman" : "docker", host: endpoint.description,
                              version: version["Version"]?.stringValue ?? "unknown", apiVersion: chosen)
        let result = (prefix: "/v" + chosen, info: info)
        lock.withLock { negotiated = result }
        return result
    }

    static func versionParts(_ text: String) -> [Int]? {
        let parts = text.split(separator: ".").map { Int($0) }
        guard parts.count >= 2, parts.allSatisfy({ $0 != nil }) else { return nil }
        return parts.compactMap { $0 }
    }

    public func info() throws -> EngineInfo { try negotiate().info }

    /// Closes pooled connections. The engine stays usable: later calls reconnect.
    public func shutdown() {
        client.pool.shutdown()
    }

    // MARK: Helpers for the extensions

    func containerPath(_ ref: String, _ suffix: String = "") throws -> String {
        try api() + "/containers/" + QueryEncoding.pathSegment(ref) + suffix
    }

    /// Image references keep their `/`, `:` and `@` (the daemon's router expects them verbatim).
    func imagePath(_ ref: String, _ suffix: String = "") throws -> String {
        let escaped = ref.split(separator: "/", omittingEmptySubsequences: false)
            .map { QueryEncoding.escape(String($0)).replacingOccurrences(of: "%3A", with: ":").replacingOccurrences(of: "%40", with: "@") }
            .joined(separator: "/")
        return try api() + "/images/" + escaped + suffix
    }

    func request(_ method: String, _ path: String, query: [(String, String)] = [], body: JSON? = nil) -> DockerRequest {
        DockerRequest(method: method, path: path, query: query, body: body.map { Array($0.encoded().utf8) })
    }

    func expectArray(_ json: JSON, _ what: String) throws -> [JSON] {
        if case .null = json { return [] }
        guard let list = json.arrayValue else { throw EngineError(.engine, "malformed answer from \(endpoint): \(what) is not a list") }
        return list
    }
}
