// FutureWait: how the calling thread waits for a NIO future (a connect, a write) — never longer
// than a deadline, and never past an interrupt — instead of `future.wait()`, which blocks until
// the event loop answers however long a silent daemon takes.
// Owns: the bounded, interruptible wait and the clean-up of a result nobody waits for any more.
// Must not: run on an event-loop thread (it blocks), or decide messages (callers map TakeFailure).
import DKSSupport
import Foundation
import NIOCore

enum FutureWait {
    /// How often a blocked wait looks at the interrupt flag and the deadline.
    static let pollSeconds = 0.02

    /// The future's value, or its error. Throws `TakeFailure.deadline` when `deadline` passes and
    /// `TakeFailure.interrupted` on `Interruption` (when `interruptible`) first; then `abandoned`
    /// receives the value if it still arrives (to close a channel that connected too late).
    static func result<T>(of future: EventLoopFuture<T>, deadline: Deadline, interruptible: Bool,
                          abandoned: @escaping @Sendable (T) -> Void = { _ in }) throws -> T {
        let box = Box<T>()
        future.whenComplete { box.complete($0, abandoned: abandoned) }
        while true {
            if let result = box.wait(seconds: min(pollSeconds, max(0.001, deadline.remainingSeconds))) {
                return try result.get()
            }
            if interruptible && Interruption.isRequested {
                if let result = box.abandon() { return try result.get() }
                throw TakeFailure.interrupted
            }
            if deadline.hasPassed {
                if let result = box.abandon() { return try result.get() }
                throw TakeFailure.deadline
            }
        }
    }

    /// The hand-over between the event loop (complete) and the waiting thread (wait, abandon).
    private final class Box<T>: @unchecked Sendable {
        private let condition = NSCondition()
        private var result: Result<T, Error>?
        private var gaveUp = false

        func complete(_ r: Result<T, Error>, abandoned: (T) -> Void) {
            condition.lock()
            if gaveUp {
                condition.unlock()
                if case .success(let value) = r { abandoned(value) }
                return
            }
            result = r
            condition.broadcast()
            condition.unlock()
        }

        func wait(seconds: Double) -> Result<T, Error>? {
            condition.lock()
            defer { condition.unlock() }
            if result == nil { _ = condition.wait(until: Date(timeIntervalSinceNow: seconds)) }
            return result
        }

        /// Gives up waiting; returns the result if it came in the meantime (then nothing is abandoned).
        func abandon() -> Result<T, Error>? {
            condition.lock()
            defer { condition.unlock() }
            if let r = result { return r }
            gaveUp = true
            return nil
        }
    }
}
