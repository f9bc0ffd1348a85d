// Interruption: the one process-wide flag that SIGINT/SIGTERM/SIGHUP set and long-running work polls.
// Owns: the flag and its check. Must not: install signal handlers (the executable does that).
import Synchronization

/// The process-wide "the user asked us to stop" flag.
///
/// The SIGINT, SIGTERM and SIGHUP handlers set it; interpreter loops, `sleep`, and engine waits poll
/// it and raise an `Interrupted` error, which unwinds the script (running its
/// `defer` blocks) or returns the prompt to the user.
public enum Interruption {
    private static let flag = Atomic<Bool>(false)
    private static let signalNumber = Atomic<Int32>(2)
    private static let count = Atomic<Int>(0)

    /// True once an interrupt was requested and not yet consumed.
    @inline(__always)
    public static var isRequested: Bool { flag.load(ordering: .relaxed) }

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
        flag.store(true, ordering: .relaxed)
    }

    /// The first terminating signal that arrived, 0 if none (see `request(signal:terminates:)`).
    public static var terminationSignal: Int32 { terminating.load(ordering: .relaxed) }

    /// Touches every atomic now, so a signal handler never runs a lazy initialiser (which may
    /// allocate or lock). Call once at start-up, before installing the handlers.
    public static func prepare() {
        _ = flag.load(ordering: .relaxed)
        _ = signalNumber.load(ordering: .relaxed)
        _ = count.load(ordering: .relaxed)
        _ = terminating.load(ordering: .relaxed)
    }

    /// How many interrupts arrived since the last `clear()`: a second one means "exit now".
    public static var requestCount: Int { count.load(ordering: .relaxed) }

    /// Once an interruption has become an `Interrupted` error, the flag is lowered so `finally`
    /// and `defer` cleanup can still sleep, wait and call the engine while the error unwinds.
    /// The count stays, so the exit status still says "interrupted" and a second signal still exits.
    public static func beginCleanup() { flag.store(false, ordering: .relaxed) }

    /// The signal behind the last request; dks exits with 128 + it, as shells report.
    public static var signal: Int32 { signalNumber.load(ordering: .relaxed) }

    /// Clears the flag; the prompt does this before running each statement.
    public static func clear() {
        flag.store(false, ordering: .relaxed)
        count.store(0, ordering: .relaxed)
    }
}

/// Thrown by support code and engines when work stops because of `Interruption`.
public struct InterruptedError: Error, CustomStringConvertible {
    public init() {}
    public var description: String { "interrupted" }
}
