// EngineConnector: the seam through which `connect(...)` and `contexts()` reach engines the
// containers layer cannot name (the Docker client lives in a layer it does not import): the
// executable implements it. EngineTracer: the `--trace` lines of every engine, named by engine
// once a script uses more than one.
// Must not: decide engine semantics here (the connector does), or print anything but traces.
import DKSEngine
import DKSSupport

/// What `connect(HOST_OR_CONTEXT, ...)` asks for.
public struct EngineRequest: Sendable {
    /// `unix:///path`, `tcp://host:port`, a bare `/path`, or the name of a docker CLI context.
    public var target: String
    /// TLS on or off; nil: as the address and the environment say (`DOCKER_TLS_VERIFY`, `https://`).
    public var tls: Bool?
    /// A directory with `ca.pem`, `cert.pem` and `key.pem`, as `DOCKER_CERT_PATH`.
    public var certPath: String?
    /// Single files, overriding `certPath`'s.
    public var ca: String?
    public var cert: String?
    public var key: String?
    /// Verify the daemon's certificate (default true).
    public var verify: Bool
    /// How long connecting and the first answer may take, in seconds.
    public var timeout: Double

    public init(target: String, tls: Bool? = nil, certPath: String? = nil, ca: String? = nil, cert: String? = nil,
                key: String? = nil, verify: Bool = true, timeout: Double = 10) {
        self.target = target
        self.tls = tls
        self.certPath = certPath
        self.ca = ca
        self.cert = cert
        self.key = key
        self.verify = verify
        self.timeout = timeout
    }
}

/// A docker CLI context, as `contexts()` lists it.
public struct EngineContextSummary: Sendable {
    public var name: String
    public var description: String
    /// The docker endpoint's address.
    public var host: String
    /// Whether it is the one the docker CLI would use now (DOCKER_CONTEXT, `currentContext`).
    public var current: Bool
    /// Whether it has TLS material of its own.
    public var tls: Bool
    public init(name: String, description: String, host: String, current: Bool, tls: Bool) {
        self.name = name
        self.description = description
        self.host = host
        self.current = current
        self.tls = tls
    }
}

/// Makes engines for `connect` and lists contexts (implemented by the executable).
public protocol EngineConnector: AnyObject {
    /// A key that is the same for two requests that reach the same daemon the same way (the
    /// session then hands out the same engine), and how the engine is named in traces.
    func identify(_ request: EngineRequest) throws -> (key: String, name: String)
    /// Creates the engine for `request` and checks that it answers (an EngineError naming the
    /// address and the cause when it does not). `trace` receives its `--trace` lines.
    func connect(_ request: EngineRequest, trace: ((String) -> Void)?) throws -> ContainerEngine
    /// The docker CLI's contexts, `default` first.
    func contexts() throws -> [EngineContextSummary]
}

/// `--trace`: one line per engine call on stderr; once a script uses several engines, each
/// line names the engine it went to.
public final class EngineTracer: @unchecked Sendable {
    private let write: (String) -> Void
    private let lock = Lock()
    private var count = 1

    /// `write` gets each finished line (without a newline).
    public init(write: @escaping (String) -> Void) { self.write = write }

    /// How many engines the session has (set by the session as `connect` adds them).
    var engineCount: Int {
        get { lock.withLock { count } }
        set { lock.withLock { count = newValue } }
    }

    /// The trace function of the engine called `name`.
    public func tracer(for name: String) -> (String) -> Void {
        { [self] line in write(engineCount > 1 ? "dks: trace: [\(name)] \(line)" : "dks: trace: \(line)") }
    }
}
