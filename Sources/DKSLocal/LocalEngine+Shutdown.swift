// LocalEngine+Shutdown: ending every container dks started (SIGTERM, then SIGKILL after a short
// grace), reaping them and removing their folders, for one engine or all of them at exit.
// Must not: install signal handlers (the executable owns those) or touch processes it did not start.
import DKSEngine
import Foundation
import Glibc

extension LocalEngine {
    /// Seconds between SIGTERM and SIGKILL at shutdown.
    static let shutdownGrace = 2.0

    /// Stops and reaps every container of this engine and removes their folders, then the engine's
    /// own state folder. The engine refuses new containers afterwards. Safe to call more than once
    /// and from any thread.
    public func shutdown() {
        lock.lock()
        shuttingDown = true
        let all = containers
        func ended(_ r: ContainerRecord) -> Bool { r.exitGeneration >= r.runGeneration && !r.isLive }
        for r in all {
            r.manuallyStopped = true
            if r.status == .restarting { r.status = .exited }
            if r.healthCheckPid > 0 { _ = Glibc.kill(-r.healthCheckPid, SIGKILL) }
            if r.isLive {
                r.signalGroup(SIGTERM)
                r.signalGroup(SIGCONT)
            }
        }
        lock.broadcast()
        if !waitLocked(seconds: Self.shutdownGrace, until: { all.allSatisfy(ended) }) {
            for r in all where !ended(r) {
                r.signalGroup(SIGKILL)
                r.signalGroup(SIGCONT)
            }
            waitLocked(seconds: 10) { all.allSatisfy(ended) }
        }
        lock.unlock()
        for r in all { removeRecord(r) }
        let folder: StateDirectory? = withLock {
            waitLocked(seconds: 10) { foldersBeingRemoved == 0 }
            return stateDirectory
        }
        folder?.removeOwn()
    }

    /// Shuts down every `LocalEngine` in this process. The executable calls this on every way out:
    /// after `main` returns, on an uncaught error, and when its SIGINT/SIGTERM handling decides to
    /// exit (call it from the main flow, not from inside a signal handler: it takes locks).
    /// `installExitHook()` covers `exit()`.
    public static func shutdownAll() {
        for engine in LocalEngineRegistry.all() { engine.shutdown() }
    }

    /// Registers `shutdownAll()` with `atexit`, so `exit(n)` from anywhere also ends every container.
    /// Idempotent.
    public static func installExitHook() {
        LocalEngineRegistry.installExitHookOnce()
    }
}

/// The live local engines of this process, for `shutdownAll`.
enum LocalEngineRegistry {
    private final class Weak {
        weak var engine: LocalEngine?
        init(_ e: LocalEngine) { engine = e }
    }
    private static let lock = NSLock()
    nonisolated(unsafe) private static var engines: [Weak] = []
    nonisolated(unsafe) private static var hookInstalled = false

    static func register(_ e: LocalEngine) {
        lock.lock()
        engines.removeAll { $0.engine == nil }
        engines.append(Weak(e))
        lock.unlock()
    }

    static func unregister(_ e: LocalEngine) {
        lock.lock()
        engines.removeAll { $0.engine == nil || $0.engine === e }
        lock.unlock()
    }

    static func all() -> [LocalEngine] {
        lock.lock()
        defer { lock.unlock() }
        return engines.compactMap { $0.engine }
    }

    static func installExitHookOnce() {
        lock.lock()
        defer { lock.unlock() }
        guard !hookInstalled else { return }
        hookInstalled = true
        atexit { LocalEngine.shutdownAll() }
    }
}
