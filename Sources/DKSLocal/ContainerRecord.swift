// ContainerRecord: everything the local engine knows about one container.
// Owns: the container's fixed settings and its mutable state fields.
// Must not: lock or act by itself — every mutable field is read and written under LocalEngine's lock.
import DKSEngine
import Glibc

/// Docker's container states.
enum ContainerStatus: String {
    case created, running, paused, restarting, removing, exited, dead
}

/// `State.Health`, kept as Docker keeps it.
struct HealthState {
    struct Entry {
        var start: Double
        var end: Double
        var exitCode: Int
        var output: String
    }
    var status = "starting"
    var failingStreak = 0
    var log: [Entry] = []
}

/// The effective health check settings (Docker's defaults filled in).
struct HealthSettings {
    let argv: [String]
    let interval: Double
    let timeout: Double
    let retries: Int
    let startPeriod: Double

    /// nil when there is no check (none given, or ["NONE"]).
    init?(_ check: HealthCheck?) throws {
        guard let check, let kind = check.test.first, kind != "NONE" else { return nil }
        switch kind {
        case "CMD-SHELL":
            guard check.test.count == 2 else { throw EngineError(.invalidArgument, "CMD-SHELL health checks take exactly one command string") }
            argv = ["/bin/sh", "-c", check.test[1]]
        case "CMD":
            guard check.test.count > 1 else { throw EngineError(.invalidArgument, "a CMD health check needs a command") }
            argv = Array(check.test.dropFirst())
        default:
            throw EngineError(.invalidArgument, "unknown health check type \(kind) (CMD, CMD-SHELL or NONE)")
        }
        func positive(_ v: Double?, _ d: Double) -> Double { (v ?? 0) > 0 ? (v ?? d) : d }
        interval = positive(check.interval, 30)
        timeout = positive(check.timeout, 30)
        retries = (check.retries ?? 0) > 0 ? (check.retries ?? 3) : 3
        startPeriod = max(0, check.startPeriod ?? 0)
    }
}

final class ContainerRecord {
    let id: String
    let config: ContainerConfig
    let created: Double
    /// The container's private folder (mode 0700) holding its log and, by default, its working directory.
    let directory: String
    let workingDirectory: String
    let env: [String]
    let argv: [String]
    let log: LogStore
    let stopSignal: Int32
    let health: HealthSettings?

    var name: String
    var status = ContainerStatus.created
    /// The process group leader of the current run; signal only while `leaderReaped` is false.
    var pid: pid_t = 0
    var leaderReaped = true
    var exitCode = 0
    var error = ""
    var startedAt: Double?
    var finishedAt: Double?
    var restartCount = 0
    /// Set by stop/kill/remove through the API: restart policies stay quiet, as Docker's.
    var manuallyStopped = false
    /// Incremented when a run starts / when it has ended (after its output is logged).
    var runGeneration = 0
    var exitGeneration = 0
    var outputDone = true
    var removed = false
    var healthState: HealthState?
    /// The running health check's process group, killed with the container.
    var healthCheckPid: pid_t = 0
    var pump: OutputPump?

    init(id: String, name: String, config: ContainerConfig, created: Double, directory: String, workingDirectory: String,
         env: [String], argv: [String], log: LogStore, stopSignal: Int32, health: HealthSettings?) {
        self.id = id
        self.name = name
        self.config = config
        self.created = created
        self.directory = directory
        self.workingDirectory = workingDirectory
        self.env = env
        self.argv = argv
        self.log = log
        self.stopSignal = stopSignal
        self.health = health
    }

    /// A process is alive (running or frozen).
    var isLive: Bool { status == .running || status == .paused }

    /// Sends `signal` to the whole process group while the leader is not yet reaped (its id cannot be reused).
    func signalGroup(_ signal: Int32) {
        if !leaderReaped && pid > 0 { _ = kill(-pid, signal) }
    }

    var shortID: String { String(id.prefix(12)) }
}
