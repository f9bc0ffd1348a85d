// Interruption: the one process-wide flag that SIGINT sets and long-running work polls.
// Owns: the flag and its check. Must not: install signal handlers (the executable does that).
import Synchronization

/// The process-wide "the user asked us to stop" flag.
///
/// The SIGINT handler sets it; interpreter loops, `sleep`, and engine waits poll
/// it and raise an `Interrupted` error, which unwinds the script (running its
/// `defer` blocks) or returns the prompt to the user.
public enum Interruption {
    private static let flag = Atomic<Bool>(false)
    private static let signalNumber = Atomic<Int32>(2)
    private static let count = Atomic<Int>(0)

    /// True once an interrupt was requested and not yet consumed.
    @inline(__always)
    public static var isRequested: Bool { flag.load(ordering: .relaxed) }

    /// Marks an interrupt as requested (async-signal-safe: atomic stores only).
    /// `signal` is the signal that asked (SIGINT 2 by default; SIGTERM 15).
    public static func request(signal: Int32 = 2) {
        signalNumber.store(signal, ordering: .relaxed)
        count.add(1, ordering: .relaxed)
        flag.store(true, ordering: .relaxed)
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
