// Drain: reads several descriptors together with poll(2) until each reaches end of file — a
// pipeline's captured stdout and stderr, a container process's output pipes.
// Owns: the poll loop, EOF and error handling, closing what it drained. Must not: interpret
// the bytes (callers capture, log or deliver them).
import Glibc

public enum Drain {
    /// What the loop does next.
    public enum Next { case goOn, stop }

    /// Drains `fds` (entries of -1 are skipped) until all reach end of file or `onTick` says stop.
    /// `onData` gets the index of the descriptor and the bytes of each read; `onTick` runs after
    /// every wake-up and whenever `idleMillis` pass without data, so callers can check deadlines.
    public static func run(_ fds: [Int32], idleMillis: Int32, bufferSize: Int = 65536,
                           onData: (Int, UnsafeRawBufferPointer) throws -> Void,
                           onTick: () throws -> Next) rethrows {
        var polled = fds.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        defer { for p in polled where p.fd >= 0 { SystemCalls.close(p.fd) } }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bufferSize, 1), alignment: 16)
        defer { buffer.deallocate() }
        guard let base = buffer.baseAddress else { return }
        while polled.contains(where: { $0.fd >= 0 }) {
            let n = poll(&polled, nfds_t(polled.count), idleMillis)
            if n < 0 && errno != EINTR { return }
            if n > 0 {
                for i in polled.indices where polled[i].fd >= 0 && polled[i].revents != 0 {
                    let r = SystemCalls.read(polled[i].fd, base, buffer.count)
                    if r > 0 {
                        try onData(i, UnsafeRawBufferPointer(rebasing: buffer[0..<r]))
                    } else if r == 0 || r != -Int(EAGAIN) {
                        SystemCalls.close(polled[i].fd)
                        polled[i].fd = -1
                    }
                }
            }
            if try onTick() == .stop { return }
        }
    }
}
