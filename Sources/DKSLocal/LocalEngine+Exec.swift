// LocalEngine+Exec: `exec` — a host process in a running container's folder, environment and
// process group (so stop, kill and pause reach it, as a container's cgroup would).
// Must not: throw for a command that cannot run (Docker reports 126/127 as the exit code).
import DKSEngine
import DKSSupport
import Foundation
import Glibc

extension LocalEngine {
    public func exec(_ ref: String, _ config: ExecConfig, onOutput: (OutputChunk) throws -> Void) throws -> Int? {
        if let user = config.user, !user.isEmpty, !Self.isCurrentUser(user) {
            throw EngineError(.unsupported, "the local engine runs commands as the current user; it cannot run as \(user) (use --engine docker)")
        }
        guard !config.cmd.isEmpty else { throw EngineError(.invalidArgument, "No exec command specified", status: 400) }
        let spawned: Result<SpawnedProcess, SpawnFailure> = try withLock {
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
                return .success(try Spawn.spawn(SpawnRequest(argv: config.cmd, env: env, directory: directory,
                                                             processGroup: r.pid, captureOutput: !config.detach)))
            } catch let failure as SpawnFailure {
                return .failure(failure)
            }
        }
        let process: SpawnedProcess
        switch spawned {
        case .failure(let failure):
            if config.detach { return nil }
            let message = "OCI runtime exec failed: \(failure.message): unknown\n"
            try onOutput(OutputChunk(stream: .stderr, bytes: Array(message.utf8), timestamp: Date().timeIntervalSince1970))
            return failure.exitCode
        case .success(let p): process = p
        }
        if config.detach {
            let pid = process.pid
            let reaper = Thread { _ = Spawn.reap(pid) }
            reaper.name = "dks-local-exec-reaper"
            reaper.start()
            return nil
        }
        var interrupted = false
        do {
            try PipeDrainer.drain(stdout: process.stdout, stderr: process.stderr, idleMillis: 50, onData: { stream, bytes in
                try onOutput(OutputChunk(stream: stream, bytes: Array(bytes), timestamp: Date().timeIntervalSince1970))
            }, onTick: {
                if Interruption.isRequested {
                    interrupted = true
                    return .stop
                }
                return .goOn
            })
        } catch {
            _ = Glibc.kill(process.pid, SIGKILL)
            _ = Spawn.reap(process.pid)
            throw error
        }
        if interrupted {
            _ = Glibc.kill(process.pid, SIGKILL)
            _ = Spawn.reap(process.pid)
            throw EngineError(.interrupted, "interrupted while running \(config.cmd.joined(separator: " "))")
        }
        return Spawn.reap(process.pid)
    }
}
