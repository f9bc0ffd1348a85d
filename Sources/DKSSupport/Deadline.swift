// Deadline: monotonic time points for waits that are real deadlines, not HTTP timeouts.
// Owns: the monotonic clock and interruptible sleeping. Must not: know about containers.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Monotonic nanoseconds since an arbitrary origin (CLOCK_MONOTONIC).
@inline(__always)
public func monotonicNanos() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
}

/// A point in monotonic time by which some work must be done.
public struct Deadline: Sendable, Comparable {
    public let nanos: UInt64

    public init(nanos: UInt64) { self.nanos = nanos }

    /// The deadline `seconds` from now (negative or NaN counts as zero).
    public static func after(seconds: Double) -> Deadline {
        let s = seconds.isFinite && seconds > 0 ? seconds : 0
        let delta = s >= 1e9 ? UInt64(1e18) : UInt64(s * 1e9)
        return Deadline(nanos: monotonicNanos() &+ delta)
    }

    /// A deadline that never passes.
    public static let never = Deadline(nanos: UInt64.max)

    public var hasPassed: Bool { monotonicNanos() >= nanos }

    /// Seconds left (0 once passed).
    public var remainingSeconds: Double {
        let now = monotonicNanos()
        return now >= nanos ? 0 : Double(nanos - now) / 1e9
    }

    public static func < (a: Deadline, b: Deadline) -> Bool { a.nanos < b.nanos }
}

/// Sleeps up to `seconds`, waking every few milliseconds to honour `Interruption`.
/// Throws `InterruptedError` if interrupted.
public func interruptibleSleep(seconds: Double) throws {
    let deadline = Deadline.after(seconds: seconds)
    while true {
        if Interruption.isRequested { throw InterruptedError() }
        let left = deadline.remainingSeconds
        if left <= 0 { return }
        let step = min(left, 0.02)
        var ts = timespec(tv_sec: Int(step), tv_nsec: Int((step - Double(Int(step))) * 1e9))
        nanosleep(&ts, nil)
    }
}

// MARK: The deadline that bounds a whole call

extension Deadline {
    /// The tightest deadline an enclosing `bounding` set on this thread (`.never` outside any).
    /// Engines bound every request by it — connecting, writing, the answer — so a wait with a
    /// deadline ends at it however silent the engine is, and not only once the engine answers.
    public static var ambient: Deadline {
        guard let p = pthread_getspecific(ambientKey) else { return .never }
        return Deadline(nanos: p.load(as: UInt64.self))
    }

    /// Runs `body` with `deadline` (or an enclosing, earlier one) as this thread's `ambient` deadline.
    public static func bounding<T>(_ deadline: Deadline, _ body: () throws -> T) rethrows -> T {
        let outer = ambient
        let effective = Swift.min(outer, deadline)
        let slot: UnsafeMutableRawPointer
        if let p = pthread_getspecific(ambientKey) {
            slot = p
        } else {
            slot = UnsafeMutableRawPointer.allocate(byteCount: 8, alignment: 8)
            pthread_setspecific(ambientKey, slot)
        }
        slot.storeBytes(of: effective.nanos, as: UInt64.self)
        defer { slot.storeBytes(of: outer.nanos, as: UInt64.self) }
        return try body()
    }
}

/// One thread-local slot per thread (freed when the thread ends) holding the ambient deadline.
private let ambientKey: pthread_key_t = {
    var key = pthread_key_t()
    pthread_key_create(&key) { p in p?.deallocate() }
    return key
}()
