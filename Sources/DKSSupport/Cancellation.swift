// Cancellation: a shared "stop" for a group of threads working on one task (the workers of one
// `parallel`), seen by every poll of `Interruption.isRequested` on those threads.
// Owns: the cancellation scopes, and which scope the current thread works under.
// Must not: decide when to cancel (the task's owner does: its first error, or an interruption
// turned into an error on one of its threads) or know about the language.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// One task's cancellation, shared by the threads that work on it. Nested tasks (a `parallel`
/// inside a worker of another) have the outer scope as parent: cancelling the outer one
/// cancels everything under it.
public final class CancellationScope: @unchecked Sendable {
    public let parent: CancellationScope?
    private let flag = Atomic<Bool>(false)

    public init(parent: CancellationScope?) {
        self.parent = parent
    }

    /// The scope the current thread works under (nil on a thread that is no task's worker).
    public static var current: CancellationScope? { ThreadView.current?.scope }

    /// True once this scope or an enclosing one was cancelled.
    public var isCancelled: Bool {
        var s: CancellationScope? = self
        while let scope = s {
            if scope.flag.load(ordering: .acquiring) { return true }
            s = scope.parent
        }
        return false
    }

    /// Cancels the task: every thread working under this scope (or a scope nested in it) sees
    /// `Interruption.isRequested` from its next poll on. Idempotent.
    public func cancel() {
        if flag.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged {
            Interruption.cancellationStarted()
        }
    }

    deinit {
        if flag.load(ordering: .relaxed) { Interruption.cancellationEnded() }
    }

    /// Runs `body` on the current thread as a worker of this scope: its polls see this scope's
    /// cancellation until it has become an error on this thread (`Interruption.beginCleanup`).
    public func run<T>(_ body: () throws -> T) rethrows -> T {
        let view = ThreadView(scope: self)
        let previous = ThreadView.install(view)
        defer { ThreadView.restore(previous, replacing: view) }
        return try body()
    }

    /// Whether the current thread should stop because its task was cancelled.
    static var currentThreadIsCancelled: Bool {
        guard let view = ThreadView.current, !view.consumed else { return false }
        return view.scope.isCancelled
    }

    /// An interrupt became an error on the current thread: its task, and every task it is
    /// nested in, is cancelled, so the other workers stop although the flag is now lowered.
    static func cancelCurrentThreadsTasks() {
        var s = ThreadView.current?.scope
        while let scope = s { scope.cancel(); s = scope.parent }
    }

    /// The current thread turned a stop request into an error: from now on its cleanup runs
    /// undisturbed by its task's cancellation (as the interrupt flag is lowered for the main thread).
    static func consumeOnCurrentThread() {
        guard let view = ThreadView.current, view.scope.isCancelled else { return }
        view.consumed = true
    }
}

/// One thread's view of its scope: the scope, and whether its cancellation has already become an
/// error on this thread. Kept in a pthread key (Swift has no thread-local stored properties).
private final class ThreadView {
    let scope: CancellationScope
    var consumed = false

    init(scope: CancellationScope) { self.scope = scope }

    static let key: pthread_key_t = {
        var k = pthread_key_t()
        pthread_key_create(&k, nil)
        return k
    }()

    static var current: ThreadView? {
        guard let p = pthread_getspecific(key) else { return nil }
        return Unmanaged<ThreadView>.fromOpaque(p).takeUnretainedValue()
    }

    /// Makes `view` the current thread's view (retained while installed); returns the previous one.
    static func install(_ view: ThreadView) -> UnsafeMutableRawPointer? {
        let previous = pthread_getspecific(key)
        pthread_setspecific(key, Unmanaged.passRetained(view).toOpaque())
        return previous
    }

    static func restore(_ previous: UnsafeMutableRawPointer?, replacing view: ThreadView) {
        pthread_setspecific(key, previous)
        Unmanaged.passUnretained(view).release()
    }
}
