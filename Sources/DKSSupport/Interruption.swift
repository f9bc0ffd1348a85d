// Interruption: the one process-wide flag that SIGINT/SIGTERM/SIGHUP set and long-running work
// polls; the same poll also reports the cancellation of the task the current thread works on
// (`Cancellation`).
// Owns: the flag and its check. Must not: install signal handlers (the executable does that).
import Synchronization

/// The process-wide "the user asked us to stop" flag.
///
/// The SIGINT, SIGTERM and SIGHUP handlers set it; interpreter loops, `sleep`, and engine waits poll
/// it and raise an `Interrupted` error, which unwinds the script (running its
/// `defer` blocks) or returns the prompt to the user.
///
/// A thread working for a cancelled task (a `parallel` worker after another worker failed or was
/// interrupted) sees `isRequested` too, so every loop, sleep and engine wait that polls the flag
/// also ends that worker promptly.
public enum Interruption {
    /// Bit 0: an interrupt is requested. The rest: how many cancelled scopes exist (times 2). One
    /// word, so the poll on the interpreter's hot paths is one load while nothing is pending.
    @usableFromInline static let state = Atomic<Int>(0)
    private static let signalNumber = Atomic<Int32>(2)
    private static let count = Atomic<Int>(0)

    /// True once an interrupt was requested and not yet consumed, or the current thread's task
    /// was cancelled and that has not yet become an error on this thread.
    /// Inlined into the interpreter's loops: while nothing is pending, one load and a branch.
    @inlinable @inline(__always)
    public static var isRequested: Bool {
        if state.load(ordering: .relaxed) == 0 { return false }
        return isRequestedSlowly()
    }

    @usableFromInline static func isRequestedSlowly() -> Bool {
        state.load(ordering: .relaxed) & 1 != 0 || CancellationScope.currentThreadIsCancelled
    }

    static func cancellationStarted() { state.add(2, ordering: .relaxed) }
    static func cancellationEnded() { state.subtract(2, ordering: .relaxed) }

    /// The terminating signal that arrived (0: none). Unlike the flag and the count, `clear()`
    /// keeps it: a SIGTERM or SIGHUP at the prompt ends the session, not just the statement.
    private static let terminating = Atomic<Int32>(0)

    /// Marks an interrupt as requested (async-signal-safe: atomic operations only).
    /// `signal` is the signal that asked (SIGINT 2 by default; SIGTERM 15, SIGHUP 1). `terminates`:
    /// dks is to end once cleanup ran (batch mode; SIGTERM and SIGHUP also at the prompt).
    public static func request(signal: Int32 = 2, terminates: Bool = false) {
        signalNumber.store(signal, ordering: .relaxed)
        if terminates { _ = terminating.compareExchange(expected: 0, desired: signal, ordering: .relaxed) }
        count.add(1, ordering: .relaxed)
        state.bitwiseOr(1, ordering: .relaxed)
    }

    /// The first terminating signal that arrived, 0 if none (see `request(signal:terminates:)`).
    public static var terminationSignal: Int32 { terminating.load(ordering: .relaxed) }

    /// Touches every atomic now, so a signal handler never runs a lazy initialiser (which may
    /// allocate or lock). Call once at start-up, before installing the handlers.
    public static func prepare() {
        _ = state.load(ordering: .relaxed)
        _ = signalNumber.load(ordering: .relaxed)
        _ = count.load(ordering: .relaxed)
        _ = terminating.load(ordering: .relaxed)
    }

    /// How many interrupts arrived since the last `clear()`: a second one means "exit now".
    public static var requestCount: Int { count.load(ordering: .relaxed) }

    /// Once an interruption has become an `Interrupted` error, the flag is lowered so `finally`
    /// and `defer` cleanup can still sleep, wait and call the engine while the error unwinds.
    /// The count stays, so the exit status still says "interrupted" and a second signal still exits.
    /// On a task's worker thread this also ends the task's cancellation for this thread (so its
    /// own cleanup runs), and an interrupt cancels the task, so the other workers stop as well.
    public static func beginCleanup() {
        // The tasks are cancelled before the flag is lowered, so a worker that saw the flag and
        // turns it into an error after this one did finds its task cancelled, never neither.
        if state.load(ordering: .acquiring) & 1 != 0 { CancellationScope.cancelCurrentThreadsTasks() }
        state.bitwiseAnd(~1, ordering: .acquiringAndReleasing)
        CancellationScope.consumeOnCurrentThread()
    }

    /// The signal behind the last request; dks exits with 128 + it, as shells report.
    public static var signal: Int32 { signalNumber.load(ordering: .relaxed) }

    /// Clears the flag; the prompt does this before running each statement.
    public static func clear() {
        state.bitwiseAnd(~1, ordering: .relaxed)
        count.store(0, ordering: .relaxed)
    }
}

/// Thrown by support code and engines when work stops because of `Interruption`.
public struct InterruptedError: Error, CustomStringConvertible {
    public init() {}
    public var description: String { "interrupted" }
}
