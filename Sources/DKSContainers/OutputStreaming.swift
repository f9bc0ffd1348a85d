// OutputStreaming: where a container's output goes while `run`, `exec` or `logs` runs —
// streamed live to the context's stdout/stderr (statement level, a pipeline stage), or captured (value used, bounded by
// CaptureLimit) — and the last lines kept for error messages. Owns: raising a failed write or a
// capture over the limit (the caller stops what produces the output). Must not: talk to the engine.
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
    let capture: OutputCapture
    /// The last bytes of both streams, for a ContainerError's `.output`.
    private var tail = TailBuffer(limit: 64 * 1024)
    /// When capturing, whether to keep the output (logs keep only the combined text).
    private let keepSeparate: Bool
    /// Streaming flushes at most every 10 ms (or 32 KB): live to a reader, without one write(2) per line.
    private var lastFlush: UInt64 = 0
    private static let flushInterval: UInt64 = 10_000_000
    private static let flushBytes = 32 * 1024

    /// Streams to `interp`'s output when `stream` is true, else captures (`command` names the
    /// capture in the error a capture over the limit raises).
    init(streamingTo interp: Interpreter?, keepSeparate: Bool = true, command: String) throws {
        self.interp = interp
        self.keepSeparate = keepSeparate
        capture = OutputCapture(what: "the output of \(command)")
        // Whatever the script printed before must appear before the container's output.
        try interp?.flush()
    }

    var isStreaming: Bool { interp != nil }

    /// Set once `deliver` threw (a failed write, a capture over the limit): what produces the
    /// output must be stopped, not left writing into a stream nobody reads.
    private(set) var failed = false

    func deliver(_ chunk: OutputChunk) throws {
        try deliver(chunk.bytes, stream: chunk.stream)
    }

    /// Streams or captures `bytes`. Throws the IOError of a failed write (a broken pipe: the quiet
    /// one) or the CaptureLimitError of a capture over the limit.
    func deliver(_ bytes: [UInt8], stream: StreamKind) throws {
        if bytes.isEmpty { return }
        do {
            try route(bytes, stream: stream)
        } catch {
            failed = true
            throw error
        }
    }

    private func route(_ bytes: [UInt8], stream: StreamKind) throws {
        tail.append(bytes)
        guard let interp = interp else {
            try capture.append(bytes, stream: stream, separate: keepSeparate)
            return
        }
        if stream == .stderr {
            try interp.out.flush()
            try interp.flush()
            // The context's stderr: 2, or a `2>` file or a pipeline's stderr.
            let code = writeAllError(interp.errFD, bytes)
            if code != 0 { throw Output.writeError(name: "stderr", errno: code) }
        } else if bytes.count >= OutputRouter.flushBytes, interp.out.fd != nil {
            // A big chunk goes straight to the descriptor (no copy into the buffer).
            try interp.out.writeThrough(bytes)
            lastFlush = monotonicNanos()
        } else {
            // Through interp.out, so `capture { run ... }` and pipeline stages get it.
            try interp.out.write(bytes: bytes)
            let now = monotonicNanos()
            if interp.out.buffer.count >= OutputRouter.flushBytes || now &- lastFlush >= OutputRouter.flushInterval {
                try interp.out.flush()
                lastFlush = now
            }
        }
    }

    /// The command is over (normally or not): whatever is still buffered goes out now (a failure
    /// is recorded and raised by the next write, or reported at exit).
    deinit {
        interp?.out.flushRecordingFailure()
    }

    /// The last `lines` lines of output (both streams), for error messages.
    func lastLines(_ lines: Int = 20) -> String { tail.lastLines(lines) }
}

/// Captured output: each stream alone and both interleaved in arrival order, at most
/// `CaptureLimit.bytes` in all.
final class OutputCapture {
    var stdout: [UInt8] = []
    var stderr: [UInt8] = []
    var combined: [UInt8] = []
    /// What the capture holds, for the limit's message ("the output of exec").
    let what: String

    init(what: String = "the captured output") { self.what = what }

    /// Adds `bytes`; throws CaptureLimitError (and drops what it held) when the total would pass the limit.
    func append(_ bytes: [UInt8], stream: StreamKind, separate: Bool = true) throws {
        if CaptureLimit.exceeded(combined.count + bytes.count) {
            stdout = []
            stderr = []
            combined = []
            throw ScriptError(.captureLimitError, CaptureLimit.message(what))
        }
        combined.append(contentsOf: bytes)
        guard separate else { return }
        if stream == .stderr { stderr.append(contentsOf: bytes) } else { stdout.append(contentsOf: bytes) }
    }

    func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
}

/// A bounded buffer of the most recent bytes (at least `limit` of them, at most about twice).
///
/// It keeps the chunks themselves, not a copy: an array is shared, not copied, so a stream of
/// gigabytes pays nothing here per byte (copying each chunk's last 64 KB cost as much as the write).
struct TailBuffer {
    let limit: Int
    private var chunks: [[UInt8]] = []
    private var head = 0
    private var count = 0

    init(limit: Int) { self.limit = limit }

    /// The kept bytes, oldest first, at most `limit` of them.
    var bytes: [UInt8] {
        var all: [UInt8] = []
        for chunk in chunks[head...] { all.append(contentsOf: chunk) }
        return Array(all.suffix(limit))
    }

    mutating func append(_ more: [UInt8]) {
        if more.isEmpty { return }
        count += more.count
        // Small chunks (a line, a progress dot) join the last one, so their number stays bounded.
        if more.count < 1024, head < chunks.count, chunks[chunks.count - 1].count < 16 * 1024 {
            chunks[chunks.count - 1].append(contentsOf: more)
        } else {
            chunks.append(more)
        }
        // Drop whole chunks while the rest still holds `limit` bytes.
        while head < chunks.count - 1 && count - chunks[head].count >= limit {
            count -= chunks[head].count
            chunks[head] = []
            head += 1
        }
        if head > 32 && head * 2 > chunks.count {
            chunks.removeFirst(head)
            head = 0
        }
    }

    func lastLines(_ n: Int) -> String {
        var text = String(decoding: bytes, as: UTF8.self)
        if let last = text.last, last.isNewline { text.removeLast() }
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        return lines.suffix(n).joined(separator: "\n")
    }
}

/// Splits a byte stream into lines per output stream (a line may arrive in several chunks). A line
/// is held until its newline comes, so it is bounded by CaptureLimit: a longer one raises.
struct LineSplitter {
    private var partial: [StreamKind: [UInt8]] = [:]
    /// What a line is, for the limit's message ("a line of logs -f").
    let what: String

    init(what: String = "a line") { self.what = what }

    /// Complete lines in `bytes` (without "\n" or a trailing "\r"). Throws CaptureLimitError when
    /// an unfinished line grows past the limit.
    mutating func feed(_ bytes: [UInt8], stream: StreamKind) throws -> [String] {
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
        if CaptureLimit.exceeded(pending.count) {
            partial[stream] = nil
            throw ScriptError(.captureLimitError, CaptureLimit.message("\(what) (no newline yet)"))
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

/// Writes bytes to fd 2 in full (retrying short writes and EINTR; a closed stderr drops them:
/// for progress and notices, which must not fail a command).
func writeStderrBytes(_ bytes: [UInt8]) { writeAll(2, bytes) }
