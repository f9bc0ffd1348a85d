// OutputPump: the reader thread of one container run — drains its pipes continuously so a chatty
// process never blocks, splits output into lines for the log file, and feeds attached consumers.
// Must not: touch container state (it reports completion through `onFinish`) or buffer unboundedly.
import DKSEngine
import Foundation
import Glibc
import Synchronization

final class OutputPump: @unchecked Sendable {
    private let stdout: Int32
    private let stderr: Int32
    private let log: LogStore
    private let attached: [ChunkQueue]
    private let onFinish: () -> Void
    private let closeRequested = Atomic<Bool>(false)
    // Bytes of a line not yet ended, per stream; flushed when it ends, grows too long, or output pauses.
    private var partial: [[UInt8]] = [[], []]

    init(stdout: Int32, stderr: Int32, log: LogStore, attached: [ChunkQueue], onFinish: @escaping () -> Void) {
        self.stdout = stdout
        self.stderr = stderr
        self.log = log
        self.attached = attached
        self.onFinish = onFinish
    }

    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "dks-local-output"
        thread.start()
    }

    /// Stops reading at the next pause in output even though the pipes are open (a descendant that
    /// escaped the process group holds them).
    func requestClose() { closeRequested.store(true, ordering: .relaxed) }

    private func run() {
        var sawData = false
        PipeDrainer.drain(stdout: stdout, stderr: stderr, idleMillis: 100, onData: { stream, bytes in
            sawData = true
            let now = Date().timeIntervalSince1970
            if !attached.isEmpty {
                let chunk = OutputChunk(stream: stream, bytes: Array(bytes), timestamp: now)
                for queue in attached { queue.push(chunk) }
            }
            record(stream, bytes, now)
        }, onTick: {
            let idle = !sawData
            sawData = false
            if idle { flushPartials() }
            log.flush()
            // A close request is honoured only once output pauses, so a slow attached consumer loses nothing.
            return idle && closeRequested.load(ordering: .relaxed) ? .stop : .goOn
        })
        flushPartials()
        log.flush()
        for queue in attached { queue.finish() }
        onFinish()
    }

    private func record(_ stream: StreamKind, _ bytes: UnsafeRawBufferPointer, _ now: Double) {
        let index = stream == .stderr ? 1 : 0
        guard let base = bytes.baseAddress else { return }
        var start = 0
        while start < bytes.count {
            let rest = bytes.count - start
            guard let nl = memchr(base + start, 10, rest) else {
                partial[index].append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start...]))
                if partial[index].count >= logRecordMaxPayload { flushPartial(index, now) }
                return
            }
            let end = (base + start).distance(to: UnsafeRawPointer(nl)) + start + 1
            let line = UnsafeRawBufferPointer(rebasing: bytes[start..<end])
            if partial[index].isEmpty {
                log.append(stream: stream, bytes: line, time: now)
            } else {
                partial[index].append(contentsOf: line)
                flushPartial(index, now)
            }
            start = end
        }
    }

    private func flushPartial(_ index: Int, _ now: Double) {
        guard !partial[index].isEmpty else { return }
        partial[index].withUnsafeBytes { log.append(stream: index == 1 ? .stderr : .stdout, bytes: $0, time: now) }
        partial[index].removeAll(keepingCapacity: true)
    }

    private func flushPartials() {
        let now = Date().timeIntervalSince1970
        flushPartial(0, now)
        flushPartial(1, now)
    }
}
