// ProcessSupervisor: one container run — spawn the process group, watch the leader exit, reap it,
// record the exit once its output is logged, then apply the restart policy or auto-remove.
// Must not: reap anything but its own leader (no global SIGCHLD reaper: other dks parts spawn too).
import DKSEngine
import Foundation
import Glibc

extension LocalEngine {
    /// Starts a run of `r` (lock held). Output goes to the log and to `attached` queues.
    func launch(_ r: ContainerRecord, attached: [ChunkQueue], stdin: Int32? = nil) throws {
        let process: SpawnedProcess
        do {
            var request = SpawnRequest(argv: r.argv, env: r.env, directory: r.workingDirectory)
            request.stdin = stdin
            process = try Spawn.spawn(request)
        } catch let failure as SpawnFailure {
            // Docker leaves a never-started container "created" with the exit code and error recorded.
            r.exitCode = failure.exitCode
            r.error = failure.message
            if r.status != .created { r.status = .exited }
            for queue in attached { queue.finish() }
            lock.broadcast()
            throw EngineError(.container, "failed to start container \"\(r.name)\": \(failure.message)",
                              exitCode: failure.exitCode, output: failure.message)
        }
        let generation = r.runGeneration + 1
        r.runGeneration = generation
        r.pid = process.pid
        r.leaderReaped = false
        r.status = .running
        r.startedAt = Date().timeIntervalSince1970
        r.exitCode = 0
        r.error = ""
        r.outputDone = false
        if r.health != nil { r.healthState = HealthState() }
        let pump = OutputPump(stdout: process.stdout, stderr: process.stderr, log: r.log, attached: attached) { [weak self] in
            self?.outputFinished(r, generation)
        }
        r.pump = pump
        pump.start()
        let pid = process.pid
        let supervisor = Thread { [self] in superviseExit(r, generation: generation, pid: pid) }
        supervisor.name = "dks-local-supervisor"
        supervisor.start()
        if let settings = r.health { HealthMonitor(engine: self, record: r, generation: generation, settings: settings).start() }
        lock.broadcast()
    }

    private func outputFinished(_ r: ContainerRecord, _ generation: Int) {
        withLock {
            if r.runGeneration == generation { r.outputDone = true }
            lock.broadcast()
        }
    }

    private func superviseExit(_ r: ContainerRecord, generation: Int, pid: pid_t) {
        Spawn.waitForExitWithoutReaping(pid)
        lock.lock()
        // The leader is a zombie, so its group id cannot be reused yet: end the rest of the group as a
        // container's processes end with its init, then reap.
        r.signalGroup(SIGKILL)
        r.signalGroup(SIGCONT)
        let code = Spawn.reap(pid)
        r.leaderReaped = true
        // Docker records the exit once the output is copied; a descendant that escaped the group may
        // hold the pipes open, so the pump is told to give up after a grace period.
        if !waitLocked(seconds: 2, until: { r.outputDone || r.runGeneration != generation }) {
            r.pump?.requestClose()
            waitLocked(seconds: 2) { r.outputDone || r.runGeneration != generation }
        }
        r.exitCode = code
        r.finishedAt = Date().timeIntervalSince1970
        r.pid = 0
        r.pump = nil
        if r.healthCheckPid > 0 { _ = Glibc.kill(-r.healthCheckPid, SIGKILL) }
        let restart = !r.removed && !shuttingDown && !r.manuallyStopped
            && RestartDecision.shouldRestart(r.config.restartPolicy, exitCode: code, restartCount: r.restartCount)
        if !r.removed { r.status = restart ? .restarting : .exited }
        r.exitGeneration = generation
        let autoRemove = !restart && r.config.autoRemove && !r.removed
        lock.broadcast()
        lock.unlock()
        if autoRemove { removeRecord(r) }
        if restart { restartAfterBackoff(r) }
    }

    private func restartAfterBackoff(_ r: ContainerRecord) {
        lock.lock()
        defer { lock.unlock() }
        let delay = RestartDecision.backoff(restartCount: r.restartCount)
        waitLocked(seconds: delay) { r.status != .restarting || r.removed || shuttingDown }
        guard r.status == .restarting, !r.removed, !shuttingDown else {
            if r.status == .restarting { r.status = .exited }
            lock.broadcast()
            return
        }
        r.restartCount += 1
        do {
            try launch(r, attached: [])
        } catch {
            r.status = .exited
            lock.broadcast()
        }
    }
}
