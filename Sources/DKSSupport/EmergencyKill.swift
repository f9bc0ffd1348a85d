// EmergencyKill: the process groups dks started, in a fixed table that a signal handler can read.
// A second Ctrl-C exits at once; before it does, the handler kills these groups so no
// container process outlives dks. Must not: allocate or lock in `killAll` (it runs in a handler).
#if canImport(Glibc)
import Glibc
#endif

public enum EmergencyKill {
    private static let capacity = 4096
    // Written under `lock` by the engine; read without it by the signal handler (plain loads).
    nonisolated(unsafe) private static let groups: UnsafeMutablePointer<Int32> = {
        let p = UnsafeMutablePointer<Int32>.allocate(capacity: capacity)
        p.initialize(repeating: 0, count: capacity)
        return p
    }()
    private static let lock = Lock()

    /// Creates the table and its lock now, so the signal handler never runs a lazy initialiser
    /// (which may allocate or lock). Call once at start-up, before installing the handlers.
    public static func prepare() {
        _ = groups
        lock.withLock {}
    }

    /// Records a process group leader's pid (its group id).
    public static func register(_ pgid: Int32) {
        guard pgid > 0 else { return }
        lock.withLock {
            for i in 0..<capacity where groups[i] == 0 {
                groups[i] = pgid
                return
            }
        }
    }

    public static func unregister(_ pgid: Int32) {
        guard pgid > 0 else { return }
        lock.withLock {
            for i in 0..<capacity where groups[i] == pgid { groups[i] = 0 }
        }
    }

    /// SIGKILLs every recorded group. Async-signal-safe: plain loads and kill(2) only.
    public static func killAll() {
        for i in 0..<capacity {
            let g = groups[i]
            if g > 0 { kill(-g, SIGKILL) }
        }
    }
}
