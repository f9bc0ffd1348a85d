// HealthMonitor: runs one container run's health check every interval, as Docker does, and keeps
// `State.Health` (status, failing streak, last 5 results). Must not: outlive the run it watches, or
// use a shell except for CMD-SHELL checks (which Docker defines as `/bin/sh -c`).
import DKSEngine
import DKSSupport
import Foundation
import Glibc

final class HealthMonitor {
    private let engine: LocalEngine
    private let record: ContainerRecord
    private let generation: Int
    private let settings: HealthSettings
    /// Docker keeps at most this much of a check's output.
    private static let maxOutput = 4096

    init(engine: LocalEngine, record: ContainerRecord, generation: Int, settings: HealthSettings) {
        self.engine = engine
        self.record = record
        self.generation = generation
        self.settings = settings
    }

    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "dks-local-health"
        thread.start()
    }

    /// The watched run is still going. Engine lock held.
    private var current: Bool {
        record.runGeneration == generation && record.isLive && !record.removed && !engine.shuttingDown
    }

    private func run() {
        while true {
            let proceed: Bool = engine.withLock {
                // The first check comes one interval after start; a frozen container is not probed.
                engine.waitLocked(seconds: settings.interval) { !current }
                return current
            }
            guard proceed else { return }
            if engine.withLock({ record.status == .paused }) { continue }
            guard let entry = probe() else { return }
            let keepGoing: Bool = engine.withLock {
                guard current else { return false }
                apply(entry)
                engine.lock.broadcast()
                return true
            }
            guard keepGoing else { return }
        }
    }

    private func apply(_ entry: HealthState.Entry) {
        var health = record.healthState ?? HealthState()
        health.log.append(entry)
        if health.log.count > 5 { health.log.removeFirst(health.log.count - 5) }
        if entry.exitCode == 0 {
            health.failingStreak = 0
            health.status = "healthy"
        } else {
            let inStartPeriod = entry.start - (record.startedAt ?? 0) < settings.startPeriod
            // Failures during the start period do not count while the container has not yet been healthy.
            if !(inStartPeriod && health.status == "starting") {
                health.failingStreak += 1
                if health.failingStreak >= settings.retries { health.status = "unhealthy" }
            }
        }
        record.healthState = health
    }

    /// Runs the check once; nil when the run ended before it could start.
    private func probe() -> HealthState.Entry? {
        let start = Date().timeIntervalSince1970
        let spawned: Result<SpawnedProcess, SpawnFailure>? = engine.withLock {
            guard current else { return nil }
            do {
                let p = try Spawn.spawn(SpawnRequest(argv: settings.argv, env: record.env, directory: record.workingDirectory))
                record.healthCheckPid = p.pid
                return .success(p)
            } catch let failure as SpawnFailure {
                return .failure(failure)
            } catch {
                return .failure(SpawnFailure(exitCode: 126, message: "\(error)"))
            }
        }
        guard let spawned else { return nil }
        let process: SpawnedProcess
        switch spawned {
        case .failure(let f):
            return HealthState.Entry(start: start, end: Date().timeIntervalSince1970, exitCode: f.exitCode, output: f.message)
        case .success(let p): process = p
        }
        var output: [UInt8] = []
        var timedOut = false
        let deadline = start + settings.timeout
        PipeDrainer.drain(stdout: process.stdout, stderr: process.stderr, idleMillis: 20, onData: { _, bytes in
            if output.count < Self.maxOutput { output.append(contentsOf: bytes.prefix(Self.maxOutput - output.count)) }
        }, onTick: {
            if Date().timeIntervalSince1970 >= deadline {
                timedOut = true
                _ = kill(-process.pid, SIGKILL)
                return .stop
            }
            return .goOn
        })
        Spawn.waitForExitWithoutReaping(process.pid)
        // Cleared under the lock before reaping, so nobody signals a group id that could be reused.
        engine.withLock { record.healthCheckPid = 0 }
        let code = Spawn.reap(process.pid)
        let end = Date().timeIntervalSince1970
        if timedOut {
            return HealthState.Entry(start: start, end: end, exitCode: -1,
                                     output: "Health check exceeded timeout (\(durationText(seconds: settings.timeout)))")
        }
        return HealthState.Entry(start: start, end: end, exitCode: code, output: String(decoding: output, as: UTF8.self))
    }
}
