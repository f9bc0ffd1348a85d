// OutputStreaming: where a container's output goes while `run`, `exec` or `logs` runs —
// streamed live to dks's stdout/stderr (statement level), or captured (value used) — and the
// last lines kept for error messages. Must not: talk to the engine or decide when to raise.
#if canImport(Glibc)
import Glibc
#endif
import DKSEngine
import DKSLanguage
import DKSSupport

/// Receives output chunks in order, either streaming or capturing them.
final class OutputRouter {
    /// nil: capture only.
    private let interp: Interpreter?
    let capture = OutputCapture()
    /// The last bytes of both streams, for a ContainerError's `.output`.
    private var tail = TailBuffer(limit: 64 * 1024)
    /// When capturing, whether to keep the output (logs keep only the combined text).
    private let keepSeparate: Bool
    /// Streaming flushes at most every 10 ms (or 32 KB): live to a reader, without one write(2) per line.
    private var lastFlush: UInt64 = 0
    private static let flushInterval: UInt64 = 10_000_000
    private static let flushBytes = 32 * 1024

    /// Streams to `interp`'s output when `stream` is true, else captures.
    init(streamingTo interp: Interpreter?, keepSeparate: Bool = true) {
        self.interp = interp
        self.keepSeparate = keepSeparate
        // Whatever the script printed before must appear before the container's output.
        interp?.flush()
    }

    var isStreaming: Bool { interp != nil }

    func deliver(_ chunk: OutputChunk) throws {
        try deliver(chunk.bytes, stream: chunk.stream)
    }

    /// Streams or captures `bytes`. Throws `BrokenPipe` when the stream's reader went away (a
    /// pipeline's next stage ended), so the command stops instead of running on for nobody.
    func deliver(_ bytes: [UInt8], stream: StreamKind) throws {
        if bytes.isEmpty { return }
        tail.append(bytes)
        guard let interp = interp else {
            capture.append(bytes, stream: stream, separate: keepSeparate)
            return
        }
        if stream == .stderr {
            interp.out.flush()
            interp.flush()
            // The context's stderr: 2, or a `2>` file or a pipeline's stderr.
            writeAll(interp.errFD, bytes)
        } else {
            // Through interp.out, so `capture { run ... }` and pipeline stages get it. A big chunk
            // goes straight to the descriptor (no copy into the buffer).
            if bytes.count >= OutputRouter.flushBytes, interp.out.fd != nil {
                interp.out.writeThrough(bytes)
                lastFlush = monotonicNanos()
            } else {
                interp.out.write(bytes: bytes)
                let now = monotonicNanos()
                if interp.out.buffer.count >= OutputRouter.flushBytes || now &- lastFlush >= OutputRouter.flushInterval {
                    interp.out.flush()
                    lastFlush = now
                }
            }
            try interp.out.checkBroken()
        }
    }

    /// The command is over (normally or not): whatever is still buffered goes out now.
    deinit {
        interp?.out.flush()
    }

    /// The last `lines` lines of output (both streams), for error messages.
    func lastLines(_ lines: Int = 20) -> String { tail.lastLines(lines) }
}

/// Captured output: each stream alone and both interleaved in arrival order.
final class OutputCapture {
    var stdout: [UInt8] = []
    var stderr: [UInt8] = []
    var combined: [UInt8] = []

    func append(_ bytes: [UInt8], stream: StreamKind, separate: Bool = true) {
        combined.append(contentsOf: bytes)
        guard separate else { return }
        if stream == .stderr { stderr.append(contentsOf: bytes) } else { stdout.append(contentsOf: bytes) }
    }

    func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
}

/// A bounded buffer of the most recent bytes.
struct TailBuffer {
    let limit: Int
    private(set) var bytes: [UInt8] = []

    init(limit: Int) { self.limit = limit }

    mutating func append(_ more: [UInt8]) {
        if more.count >= limit {
            bytes = Array(more.suffix(limit))
            return
        }
        bytes.append(contentsOf: more)
        // Trim in big steps so appending stays amortised O(1).
        if bytes.count > limit * 2 { bytes.removeFirst(bytes.count - limit) }
    }

    func lastLines(_ n: Int) -> String {
        var text = String(decoding: bytes.suffix(limit), as: UTF8.self)
        if let last = text.last, last.isNewline { text.removeLast() }
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        return lines.suffix(n).joined(separator: "\n")
    }
}

/// Splits a byte stream into lines per output stream (a line may arrive in several chunks).
struct LineSplitter {
    private var partial: [StreamKind: [UInt8]] = [:]

    /// Complete lines in `bytes` (without "\n" or a trailing "\r").
    mutating func feed(_ bytes: [UInt8], stream: StreamKind) -> [String] {
        var pending = partial[stream] ?? []
        var lines: [String] = []
        for b in bytes {
            if b == 10 {
                lines.append(Self.text(pending))
                pending.removeAll(keepingCapacity: true)
            } else {
                pending.append(b)
            }
        }
        partial[stream] = pending
        return lines
    }

    /// The unterminated last lines, once the stream ended.
    mutating func finish() -> [String] {
        let rest = [StreamKind.stdout, .stderr, .stdin].compactMap { partial[$0] }.filter { !$0.isEmpty }.map(Self.text)
        partial.removeAll()
        return rest
    }

    private static func text(_ bytes: [UInt8]) -> String {
        var s = String(decoding: bytes, as: UTF8.self)
        if s.hasSuffix("\r") { s.removeLast() }
        return s
    }
}

enum LogFormatting {
    /// `logs -t`: the engine's timestamp in front of the message, as `docker logs -t` prints it.
    static func prefixTimestamp(_ chunk: OutputChunk) -> [UInt8] {
        if let text = chunk.timestampText { return Array((text + " ").utf8) + chunk.bytes }
        guard let t = chunk.timestamp else { return chunk.bytes }
        return Array((formatRFC3339(t) + " ").utf8) + chunk.bytes
    }
}

/// Writes bytes to fd 2 in full (retrying short writes and EINTR; a closed stderr drops them).
func writeStderrBytes(_ bytes: [UInt8]) { writeAll(2, bytes) }
