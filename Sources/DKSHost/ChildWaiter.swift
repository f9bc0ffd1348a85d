// ChildWaiter: waits for a set of child processes dks started, a bounded time at a time, so
// the caller can poll interruption between waits; reports exits (reaped) and stops (Ctrl-Z,
// a background read of the terminal). Uses pidfds (woken the moment a child exits), else
// short sleeps between non-blocking checks.
// Owns: reaping exactly the pids it was given. Must not: reap any other child (waitpid(-1)
// would steal the local engine's).
import Glibc

/// How a process ended: an exit status, or the signal that killed it.
public struct ProcessExit: Equatable, Sendable {
    public let code: Int32?
    public let signal: Int32?

    public init(code: Int32?, signal: Int32?) {
        self.code = code
        self.signal = signal
    }

    /// From a wait status.
    public static func decode(_ status: Int32) -> ProcessExit {
        let sig = status & 0x7f
        if sig == 0 { return ProcessExit(code: (status >> 8) & 0xff, signal: nil) }
        return ProcessExit(code: nil, signal: sig)
    }

    /// The shell's number for it: the exit status, or 128 + the signal.
    public var status: Int { code.map { Int($0) } ?? 128 + Int(signal ?? 0) }
}

/// Something that happened to a child.
public enum ChildEvent: Equatable {
    case exited(pid_t, ProcessExit)
    case stopped(pid_t)
}

/// The children one job waits for.
public final class ChildWaiter {
    private var pids: [pid_t] = []
    private var pidfds: [Int32] = []

    public init() {}

    deinit { for fd in pidfds { SystemCalls.close(fd) } }

    public var isEmpty: Bool { pids.isEmpty }
    public var running: [pid_t] { pids }

    /// Adds a child (just spawned, not yet reaped).
    public func add(_ pid: pid_t) {
        pids.append(pid)
        pidfds.append(SystemCalls.pidfd(pid) ?? -1)
    }

    /// Waits at most `timeout` seconds for something to happen — a child exits or stops, or
    /// `wake` (a pipe's read end, -1 for none) becomes readable; returns what happened to children
    /// (exits are reaped).
    public func wait(timeout: Double, wake: Int32 = -1) -> [ChildEvent] {
        var events = check()
        if !events.isEmpty { return events }
        let ms = Int32(max(0, min(timeout, 3600)) * 1000)
        if pidfds.allSatisfy({ $0 >= 0 }) {
            var fds = pidfds.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            if wake >= 0 { fds.append(pollfd(fd: wake, events: Int16(POLLIN), revents: 0)) }
            if !fds.isEmpty { _ = poll(&fds, nfds_t(fds.count), ms) }
        } else if wake >= 0 {
            // No pidfds: wake for the pipe, but check children every 5 ms.
            var fds = [pollfd(fd: wake, events: Int16(POLLIN), revents: 0)]
            _ = poll(&fds, 1, min(ms, 5))
        } else {
            // No pidfds: a short sleep, then a non-blocking check.
            var ts = timespec(tv_sec: 0, tv_nsec: Int(min(timeout, 0.005) * 1e9))
            nanosleep(&ts, nil)
        }
        events = check()
        return events
    }

    /// Non-blocking: reaps the children that exited and reports those that stopped.
    private func check() -> [ChildEvent] {
        var events: [ChildEvent] = []
        var i = 0
        while i < pids.count {
            var status: Int32 = 0
            let r = waitpid(pids[i], &status, WNOHANG | WUNTRACED)
            if r == pids[i] {
                if (status & 0xff) == 0x7f {
                    events.append(.stopped(pids[i]))
                } else {
                    events.append(.exited(pids[i], ProcessExit.decode(status)))
                    SystemCalls.close(pidfds[i])
                    pids.remove(at: i)
                    pidfds.remove(at: i)
                    continue
                }
            } else if r < 0 && errno == ECHILD {
                // Reaped elsewhere (should not happen): nothing more to learn about it.
                events.append(.exited(pids[i], ProcessExit(code: 255, signal: nil)))
                SystemCalls.close(pidfds[i])
                pids.remove(at: i)
                pidfds.remove(at: i)
                continue
            }
            i += 1
        }
        return events
    }
}
