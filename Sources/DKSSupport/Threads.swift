// Threads: a joinable thread with a chosen stack size (the interpreter recurses deeply,
// `parallel` runs workers). Must not: schedule work — callers decide what runs where.
#if canImport(Glibc)
import Glibc
#endif

/// A started thread that can be joined once.
public final class JoinableThread {
    private var thread: pthread_t
    private var joined = false

    private init(thread: pthread_t) { self.thread = thread }

    /// Starts `body` on a new thread with `stackSize` bytes of stack. Returns nil if the thread can't be created.
    public static func start(stackSize: Int = 64 << 20, _ body: @escaping () -> Void) -> JoinableThread? {
        final class Box { let body: () -> Void; init(_ b: @escaping () -> Void) { body = b } }
        var attr = pthread_attr_t()
        pthread_attr_init(&attr)
        defer { pthread_attr_destroy(&attr) }
        pthread_attr_setstacksize(&attr, stackSize)
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        var tid = pthread_t()
        let rc = pthread_create(&tid, &attr, { arg in
            guard let arg = arg else { return nil }
            let b = Unmanaged<AnyObject>.fromOpaque(arg).takeRetainedValue()
            (b as? Box)?.body()
            return nil
        }, box)
        if rc != 0 {
            Unmanaged<AnyObject>.fromOpaque(box).release()
            return nil
        }
        return JoinableThread(thread: tid)
    }

    /// A thread nobody joined is detached when its handle goes, so its stack and state are freed
    /// when it ends (an unjoined, undetached thread keeps them until exit; TSan's "thread leak").
    deinit {
        if !joined { pthread_detach(thread) }
    }

    /// Waits for the thread to finish.
    public func join() {
        guard !joined else { return }
        joined = true
        pthread_join(thread, nil)
    }
}

/// A mutex with a scoped `withLock` (no Foundation needed).
public final class Lock: @unchecked Sendable {
    private var m = pthread_mutex_t()
    public init() { pthread_mutex_init(&m, nil) }
    deinit { pthread_mutex_destroy(&m) }
    public func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(&m)
        defer { pthread_mutex_unlock(&m) }
        return try body()
    }
}
