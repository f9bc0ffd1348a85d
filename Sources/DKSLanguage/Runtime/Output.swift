// Output: where `echo` and streamed container output go — stdout (buffered), or a capture
// buffer for `capture { }` (bounded by CaptureLimit). Owns: turning a failed write into an
// IOError (a broken pipe into the quiet one, see `ScriptError.brokenPipe`). Must not: decide what
// to print.
#if canImport(Glibc)
import Glibc
#endif
import DKSSupport

/// A byte sink: a file descriptor with a buffer, or an in-memory capture.
public final class Output {
    public private(set) var buffer: [UInt8] = []
    /// nil for a capture buffer.
    public let fd: Int32?
    /// What messages call the descriptor ("stdout").
    public let name: String
    /// The errno of the first failed write to the descriptor (0: none). Once set, every later
    /// write fails at once with the same error: a closed pipe stays closed.
    public private(set) var failure: Int32 = 0

    public init(fd: Int32?, name: String = "stdout") {
        self.fd = fd
        self.name = name
        buffer.reserveCapacity(fd == nil ? 256 : 65536)
    }

    /// Whether writing to the descriptor failed (a closed pipe, a full disk).
    public var broken: Bool { failure != 0 }

    public func write(_ s: String) throws {
        if failure != 0 { throw writeError() }
        buffer.append(contentsOf: s.utf8)
        try bufferGrew()
    }

    public func write(bytes: [UInt8]) throws {
        if failure != 0 { throw writeError() }
        buffer.append(contentsOf: bytes)
        try bufferGrew()
    }

    @inline(__always)
    private func bufferGrew() throws {
        if fd != nil {
            if buffer.count >= 65536 { try flush() }
        } else if CaptureLimit.exceeded(buffer.count) {
            buffer.removeAll()
            throw ScriptError(.captureLimitError, CaptureLimit.message("the output of capture { }"))
        }
    }

    /// Writes buffered bytes to the descriptor (no-op for captures). Throws the IOError of a failed
    /// write (see `writeError`); the bytes are dropped either way.
    public func flush() throws {
        flushRecordingFailure()
        if failure != 0 { throw writeError() }
    }

    /// As `flush`, for paths that cannot throw (a deinit, a report on the way out): a failure is
    /// recorded and raised by the next write, or reported at exit.
    public func flushRecordingFailure() {
        guard let fd = fd, !buffer.isEmpty else { return }
        if failure == 0 { failure = writeAllError(fd, buffer) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes `bytes` after what is buffered, straight to the descriptor (no copy into the
    /// buffer: big chunks of a container's output); a capture appends them.
    public func writeThrough(_ bytes: [UInt8]) throws {
        guard let fd = fd else { return try write(bytes: bytes) }
        try flush()
        if failure == 0 { failure = writeAllError(fd, bytes) }
        if failure != 0 { throw writeError() }
    }

    /// Throws the recorded write failure, if any (the quiet broken pipe when the reader went away,
    /// so a producer stops instead of computing output nobody reads).
    @inline(__always)
    public func checkBroken() throws {
        if failure != 0 { throw writeError() }
    }

    /// Appends bytes a pipeline captured for this capture buffer (`capture { ^cmd }`).
    public func append(captured bytes: [UInt8]) throws {
        try write(bytes: bytes)
    }

    /// The error for the recorded failure: the quiet broken pipe for EPIPE, else an IOError that
    /// names the descriptor and the reason.
    public func writeError() -> ScriptError {
        Output.writeError(name: name, errno: failure)
    }

    public static func writeError(name: String, errno code: Int32) -> ScriptError {
        if code == EPIPE { return ScriptError.brokenPipe(name) }
        return ScriptError(.ioError, "cannot write to \(name): \(String(cString: strerror(code)))")
    }

    /// The captured text, taking it out of the buffer.
    public func takeText() -> String {
        let s = String(decoding: buffer, as: UTF8.self)
        buffer.removeAll()
        return s
    }
}

/// Writes a line to stderr at once. A closed or broken stderr drops it: an error report has
/// nowhere else to go, and it must not loop or fail in turn.
public func writeStderr(_ s: String) {
    writeAll(2, Array(s.utf8))
}
