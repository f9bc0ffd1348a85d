// TerminalInput: `exec -i` / `run -i` on the local engine with a terminal as stdin. A container
// process runs in a process group of its own, which does not hold the terminal's foreground, so
// reading the terminal directly would stop it (SIGTTIN). Instead dks (in the foreground) copies
// the terminal's lines into a pipe that the process reads, and stops when the process is done.
// Must not: read the terminal after `stop()`.
import DKSHost
import DKSSupport
import Glibc

final class TerminalInput: @unchecked Sendable {
    /// The pipe end to give the process as its stdin.
    let readEnd: Int32
    private let writeEnd: Int32
    private let source: Int32
    private let lock = Lock()
    private var stopped = false
    private var thread: JoinableThread?

    /// A pipe fed from `fd` when it is a terminal; nil for any other descriptor (pass it as it is).
    static func ifTerminal(_ fd: Int32?) -> TerminalInput? {
        guard let fd = fd, isatty(fd) == 1, let p = try? SystemCalls.pipe() else { return nil }
        let input = TerminalInput(source: fd, read: p.read, write: p.write)
        input.thread = JoinableThread.start(stackSize: 1 << 20) { input.run() }
        return input
    }

    private init(source: Int32, read: Int32, write: Int32) {
        self.source = source
        self.readEnd = read
        self.writeEnd = write
    }

    private var isStopped: Bool { lock.withLock { stopped } }

    private func run() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        var pfd = pollfd(fd: source, events: Int16(POLLIN), revents: 0)
        while !isStopped {
            pfd.revents = 0
            if poll(&pfd, 1, 50) <= 0 { continue }
            let n = buffer.withUnsafeMutableBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return SystemCalls.read(source, base, raw.count)
            }
            // Ctrl-D on an empty line reads 0: the end of the process's input.
            if n <= 0 { break }
            if !writeAll(writeEnd, Array(buffer[0..<n])) { break }
        }
        SystemCalls.close(writeEnd)
    }

    /// Stops copying (the process ended) and releases the pipe.
    func stop() {
        lock.withLock { stopped = true }
        thread?.join()
        thread = nil
        SystemCalls.close(readEnd)
    }
}
