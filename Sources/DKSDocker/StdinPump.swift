// StdinPump: copies a descriptor (a pipe, a `<` file, dks's own stdin) into a hijacked
// connection (`exec -i`, `run -i`) on a thread of its own, with backpressure — one 256 KiB read
// in flight, each written before the next is read, so memory never grows with the input — and
// half-closes the connection's write side at end of input so the process sees EOF.
// Owns: its thread. Must not: close the descriptor it reads (the caller owns it) or keep
// reading after `stop()` (the process ended: what it did not read is dropped).
import DKSEngine
import DKSSupport
import Glibc

final class StdinPump: @unchecked Sendable {
    private let fd: Int32
    private let connection: HTTPConnection
    private let lock = Lock()
    private var stopped = false
    private var thread: JoinableThread?

    init(fd: Int32, connection: HTTPConnection) {
        self.fd = fd
        self.connection = connection
    }

    /// Starts copying.
    func start() {
        thread = JoinableThread.start(stackSize: 1 << 20) { [self] in run() }
        if thread == nil { connection.shutdownOutput() }
    }

    /// Stops copying (if it still is) and waits for the thread.
    func stop() {
        lock.withLock { stopped = true }
        thread?.join()
        thread = nil
    }

    private var isStopped: Bool { lock.withLock { stopped } }

    private func run() {
        let size = 256 * 1024
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
        defer { buffer.deallocate() }
        guard let base = buffer.baseAddress else { return }
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        while !isStopped {
            pfd.revents = 0
            let r = poll(&pfd, 1, 50)
            if r == 0 || (r < 0 && errno == EINTR) { continue }
            let n = Glibc.read(fd, base, size)
            if n < 0 && (errno == EINTR || errno == EAGAIN) { continue }
            if n <= 0 { break }
            do {
                // Written before the next read: one buffer in flight. Not bounded by a deadline (the
                // process may read slowly) and not interruptible (the exec's own call handles that).
                try connection.write(raw: UnsafeRawBufferPointer(rebasing: buffer[0..<n]), deadline: .never, interruptible: false,
                                     timeoutMessage: "")
            } catch { return }
        }
        // End of input (or the process ended): the container sees its stdin close.
        if !connection.closed { connection.shutdownOutput() }
    }
}
