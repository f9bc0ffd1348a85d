// LocalEngine+Exec: `exec` — a host process in a running container's folder, environment and
// process group (so stop, kill and pause reach it, as a container's cgroup would); its stdin is
// the caller's descriptor (`exec -i`: the process reads it directly, no copying) or /dev/null;
// `exec -d` keeps a record (id, pid, exit code) for `inspectExec`; a deadline, an interruption or
// a consumer that stops ends the process and what it started.
// Must not: throw for a command that cannot run (Docker reports 126/127 as the exit code).
import DKSEngine
import DKSHost
import DKSSupport
import Foundation
import Glibc

/// A background exec of the local engine (`exec -d`).
final class LocalExecRecord: @unchecked Sendable {
    let id: String
    let containerID: String
    let pid: pid_t
    var exitCode: Int?
    init(id: String, containerID: String, pid: pid_t) {
        self.id = id
        self.containerID = containerID
        self.pid = pid
    }
}

extension LocalEngine {
    public func exec(_ ref: String, _ config: ExecConfig, onOutput: (OutputChunk) throws -> Void) throws -> Int? {
        if config.detach {
            _ = try execDetached(ref, config)
            return nil
        }
        // A terminal cannot be read from the container's process group: its lines come through a pipe.
        let terminal = config.interactive ? TerminalInput.ifTerminal(config.stdin) : nil
        defer { terminal?.stop() }
        var config = config
        if let t = terminal { config.stdin = t.readEnd }
        let process: SpawnedProcess
        switch try spawnExec(ref, config, detached: false) {
        case .failure(let failure):
            let message = "OCI runtime exec failed: \(failure.message): unknown\n"
            try onOutput(OutputChunk(stream: .stderr, bytes: Array(message.utf8), timestamp: Date().timeIntervalSince1970))
            return failure.exitCode
        case .success(let p): process = p
        }
        var stop: EngineError?
        do {
            try PipeDrainer.drain(stdout: process.stdout, stderr: process.stderr, idleMillis: 50, onData: { stream, bytes in
                try onOutput(OutputChunk(stream: stream, bytes: Array(bytes), timestamp: Date().timeIntervalSince1970))
            }, onTick: {
                if Interruption.isRequested {
                    stop = EngineError(.interrupted, "interrupted while running \(config.cmd.joined(separator: " "))")
                    return .stop
                }
                if config.deadline.hasPassed {
                    stop = EngineError(.timeout, "exec \(config.cmd.first ?? "") did not finish before its --timeout; it was killed")
                    return .stop
                }
                return .goOn
            })
        } catch {
            Self.end(process.pid)
            throw error
        }
        if let e = stop {
            Self.end(process.pid)
            throw e
        }
        return Spawn.reap(process.pid)
    }

    /// Kills an exec'd process and its descendants, then reaps it.
    static func end(_ pid: pid_t) {
        ProcessTree.signalTree(pid, SIGKILL)
        _ = Spawn.reap(pid)
    }

    public func execDetached(_ ref: String, _ config: ExecConfig) throws -> String {
        switch try spawnExec(ref, config, detached: true) {
        case .failure(let failure):
            throw EngineError(.container, "OCI runtime exec failed: \(failure.message)", exitCode: failure.exitCode, output: failure.message)
        case .success(let process):
            let containerID = (try? withLock { try self.record(ref).id }) ?? ref
            let entry = LocalExecRecord(id: NameGenerator.id(), containerID: containerID, pid: process.pid)
            withLock {
                execs[entry.id] = entry
                lock.broadcast()
            }
            let reaper = Thread { [weak self] in
                let code = Spawn.reap(process.pid)
                self?.withLock {
                    entry.exitCode = code
                    self?.lock.broadcast()
                }
            }
            reaper.name = "dks-local-exec-reaper"
            reaper.start()
            return entry.id
        }
    }

    public func inspectExec(_ id: String) throws -> JSON {
        try withLock {
            guard let e = execs[id] else { throw EngineError(.notFound, "No such exec instance: \(id)", status: 404) }
            return .object([("ID", .string(e.id)), ("ContainerID", .string(e.containerID)), ("Running", .bool(e.exitCode == nil)),
                            ("ExitCode", e.exitCode.map { .int(Int64($0)) } ?? .null), ("Pid", .int(Int64(e.pid)))])
        }
    }

    /// Starts the process (lock held while checking the container); a command that cannot run is a failure, not an error.
    private func spawnExec(_ ref: String, _ config: ExecConfig, detached: Bool) throws -> Result<SpawnedProcess, SpawnFailure> {
        if let user = config.user, !user.isEmpty, !Self.isCurrentUser(user) {
            throw EngineError(.unsupported, "the local engine runs commands as the current user; it cannot run as \(user) (use --engine docker)")
        }
        guard !config.cmd.isEmpty else { throw EngineError(.invalidArgument, "No exec command specified", status: 400) }
        return try withLock {
            let r = try record(ref)
            // A reaped leader means the run is ending: a process joining its group now would outlive it.
            guard r.status == .running, !r.leaderReaped else {
                if r.status == .paused { throw EngineError(.conflict, "Container \(r.id) is paused, unpause the container before exec", status: 409) }
                throw EngineError(.conflict, "Container \(r.id) is not running", status: 409)
            }
            var env = r.env
            for entry in config.env {
                let key = entry.split(separator: "=", maxSplits: 1).first.map(String.init) ?? entry
                env.removeAll { $0.hasPrefix(key + "=") }
                if entry.contains("=") { env.append(entry) } else if let v = ProcessInfo.processInfo.environment[entry] { env.append(key + "=" + v) }
            }
            var directory = r.workingDirectory
            if let w = config.workingDir, !w.isEmpty { directory = w.hasPrefix("/") ? w : r.workingDirectory + "/" + w }
            var st = stat()
            guard stat(directory, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else {
                return .failure(SpawnFailure(exitCode: 126, message: "chdir to cwd (\"\(directory)\") set in config.json failed: no such file or directory"))
            }
            do {
                var request = SpawnRequest(argv: config.cmd, env: env, directory: directory, processGroup: r.pid, captureOutput: !detached)
                request.stdin = config.interactive ? config.stdin : nil
                return .success(try Spawn.spawn(request))
            } catch let failure as SpawnFailure {
                return .failure(failure)
            }
        }
    }
}
