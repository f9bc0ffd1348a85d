// LocalEngine: the embedded engine — containers are supervised host processes with Docker's
// object model. Owns: the container table, its lock, and the lifecycle verbs (create..rename).
// Must not: run anything through a shell, or leave a process behind (see LocalEngine+Shutdown).
import DKSEngine
import DKSSupport
import Foundation
import Glibc

/// A `ContainerEngine` whose containers are host processes: no images, no isolation.
///
/// Each container runs its argv (no shell) in its own process group, in a fresh private
/// folder, with a minimal environment plus `-e` entries. Call `shutdown()` (or the static
/// `LocalEngine.shutdownAll()` from the executable's exit and signal paths) so that no process
/// outlives dks. Thread-safe: every verb may be called from several threads.
public final class LocalEngine: ContainerEngine, @unchecked Sendable {
    /// Guards every record's mutable fields and the table; broadcast on every state change.
    let lock = NSCondition()
    var containers: [ContainerRecord] = []
    /// Background execs (`exec -d`) by id.
    var execs: [String: LocalExecRecord] = [:]
    var shuttingDown = false
    /// Folders being deleted outside the lock (auto-remove runs on supervisor threads); shutdown waits for them.
    var foldersBeingRemoved = 0
    private let requestedStateDirectory: String?
    var stateDirectory: StateDirectory?
    private let logLimits: LogLimits

    /// Creates the engine. `stateDirectory` overrides where container folders live (default: a
    /// folder of this engine's own in `$XDG_RUNTIME_DIR/dks`, else in `/tmp/dks-<uid>`); it is
    /// created lazily, mode 0700, and removed by `shutdown()`. Each container's log rotates as
    /// `logLimits` says unless its `--log-opt max-size/max-file` say otherwise.
    public init(stateDirectory: String? = nil, logLimits: LogLimits = .defaults) {
        requestedStateDirectory = stateDirectory
        self.logLimits = logLimits
        LocalEngineRegistry.register(self)
    }

    /// An engine whose containers' logs rotate at `maxLogFileBytes`, keeping one rotated file.
    public convenience init(stateDirectory: String? = nil, maxLogFileBytes: Int64) {
        self.init(stateDirectory: stateDirectory, logLimits: LogLimits(maxFileBytes: maxLogFileBytes, maxFiles: 2))
    }

    deinit { LocalEngineRegistry.unregister(self) }

    public func info() throws -> EngineInfo {
        EngineInfo(kind: "local", host: "local", version: "dks-local 0.1", apiVersion: "1.41", note: "host processes, no isolation")
    }

    // MARK: - Lookup

    /// The record for a full id, a name (with or without "/"), or a unique id prefix. Lock held.
    func record(_ ref: String) throws -> ContainerRecord {
        let name = ref.hasPrefix("/") ? String(ref.dropFirst()) : ref
        if let r = containers.first(where: { $0.id == ref || $0.name == name }) { return r }
        let matches = ref.isEmpty ? [] : containers.filter { $0.id.hasPrefix(ref.lowercased()) }
        if matches.count == 1 { return matches[0] }
        if matches.count > 1 { throw EngineError(.notFound, "multiple containers found with the id prefix \(ref)", status: 404) }
        throw EngineError(.notFound, "No such container: \(ref)", status: 404)
    }

    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// Waits (lock held) until `done()` or `seconds` pass (negative: no limit). Returns whether `done()` held.
    @discardableResult
    func waitLocked(seconds: Double, until done: () -> Bool) -> Bool {
        let deadline = seconds < 0 ? Deadline.never : Deadline.after(seconds: seconds)
        while !done() {
            if deadline.hasPassed { return false }
            _ = lock.wait(until: Date(timeIntervalSinceNow: min(0.05, max(0.001, deadline.remainingSeconds))))
        }
        return true
    }

    // MARK: - Create

