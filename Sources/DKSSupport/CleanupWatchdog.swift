// CleanupWatchdog: the time bound on cleanup once dks is terminating (first SIGINT/SIGTERM/SIGHUP, or an
// uncaught error reaching the top level). When the bound passes it prints one line, kills the
// local engine's process groups and exits, as a second Ctrl-C would. Owns: the semaphore the
// signal handler posts, the watchdog thread, the deadline and the emergency exit.
// Must not: run dks code, lock or allocate in `terminationStarted` (a signal handler calls it),
// or start on its own (only batch runs arm it: at the prompt Ctrl-C returns to the prompt).
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

public enum CleanupWatchdog {
    /// The bound when `DKS_CLEANUP_TIMEOUT` is not set.
    public static let defaultSeconds = 30.0

    // Posted once per start of termination; the watchdog thread waits on it. sem_post is
    // async-signal-safe, which is why this is a POSIX semaphore and not a condition variable.
    nonisolated(unsafe) private static let started: UnsafeMutablePointer<sem_t> = {
        let s = UnsafeMutablePointer<sem_t>.allocate(capacity: 1)
        sem_init(s, 0, 0)
        return s
    }()
    /// The exit status if the bound passes: the first reason wins (0: not terminating yet).
    private static let status = Atomic<Int32>(0)
    private static let armed = Atomic<Bool>(false)
    /// What the normal exit path would have printed (an uncaught error's report); shown before the
    /// watchdog's own line, so an overrun does not swallow the error that started it.
    nonisolated(unsafe) private static var pendingReport = ""
    private static let reportLock = Lock()

    /// Keeps `text` to print if the bound passes. Not for signal handlers (it locks).
    public static func setPendingReport(_ text: String) {
        reportLock.withLock { if pendingReport.isEmpty { pendingReport = text } }
    }

    /// Creates the semaphore. Call before installing signal handlers, so the handler never runs
    /// the lazy initialiser (which may lock).
    public static func prepare() {
        _ = started
        _ = status.load(ordering: .relaxed)
    }

    /// Termination began with exit status `exitStatus` (128 + signal, or 1 for an uncaught error).
    /// Async-signal-safe: atomics and sem_post only. Harmless when the watchdog is not armed.
    public static func terminationStarted(exitStatus: Int32) {
        _ = status.compareExchange(expected: 0, desired: exitStatus, ordering: .relaxed)
        sem_post(started)
    }

    /// Starts the watchdog thread (batch runs only; once): from the first `terminationStarted`,
    /// cleanup has `seconds`, then dks exits with that start's status.
    public static func arm(seconds: Double) {
        guard !armed.exchange(true, ordering: .relaxed) else { return }
        prepare()
        let thread = JoinableThread.start(stackSize: 256 << 10) {
            while sem_wait(started) != 0 {
                if errno != EINTR { return }
            }
            let deadline = Deadline.after(seconds: seconds)
            while !deadline.hasPassed {
                let step = min(deadline.remainingSeconds, 1.0)
                var ts = timespec(tv_sec: Int(step), tv_nsec: Int((step - Double(Int(step))) * 1e9))
                nanosleep(&ts, nil)
            }
            // Straight to fd 2: the interpreter thread may hold any lock of a buffered writer.
            let report = reportLock.withLock { pendingReport }
            let line = Array((report + "dks: cleanup did not finish within \(durationText(seconds: seconds)); exiting\n").utf8)
            line.withUnsafeBytes { _ = write(2, $0.baseAddress, $0.count) }
            // As the second-signal path: no local container process may outlive dks.
            EmergencyKill.killAll()
            let code = status.load(ordering: .relaxed)
            _exit(code == 0 ? 1 : code)
        }
        // Never joined: the thread lives until dks exits (a normal exit ends it too).
        _ = thread
    }

    /// The bound from `DKS_CLEANUP_TIMEOUT`'s value: seconds ("10", "2.5") or a duration ("500ms",
    /// "1m"); nil (unset) gives the default. A value that is not a positive duration gives the
    /// default and a warning for the caller to print.
    public static func seconds(fromSetting value: String?) -> (seconds: Double, warning: String?) {
        guard let value = value else { return (defaultSeconds, nil) }
        if let s = parseDuration(value), s > 0, s.isFinite { return (s, nil) }
        return (defaultSeconds, "dks: warning: DKS_CLEANUP_TIMEOUT='\(value)' is not a positive duration (like 30 or 10s); using \(durationText(seconds: defaultSeconds))")
    }
}
