// Interruption: the one process-wide flag that SIGINT/SIGTERM/SIGHUP set and long-running work polls, and
// the per-thread cancellation that ends one pipeline stage (or one `parallel` worker) without
// interrupting the rest of dks: every existing poll of `isRequested` honours both.
// Owns: the flag, cancel tokens, the current thread's token. Must not: install signal handlers
// (the executable does that).
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The process-wide "the user asked us to stop" flag.
///
/// The SIGINT, SIGTERM and SIGHUP handlers set it; interpreter loops, `sleep`, and engine waits poll
/// it and raise an `Interrupted` error, which unwinds the script (running its
/// `defer` blocks) or returns the prompt to the user.
public enum Interruption {
    /// Bit 0: an interrupt is requested. The rest counts cancel tokens that are cancelled and not
    /// yet acknowledged (in steps of 2), so the hot check stays one load when nothing is pending.
    @usableFromInline static let word = Atomic<Int>(0)
    private static let signalNumber = Atomic<Int32>(2)
    private static let count = Atomic<Int>(0)

    /// True once an interrupt was requested and not yet consumed, or when the calling thread's
    /// cancel token was cancelled. Inlined into the interpreter's loops: while nothing is
    /// pending, one load and a branch.
    @inlinable @inline(__always)
    public static var isRequested: Bool {
        if word.load(ordering: .relaxed) == 0 { return false }
        return isRequestedSlowly()
    }

    @usableFromInline static func isRequestedSlowly() -> Bool {
        (word.load(ordering: .relaxed) & 1) != 0 || CancelToken.currentIsCancelled
    }

    /// Whether the process-wide flag (not a cancel token) is raised.
    public static var isGlobal: Bool { (word.load(ordering: .relaxed) & 1) != 0 }

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
        word.bitwiseOr(1, ordering: .relaxed)
    }

    /// The first terminating signal that arrived, 0 if none (see `request(signal:terminates:)`).
    public static var terminationSignal: Int32 { terminating.load(ordering: .relaxed) }

    /// Touches every atomic now, so a signal handler never runs a lazy initialiser (which may
    /// allocate or lock). Call once at start-up, before installing the handlers.
    public static func prepare() {
        _ = word.load(ordering: .relaxed)
        _ = signalNumber.load(ordering: .relaxed)
        _ = count.load(ordering: .relaxed)
        _ = terminating.load(ordering: .relaxed)
    }

    /// How many interrupts arrived since the last `clear()`: a second one means "exit now".
    public static var requestCount: Int { count.load(ordering: .relaxed) }

    /// Once an interruption has become an `Interrupted` error, the flag is lowered so `finally`
    /// and `defer` cleanup can still sleep, wait and call the engine while the error unwinds.
    /// The count stays, so the exit status still says "interrupted" and a second signal still exits.
    /// On a thread whose cancel token caused it, the token is acknowledged instead (the rest of
    /// dks was never interrupted). When the interrupt becomes an error on a thread whose token
    /// belongs to a group (the workers of one `parallel`), the group is cancelled first, so the
    /// other workers stop too although the flag is now lowered.
    public static func beginCleanup() {
        if isGlobal {
            // Cancelled before the flag is lowered: a worker that saw the flag and turns it into
            // an error after this one did then finds its token cancelled, never neither.
            CancelToken.current?.interruptBecameError()
            word.bitwiseAnd(~1, ordering: .acquiringAndReleasing)
        } else {
            CancelToken.current?.acknowledge()
        }
    }

    /// The signal behind the last request; dks exits with 128 + it, as shells report.
    public static var signal: Int32 { signalNumber.load(ordering: .relaxed) }

    /// Clears the flag; the prompt does this before running each statement.
    public static func clear() {
        word.bitwiseAnd(~1, ordering: .relaxed)
        count.store(0, ordering: .relaxed)
    }

    static func pendingCancel(_ delta: Int) { word.wrappingAdd(delta * 2, ordering: .relaxed) }
}