    public func create(_ config: ContainerConfig) throws -> String {
        let argv = (config.entrypoint ?? []) + (config.cmd ?? [])
        guard !argv.isEmpty else {
            throw EngineError(.invalidArgument, "No command specified: the local engine has no images, so give a command to run", status: 400)
        }
        guard let stopSignal = Signals.parse(config.stopSignal ?? "SIGTERM") else {
            throw EngineError(.invalidArgument, "Invalid signal: \(config.stopSignal ?? "")", status: 400)
        }
        if let user = config.user, !user.isEmpty, !Self.isCurrentUser(user) {
            throw EngineError(.unsupported, "the local engine runs containers as the current user; it cannot run as \(user) (use --engine docker)")
        }
        // Volumes, mounts and networks need isolation the local engine does not have (spec: errors
        // that name the engine). Resource limits and flags like --read-only are recorded only.
        if !config.binds.isEmpty || !config.mounts.isEmpty || !config.tmpfs.isEmpty {
            throw EngineError(.unsupported, "the local engine has no volumes or mounts (-v, --mount, --tmpfs); containers run in a private host folder instead (use --engine docker)")
        }
        if let net = config.networkMode, !["", "default", "host", "none", "bridge"].contains(net) {
            throw EngineError(.unsupported, "the local engine has no networks (--network \(net)); containers share the host's network (use --engine docker)")
        }
        if !config.publish.isEmpty {
            throw EngineError(.unsupported, "the local engine cannot publish ports (-p); container processes listen on the host directly (use --engine docker)")
        }
        let policy = config.restartPolicy
        guard ["", "no", "always", "unless-stopped", "on-failure"].contains(policy.name), policy.maximumRetryCount >= 0,
              policy.maximumRetryCount == 0 || policy.name == "on-failure" else {
            throw EngineError(.invalidArgument, "invalid restart policy \(policy.name):\(policy.maximumRetryCount) (no, always, unless-stopped, on-failure[:N])", status: 400)
        }
        if config.autoRemove && !["", "no"].contains(policy.name) {
            throw EngineError(.invalidArgument, "Conflicting options: --restart and --rm", status: 400)
        }
        let health = try HealthSettings(config.healthCheck)
        let limits = try logLimits.applying(config.logOptions)
        var wanted = config.name.map { $0.hasPrefix("/") ? String($0.dropFirst()) : $0 }
        if let name = wanted, !NameGenerator.isValid(name) {
            throw EngineError(.invalidArgument, "Invalid container name (\(name)), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed", status: 400)
        }

        lock.lock()
        defer { lock.unlock() }
        guard !shuttingDown else { throw EngineError(.engine, "the local engine is shutting down") }
        if let name = wanted, let other = containers.first(where: { $0.name == name }) {
            throw EngineError(.conflict, "Conflict. The container name \"/\(name)\" is already in use by container \"\(other.id)\". You have to remove (or rename) that container to be able to reuse that name.", status: 409)
        }
        while wanted == nil {
            let candidate = NameGenerator.name()
            if !containers.contains(where: { $0.name == candidate }) { wanted = candidate }
        }
        let name = wanted ?? ""
        if stateDirectory == nil { stateDirectory = try StateDirectory(explicit: requestedStateDirectory) }
        guard let base = stateDirectory?.path else { throw EngineError(.engine, "the local engine has no state folder") }

        let id = NameGenerator.id()
        let directory = base + "/" + id
        try StateDirectory.makePrivate(directory)
        do {
            let fresh = directory + "/work"
            try StateDirectory.makePrivate(fresh)
            var workDir = fresh
            if let w = config.workingDir, !w.isEmpty {
                workDir = w.hasPrefix("/") ? w : fresh + "/" + w
                try StateDirectory.makeTree(workDir)
            }
            let hostname = config.hostname ?? String(id.prefix(12))
            let env = Self.environment(config.env, home: fresh, hostname: hostname)
            let log = try LogStore(path: directory + "/container.log", limits: limits)
            let r = ContainerRecord(id: id, name: name, config: config, created: Date().timeIntervalSince1970, directory: directory,
                                    workingDirectory: workDir, env: env, argv: argv, log: log, stopSignal: stopSignal, health: health)
            containers.append(r)
            lock.broadcast()
            return id
        } catch {
            StateDirectory.removeTree(directory)
            throw error
        }
    }

    /// A minimal PATH/HOME/HOSTNAME, then `-e` entries in order (later ones win; "KEY" alone takes dks's value).
    static func environment(_ entries: [String], home: String, hostname: String) -> [String] {
        var keys: [String] = []
        var values: [String: String] = [:]
        func put(_ k: String, _ v: String) {
            if values[k] == nil { keys.append(k) }
            values[k] = v
        }
        put("PATH", Spawn.defaultPath)
        put("HOSTNAME", hostname)
        put("HOME", home)
        for entry in entries {
            if let eq = entry.firstIndex(of: "=") {
                put(String(entry[..<eq]), String(entry[entry.index(after: eq)...]))
            } else if let host = ProcessInfo.processInfo.environment[entry] {
                put(entry, host)
            }
        }
        return keys.compactMap { k in values[k].map { k + "=" + $0 } }
    }

    static func isCurrentUser(_ user: String) -> Bool {
        let uid = getuid()
        let who = user.split(separator: ":", maxSplits: 1).first.map(String.init) ?? user
        if let n = UInt32(who) { return n == uid }
        guard let pw = getpwuid(uid), let pwName = pw.pointee.pw_name else { return false }
        return String(cString: pwName) == who
    }

    // MARK: - Lifecycle

    public func start(_ ref: String) throws {
        lock.lock()
        defer { lock.unlock() }
        let r = try record(ref)
        switch r.status {
        case .running, .restarting: return
        case .paused: throw EngineError(.conflict, "cannot start a paused container, try unpause instead", status: 409)
        case .removing, .dead: throw EngineError(.conflict, "container \(r.name) is being removed", status: 409)
        case .created, .exited: break
        }
        guard !shuttingDown else { throw EngineError(.engine, "the local engine is shutting down") }
        r.manuallyStopped = false
        try launch(r, attached: [])
    }

