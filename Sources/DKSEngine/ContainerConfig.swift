// ContainerConfig: everything `run`/`create` can ask of an engine, in engine-neutral form.
// Owns: the option model (already parsed: durations in seconds, sizes in bytes).
// Must not: parse command-line words (the container builtins do) or speak HTTP.

/// A restart policy (`--restart no|always|unless-stopped|on-failure[:N]`).
public struct RestartPolicy: Equatable, Sendable {
    public var name: String          // "no", "always", "unless-stopped", "on-failure"
    public var maximumRetryCount: Int
    public init(name: String = "no", maximumRetryCount: Int = 0) {
        self.name = name
        self.maximumRetryCount = maximumRetryCount
    }
}

/// A health check (`--health-cmd` and friends). Times in seconds.
public struct HealthCheck: Equatable, Sendable {
    /// As Docker's `Test`: ["CMD-SHELL", "cmd"], ["CMD", argv...] or ["NONE"] to disable the image's check.
    public var test: [String]
    public var interval: Double?
    public var timeout: Double?
    public var retries: Int?
    public var startPeriod: Double?
    public init(test: [String], interval: Double? = nil, timeout: Double? = nil, retries: Int? = nil, startPeriod: Double? = nil) {
        self.test = test
        self.interval = interval
        self.timeout = timeout
        self.retries = retries
        self.startPeriod = startPeriod
    }
}

/// A port publication (`-p [ip:]host:container[/proto]`).
public struct PortBinding: Equatable, Sendable {
    public var hostIP: String
    public var hostPort: String
    public var containerPort: String   // e.g. "80/tcp"
    public init(hostIP: String = "", hostPort: String = "", containerPort: String) {
        self.hostIP = hostIP
        self.hostPort = hostPort
        self.containerPort = containerPort
    }
}

/// A `--mount type=bind|volume|tmpfs,source=...,target=...,readonly,...` specification, with
/// the Engine API's per-type options.
public struct Mount: Equatable, Sendable {
    public var type: String
    public var source: String
    public var target: String
    public var readOnly: Bool
    /// `consistency=` (macOS only; passed on).
    public var consistency: String?
    public var bind: BindOptions?
    public var volume: VolumeOptions?
    public var tmpfs: TmpfsOptions?

    public struct BindOptions: Equatable, Sendable {
        /// `bind-propagation=`: rprivate, private, rshared, shared, rslave, slave.
        public var propagation: String?
        /// `bind-recursive=disabled`.
        public var nonRecursive = false
        /// `bind-recursive=writable`.
        public var readOnlyNonRecursive = false
        /// `bind-recursive=readonly`.
        public var readOnlyForceRecursive = false
        public init() {}
    }

    public struct VolumeOptions: Equatable, Sendable {
        /// `volume-nocopy`: do not copy the image's files into a new volume.
        public var noCopy = false
        /// `volume-label=K=V`, in order.
        public var labels: [String: String] = [:]
        /// `volume-driver=`.
        public var driver: String?
        /// `volume-opt=K=V`.
        public var driverOptions: [String: String] = [:]
        /// `volume-subpath=` (API 1.45).
        public var subpath: String?
        public init() {}
    }

    public struct TmpfsOptions: Equatable, Sendable {
        /// `tmpfs-size=` in bytes.
        public var sizeBytes: Int64?
        /// `tmpfs-mode=` (octal on the command line).
        public var mode: UInt32?
        public init() {}
    }

    public init(type: String, source: String, target: String, readOnly: Bool) {
        self.type = type
        self.source = source
        self.target = target
        self.readOnly = readOnly
    }
}

/// The configuration of a new container.
public struct ContainerConfig: Equatable, Sendable {
    public var image: String
    /// The argv to run; nil means the image's default command.
    public var cmd: [String]?
    public var entrypoint: [String]?
    public var name: String?
    /// `KEY=VALUE` entries, in order.
    public var env: [String] = []
    /// Labels, in order (dks adds `dks.session` and `dks.script`).
    public var labels: [(String, String)] = []
    public var workingDir: String?
    public var user: String?
    /// `-v SRC:DST[:ro]` entries as given.
    public var binds: [String] = []
    public var mounts: [Mount] = []
    /// `--tmpfs PATH[:OPTS]`: path to options.
    public var tmpfs: [(String, String)] = []
    public var readOnlyRootfs = false
    public var initProcess = false
    public var restartPolicy = RestartPolicy()
    public var stopSignal: String?
    public var stopTimeout: Int?
    public var memoryBytes: Int64?
    public var nanoCPUs: Int64?
    public var networkMode: String?
    public var hostname: String?
    public var publish: [PortBinding] = []
    public var tty = false
    public var openStdin = false
    /// `run -d`: nobody attaches, so (as the docker CLI sends it) no stream is marked attached
    /// and stdin, even when open (`-i`), is not closed after the first attach ends.
    public var detached = false
    public var healthCheck: HealthCheck?
    public var logDriver: String?
    /// `--log-opt KEY=VALUE` options of the log driver, in order (`max-size`, `max-file`, ...).
    public var logOptions: [(String, String)] = []
    public var privileged = false
    public var autoRemove = false

    public init(image: String) { self.image = image }

    public static func == (a: ContainerConfig, b: ContainerConfig) -> Bool {
        a.image == b.image && a.cmd == b.cmd && a.entrypoint == b.entrypoint && a.name == b.name && a.env == b.env
            && a.labels.map { $0.0 + "=" + $0.1 } == b.labels.map { $0.0 + "=" + $0.1 }
            && a.workingDir == b.workingDir && a.user == b.user && a.binds == b.binds && a.mounts == b.mounts
            && a.tmpfs.map { $0.0 + ":" + $0.1 } == b.tmpfs.map { $0.0 + ":" + $0.1 }
            && a.readOnlyRootfs == b.readOnlyRootfs && a.initProcess == b.initProcess && a.restartPolicy == b.restartPolicy
            && a.stopSignal == b.stopSignal && a.stopTimeout == b.stopTimeout && a.memoryBytes == b.memoryBytes
            && a.nanoCPUs == b.nanoCPUs && a.networkMode == b.networkMode && a.hostname == b.hostname && a.publish == b.publish
            && a.tty == b.tty && a.openStdin == b.openStdin && a.detached == b.detached && a.healthCheck == b.healthCheck && a.logDriver == b.logDriver
            && a.logOptions.map { $0.0 + "=" + $0.1 } == b.logOptions.map { $0.0 + "=" + $0.1 }
            && a.privileged == b.privileged && a.autoRemove == b.autoRemove
    }
}

/// The configuration of an `exec`.
public struct ExecConfig: Equatable, Sendable {
    public var cmd: [String]
    public var env: [String] = []
    public var workingDir: String?
    public var user: String?
    public var detach = false
    public var tty = false
    public var interactive = false
    public var privileged = false
    /// With `interactive`: a descriptor the engine reads to its end and sends as the process's
    /// stdin, then closes that stdin (the process sees end of input). The engine does not close
    /// it. nil: the process's stdin is at end of input at once.
    public var stdin: Int32?
    /// `exec --timeout`: when it passes, the process is killed and the call throws `.timeout`.
    public var deadline: Deadline = .never
    public init(cmd: [String]) { self.cmd = cmd }
}