/// Ends one unit of work (a pipeline stage, a worker) from another thread: the thread running
/// it sees `Interruption.isRequested` once its token is cancelled, and the handlers registered
/// with `onCancel` (e.g. "kill the exec'd process") run at once. Tokens nest: cancelling one
/// cancels the tokens made under it.
public final class CancelToken: @unchecked Sendable {
    private let lock = Lock()
    private var cancelled = false
    private var acknowledged = false
    private var handlers: [Int: () -> Void] = [:]
    private var nextHandler = 0
    private var children: [CancelToken] = []
    private let flag = Atomic<Bool>(false)

    /// The token to cancel when the process-wide interrupt becomes an error on this token's
    /// thread (the group of one `parallel`'s workers); nil for tokens that stop on their own.
    /// Weak: the group holds this token among its children.
    private weak var group: CancelToken?

    /// A token; with `parent`, cancelled whenever the parent is. With `group`, an interrupt
    /// that becomes an error on this token's thread cancels `group` (see `Interruption.beginCleanup`).
    public init(parent: CancelToken? = CancelToken.current, group: CancelToken? = nil) {
        self.group = group
        parent?.adopt(self)
    }

    /// The interrupt became an error on this token's thread: its group is cancelled (so the
    /// thread's siblings stop), and this token acknowledged (so this thread's cleanup runs).
    func interruptBecameError() {
        guard let g = group else { return }
        g.cancel()
        acknowledge()
    }

    private func adopt(_ child: CancelToken) {
        let now: Bool = lock.withLock {
            if !cancelled { children.append(child) }
            return cancelled
        }
        if now { child.cancel() }
    }

    public var isCancelled: Bool { flag.load(ordering: .relaxed) }

    /// Cancels: the owning thread's polls report it, handlers run, child tokens are cancelled.
    public func cancel() {
        let (run, kids): ([() -> Void], [CancelToken]) = lock.withLock {
            guard !cancelled else { return ([], []) }
            cancelled = true
            flag.store(true, ordering: .relaxed)
            Interruption.pendingCancel(1)
            defer { handlers = [:]; children = [] }
            return (Array(handlers.values), children)
        }
        for h in run { h() }
        for k in kids { k.cancel() }
    }

    /// The cancellation has become an error on its thread: polls stop reporting it, so cleanup
    /// (`defer`, `finally`) can still sleep and call the engine.
    func acknowledge() {
        lock.withLock {
            guard cancelled, !acknowledged else { return }
            acknowledged = true
            flag.store(false, ordering: .relaxed)
            Interruption.pendingCancel(-1)
        }
    }

    /// Runs `handler` when the token is cancelled (at once if it already is). Returns an id for `remove`.
    @discardableResult
    public func onCancel(_ handler: @escaping () -> Void) -> Int {
        let (id, now): (Int, Bool) = lock.withLock {
            if cancelled { return (-1, true) }
            nextHandler += 1
            handlers[nextHandler] = handler
            return (nextHandler, false)
        }
        if now { handler() }
        return id
    }

    public func remove(_ id: Int) {
        _ = lock.withLock { handlers.removeValue(forKey: id) }
    }

    /// Whether it was ever cancelled (acknowledged or not).
    public var wasCancelled: Bool { lock.withLock { cancelled } }

    deinit {
        // A cancelled token nobody acknowledged must not leave the pending count raised.
        if cancelled && !acknowledged { Interruption.pendingCancel(-1) }
    }

    // MARK: The current thread's token

    private static let key: pthread_key_t = {
        var k = pthread_key_t()
        pthread_key_create(&k, nil)
        return k
    }()

    /// The token of the work the calling thread runs, if any.
    public static var current: CancelToken? {
        guard let p = pthread_getspecific(key) else { return nil }
        return Unmanaged<CancelToken>.fromOpaque(p).takeUnretainedValue()
    }

    static var currentIsCancelled: Bool { current?.isCancelled ?? false }

    /// Runs `body` with `token` as the calling thread's token.
    public static func with<T>(_ token: CancelToken, _ body: () throws -> T) rethrows -> T {
        let previous = pthread_getspecific(key)
        pthread_setspecific(key, Unmanaged.passUnretained(token).toOpaque())
        defer { pthread_setspecific(key, previous) }
        return try withExtendedLifetime(token) { try body() }
    }
}

/// Thrown by support code and engines when work stops because of `Interruption`.
public struct InterruptedError: Error, CustomStringConvertible {
    public init() {}
    public var description: String { "interrupted" }
}