    public func stop(_ ref: String, timeout: Int?) throws {
        lock.lock()
        defer { lock.unlock() }
        let r = try record(ref)
        stopLocked(r, timeout: Double(timeout ?? r.config.stopTimeout ?? 10))
    }

    /// Stop signal to the group, SIGKILL after `timeout` seconds (negative: wait forever). Lock held.
    func stopLocked(_ r: ContainerRecord, timeout: Double) {
        r.manuallyStopped = true
        if r.status == .restarting {
            r.status = .exited
            lock.broadcast()
            return
        }
        guard r.isLive else { return }
        let generation = r.runGeneration
        r.signalGroup(r.stopSignal)
        if r.status == .paused { r.signalGroup(SIGCONT) }
        if !waitLocked(seconds: timeout, until: { r.exitGeneration >= generation }) {
            r.signalGroup(SIGKILL)
            r.signalGroup(SIGCONT)
            waitLocked(seconds: 10) { r.exitGeneration >= generation }
        }
    }

    public func restart(_ ref: String, timeout: Int?) throws {
        lock.lock()
        defer { lock.unlock() }
        let r = try record(ref)
        stopLocked(r, timeout: Double(timeout ?? r.config.stopTimeout ?? 10))
        guard !shuttingDown, !r.removed else { return }
        r.manuallyStopped = false
        try launch(r, attached: [])
    }

    public func kill(_ ref: String, signal: String?) throws {
        lock.lock()
        defer { lock.unlock() }
        let r = try record(ref)
        guard let sig = Signals.parse(signal ?? "SIGKILL") else {
            throw EngineError(.invalidArgument, "Invalid signal: \(signal ?? "")", status: 400)
        }
        guard r.isLive else {
            throw EngineError(.conflict, "Cannot kill container: \(ref): Container \(r.id) is not running", status: 409)
        }
        if Signals.isTerminating(sig) { r.manuallyStopped = true }
        let generation = r.runGeneration
        r.signalGroup(sig)
        if sig == SIGKILL {
            // Docker returns from a SIGKILL only once the container is gone, so `kill` then `inspect` agrees.
            waitLocked(seconds: 10) { r.exitGeneration >= generation }
        }
    }

    public func pause(_ ref: String) throws {
        lock.lock()
        defer { lock.unlock() }
        let r = try record(ref)
        guard r.status != .paused else { throw EngineError(.conflict, "Container \(r.id) is already paused", status: 409) }
        guard r.status == .running else { throw EngineError(.conflict, "Container \(r.id) is not running", status: 409) }
        r.signalGroup(SIGSTOP)
        r.status = .paused
        lock.broadcast()
    }

    public func unpause(_ ref: String) throws {
        lock.lock()
        defer { lock.unlock() }
        let r = try record(ref)
        guard r.status == .paused else { throw EngineError(.conflict, "Container \(r.id) is not paused", status: 409) }
        r.signalGroup(SIGCONT)
        r.status = .running
        lock.broadcast()
    }

    public func rename(_ ref: String, to newName: String) throws {
        let name = newName.hasPrefix("/") ? String(newName.dropFirst()) : newName
        guard NameGenerator.isValid(name) else {
            throw EngineError(.invalidArgument, "Invalid container name (\(name)), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed", status: 400)
        }
        lock.lock()
        defer { lock.unlock() }
        let r = try record(ref)
        if r.name == name { return }
        if let other = containers.first(where: { $0.name == name }) {
            throw EngineError(.conflict, "Conflict. The container name \"/\(name)\" is already in use by container \"\(other.id)\". You have to remove (or rename) that container to be able to reuse that name.", status: 409)
        }
        r.name = name
        lock.broadcast()
    }

    public func remove(_ ref: String, force: Bool, volumes: Bool) throws {
        lock.lock()
        let r: ContainerRecord
        do {
            r = try record(ref)
            if r.isLive || r.status == .restarting {
                guard force else {
                    throw EngineError(.conflict, "You cannot remove a running container \(r.id). Stop the container before attempting removal or force remove", status: 409)
                }
                r.manuallyStopped = true
                if r.status == .restarting {
                    r.status = .exited
                } else {
                    let generation = r.runGeneration
                    r.signalGroup(SIGKILL)
                    r.signalGroup(SIGCONT)
                    waitLocked(seconds: 10) { r.exitGeneration >= generation }
                }
            }
        } catch {
            lock.unlock()
            throw error
        }
        lock.unlock()
        removeRecord(r)
    }

    /// Drops the record and its folder (idempotent; lock not held). `onlyIf` is checked under the lock.
    @discardableResult
    func removeRecord(_ r: ContainerRecord, onlyIf: (ContainerRecord) -> Bool = { _ in true }) -> Bool {
        lock.lock()
        if r.removed || !onlyIf(r) {
            lock.unlock()
            return false
        }
        r.removed = true
        r.status = .removing
        containers.removeAll { $0 === r }
        foldersBeingRemoved += 1
        lock.broadcast()
        lock.unlock()
        r.log.close()
        StateDirectory.removeTree(r.directory)
        withLock {
            foldersBeingRemoved -= 1
            lock.broadcast()
        }
        return true
    }
}
