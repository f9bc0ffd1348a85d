// DockerEndpoint: where the Docker daemon is and how to talk to it (unix, tcp, tcp+TLS).
// Owns: parsing host URLs and the resolution order --host, DOCKER_HOST, contexts, default socket.
// Must not: open connections (HTTPConnectionPool does) or read anything but env and ~/.docker files.
import DKSEngine
import Foundation

/// TLS material for a `tcp://` endpoint, as the docker CLI finds it (`DOCKER_CERT_PATH`: ca.pem, cert.pem, key.pem).
public struct DockerTLSSettings: Equatable, Sendable {
    /// CA bundle to trust; nil: the system's trust roots.
    public var caFile: String?
    /// Client certificate and key, when the daemon asks for one.
    public var certFile: String?
    public var keyFile: String?
    /// Verification of the daemon's certificate; on unless a context explicitly says SkipTLSVerify.
    public var verify: Bool

    public init(caFile: String?, certFile: String?, keyFile: String?, verify: Bool = true) {
        self.caFile = caFile
        self.certFile = certFile
        self.keyFile = keyFile
        self.verify = verify
    }

    /// Uses `<dir>/ca.pem`, `<dir>/cert.pem`, `<dir>/key.pem` where they exist.
    public static func fromDirectory(_ dir: String, verify: Bool = true) -> DockerTLSSettings {
        func existing(_ name: String) -> String? {
            let path = (dir as NSString).appendingPathComponent(name)
            return FileManager.default.fileExists(atPath: path) ? path : nil
        }
        return DockerTLSSettings(caFile: existing("ca.pem"), certFile: existing("cert.pem"), keyFile: existing("key.pem"), verify: verify)
    }
}

/// A Docker daemon address.
public struct DockerEndpoint: Equatable, Sendable, CustomStringConvertible {
    public enum Transport: Equatable, Sendable {
        case unix(path: String)
        case tcp(host: String, port: Int)
    }

    public var transport: Transport
    /// Set for TLS connections (tcp only).
    public var tls: DockerTLSSettings?
    /// Where the endpoint came from ("--host", "DOCKER_HOST", "context NAME", "default"), for messages.
    public var origin: String

    public init(transport: Transport, tls: DockerTLSSettings? = nil, origin: String = "default") {
        self.transport = transport
        self.tls = tls
        self.origin = origin
    }

    /// The daemon's default local socket.
    public static let defaultSocket = DockerEndpoint(transport: .unix(path: "/var/run/docker.sock"))

    /// The URL form: `unix:///var/run/docker.sock`, `tcp://host:2376`.
    public var description: String {
        switch transport {
        case .unix(let path): return "unix://" + path
        case .tcp(let host, let port): return "tcp://\(host.contains(":") ? "[\(host)]" : host):\(port)"
        }
    }

    /// The URL, and where it came from when the environment named it: `tcp://h:2376 (from
    /// DOCKER_HOST)`. (An address given to `connect` is what the script wrote: no origin.)
    public var described: String {
        origin == "default" || origin == "connect" ? description : "\(description) (from \(origin))"
    }

    /// True for unix sockets and tcp to loopback addresses (where plain text is acceptable).
    public var isLocal: Bool {
        switch transport {
        case .unix: return true
        case .tcp(let host, _):
            return host == "localhost" || host == "::1" || host.hasPrefix("127.")
        }
    }

    /// Parses `unix:///path`, `tcp://host[:port]` (also `http://`, `https://`, and a bare `/path`).
    /// TLS follows the docker CLI: `DOCKER_TLS_VERIFY` or `DOCKER_TLS` (or `https://`) turn it on,
    /// with certificates from `DOCKER_CERT_PATH` (default `~/.docker`). Verification is always on.
    public static func parse(_ url: String, environment: [String: String], origin: String) throws -> DockerEndpoint {
        let text = url.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("/") { return DockerEndpoint(transport: .unix(path: text), origin: origin) }
        guard let schemeEnd = text.range(of: "://") else {
            throw EngineError(.invalidArgument, "bad Docker host '\(text)' (from \(origin)): expected unix:///path or tcp://host:port")
        }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        var rest = String(text[schemeEnd.upperBound...])
        switch scheme {
        case "unix":
            guard rest.hasPrefix("/") else {
                throw EngineError(.invalidArgument, "bad Docker host '\(text)' (from \(origin)): a unix socket path must be absolute")
            }
            return DockerEndpoint(transport: .unix(path: rest), origin: origin)
        case "tcp", "http", "https":
            if let slash = rest.firstIndex(of: "/") { rest = String(rest[..<slash]) }
            let (host, port) = try splitHostPort(rest, defaultPort: nil, url: text, origin: origin)
            let wantsTLS = scheme == "https" || nonEmpty(environment["DOCKER_TLS_VERIFY"]) || nonEmpty(environment["DOCKER_TLS"])
            let defaultPort = wantsTLS ? 2376 : 2375
            var endpoint = DockerEndpoint(transport: .tcp(host: host, port: port ?? defaultPort), origin: origin)
            if wantsTLS {
                let dir = environment["DOCKER_CERT_PATH"].flatMap { $0.isEmpty ? nil : $0 } ?? dockerConfigDirectory(environment)
                endpoint.tls = DockerTLSSettings.fromDirectory(dir)
            }
            return endpoint
        case "ssh":
            throw EngineError(.unsupported, "ssh:// Docker hosts are not supported (from \(origin)); forward the socket with 'ssh -L' and use unix:// or tcp://")
        default:
            throw EngineError(.invalidArgument, "bad Docker host '\(text)' (from \(origin)): unknown scheme '\(scheme)'")
        }
    }

    /// Resolves the endpoint as dks's `auto`/`docker` engines do: `hostOverride` (`--host`), then
    /// `DOCKER_HOST`, then `DOCKER_CONTEXT` or the current context of `~/.docker/config.json`, then the default socket.
    public static func resolve(hostOverride: String?, environment: [String: String]) throws -> DockerEndpoint {
        if let host = hostOverride, !host.isEmpty { return try parse(host, environment: environment, origin: "--host") }
        if let host = environment["DOCKER_HOST"], !host.isEmpty { return try parse(host, environment: environment, origin: "DOCKER_HOST") }
        if let context = try DockerContexts.endpoint(environment: environment) { return context }
        return defaultSocket
    }

    static func splitHostPort(_ text: String, defaultPort: Int?, url: String, origin: String) throws -> (String, Int?) {
        var host = text
        var portText: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else {
                throw EngineError(.invalidArgument, "bad Docker host '\(url)' (from \(origin)): unclosed '['")
            }
            host = String(text[text.index(after: text.startIndex)..<close])
            let after = text[text.index(after: close)...]
            if after.hasPrefix(":") { portText = after.dropFirst() }
        } else if let colon = text.lastIndex(of: ":") {
            host = String(text[..<colon])
            portText = text[text.index(after: colon)...]
        }
        if host.isEmpty { host = "127.0.0.1" }
        guard let p = portText else { return (host, defaultPort) }
        guard let port = Int(p), (1...65535).contains(port) else {
            throw EngineError(.invalidArgument, "bad Docker host '\(url)' (from \(origin)): bad port '\(p)'")
        }
        return (host, port)
    }

    /// `DOCKER_CONFIG`, else `$HOME/.docker`.
    public static func dockerConfigDirectory(_ environment: [String: String]) -> String {
        if let dir = environment["DOCKER_CONFIG"], !dir.isEmpty { return dir }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return (home as NSString).appendingPathComponent(".docker")
    }

    private static func nonEmpty(_ value: String?) -> Bool { !(value ?? "").isEmpty }
}
