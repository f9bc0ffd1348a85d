// PipeDrainer: reads a process's stdout and stderr pipes together with poll(2) until both close.
// Owns: the poll loop, EOF/error handling, closing the descriptors it drained.
// Must not: interpret the bytes (callers log, split or deliver them) or reap the process.
import DKSEngine
import Glibc

enum PipeDrainer {
    /// What the loop should do after an idle tick.
    enum Next { case goOn, stop }

    /// Drains `stdout` and `stderr` (either may be -1) until both reach end of file or `onTick` says stop.
    /// `onData` sees each read as it happens, stdout before stderr within one wake-up; `onTick` runs
    /// whenever `idleMillis` pass without data, and after every batch, so callers can check deadlines.
    static func drain(
        stdout: Int32, stderr: Int32, idleMillis: Int32,
        onData: (StreamKind, UnsafeRawBufferPointer) throws -> Void,
        onTick: () throws -> Next
    ) rethrows {
        var fds = [pollfd(fd: stdout, events: Int16(POLLIN), revents: 0), pollfd(fd: stderr, events: Int16(POLLIN), revents: 0)]
        defer { for p in fds where p.fd >= 0 { close(p.fd) } }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 65536, alignment: 8)
        defer { buffer.deallocate() }
        while fds[0].fd >= 0 || fds[1].fd >= 0 {
            let n = poll(&fds, 2, idleMillis)
            if n < 0 {
                if errno == EINTR { continue }
                return
            }
            if n > 0 {
                for i in 0..<2 where fds[i].fd >= 0 && fds[i].revents != 0 {
                    let r = read(fds[i].fd, buffer.baseAddress, buffer.count)
                    if r > 0 {
                        try onData(i == 0 ? .stdout : .stderr, UnsafeRawBufferPointer(rebasing: buffer[0..<r]))
                    } else if r == 0 || (errno != EINTR && errno != EAGAIN) {
                        close(fds[i].fd)
                        fds[i].fd = -1
                    }
                }
            }
            if try onTick() == .stop { return }
        }
    }
}
