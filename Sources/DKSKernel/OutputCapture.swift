// OutputCapture: makes the kernel process's stdout and stderr pipes and forwards what arrives
// on them as Jupyter `stream` messages while a cell runs — dks's own output, host programs and
// container streams alike, since they all write to descriptors 1 and 2.
// Owns: the pipes, their reader threads, splitting only between whole UTF-8 characters, and
// `drain`, which forwards everything written so far. Must not: write to the terminal.
#if canImport(Glibc)
import Glibc
#endif
import DKSSupport

final class OutputCapture: @unchecked Sendable {
    private struct Stream {
        let name: String
        let fd: Int32
        var carry: [UInt8] = []
    }

    private var streams: [Stream] = []
    private let lock = Lock()
    private let publish: (String, String) -> Void
    private var threads: [JoinableThread] = []
    private var stopping = false
    /// The kernel's own stderr (the original descriptor 2), for its log lines.
    let logFD: Int32

    /// Replaces descriptors 1 and 2 with pipes; `publish(name, text)` receives their text.
    init(publish: @escaping (String, String) -> Void) throws {
        self.publish = publish
        logFD = dup(2)
        for (target, name) in [(Int32(1), "stdout"), (Int32(2), "stderr")] {
            var fds: [Int32] = [0, 0]
            guard pipe(&fds) == 0 else { throw ZMQError(description: "pipe: \(lastErrorText())") }
            _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
            guard dup2(fds[1], target) == target else { throw ZMQError(description: "dup2: \(lastErrorText())") }
            close(fds[1])
            _ = fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK)
            streams.append(Stream(name: name, fd: fds[0]))
        }
        for i in streams.indices {
            let fd = streams[i].fd
            if let t = JoinableThread.start(stackSize: 1 << 20, { [self] in self.pump(index: i, fd: fd) }) { threads.append(t) }
        }
    }

    /// Waits for output and forwards it, until `stop`.
    private func pump(index: Int, fd: Int32) {
        while true {
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            _ = poll(&p, 1, 100)
            let done: Bool = lock.withLock {
                forward(index)
                return stopping
            }
            if done { return }
        }
    }

    /// Forwards everything written to the pipes so far (call after a cell's writes returned).
    func drain() {
        lock.withLock {
            for i in streams.indices { forward(i, final: true) }
        }
    }

    func stop() {
        lock.withLock { stopping = true }
        for t in threads { t.join() }
        threads = []
    }

    /// Reads what the pipe holds and publishes it (holding `lock`).
    private func forward(_ i: Int, final: Bool = false) {
        var bytes = streams[i].carry
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(streams[i].fd, $0.baseAddress, $0.count) }
            if n > 0 { bytes.append(contentsOf: chunk[0..<n]); continue }
            if n < 0, errno == EINTR { continue }
            break
        }
        let cut = final ? bytes.count : OutputCapture.completeUTF8Prefix(bytes)
        streams[i].carry = Array(bytes[cut...])
        if cut > 0 { publish(streams[i].name, String(decoding: bytes[0..<cut], as: UTF8.self)) }
    }

    /// The length of the longest prefix of `bytes` that does not end inside a UTF-8 character.
    static func completeUTF8Prefix(_ bytes: [UInt8]) -> Int {
        var i = bytes.count
        var back = 0
        while i > 0, back < 4 {
            let b = bytes[i - 1]
            if b & 0xC0 != 0x80 {
                let need = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1
                return back + 1 >= need ? bytes.count : i - 1
            }
            i -= 1
            back += 1
        }
        return bytes.count
    }

    /// A line for the kernel's own log (the original stderr).
    func log(_ text: String) { _ = writeAll(logFD, Array(text.utf8)) }
}
