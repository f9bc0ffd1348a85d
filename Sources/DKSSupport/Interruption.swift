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

    /// True once an interrupt was requested and not yet consumed.
    @inline(__always)
    public static var isRequested: Bool { flag.load(ordering: .relaxed) }

    /// Marks an interrupt as requested (async-signal-safe: a single atomic store).
    public static func request() { flag.store(true, ordering: .relaxed) }

    /// Clears the flag; the prompt does this before running each statement.
    public static func clear() { flag.store(false, ordering: .relaxed) }
}

/// Thrown by support code and engines when work stops because of `Interruption`.
public struct InterruptedError: Error, CustomStringConvertible {
    public init() {}
    public var description: String { "interrupted" }
}
