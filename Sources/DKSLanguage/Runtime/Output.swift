// Output: where `echo` and streamed container output go — stdout (buffered), or a capture
// buffer for `capture { }`. Must not: decide what to print.
#if canImport(Glibc)
import Glibc
#endif
import DKSSupport

/// A byte sink: a file descriptor with a buffer, or an in-memory capture.
public final class Output {
    public private(set) var buffer: [UInt8] = []
    /// nil for a capture buffer.
    public let fd: Int32?
    /// Whether writing to the descriptor failed (a closed pipe): later writes are dropped.
    public private(set) var broken = false

    public init(fd: Int32?) {
        self.fd = fd
        buffer.reserveCapacity(fd == nil ? 256 : 65536)
    }

    public func write(_ s: String) {
        buffer.append(contentsOf: s.utf8)
        if fd != nil, buffer.count >= 65536 { flush() }
    }

    public func write(bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        if fd != nil, buffer.count >= 65536 { flush() }
    }

    /// Writes `bytes` after what is buffered, straight to the descriptor (no copy into the
    /// buffer); a capture appends them.
    public func writeThrough(_ bytes: [UInt8]) {
        guard let fd = fd else { buffer.append(contentsOf: bytes); return }
        flush()
        if !broken, !writeAll(fd, bytes) { broken = true }
    }

    /// Writes buffered bytes to the descriptor (no-op for captures).
    public func flush() {
        guard let fd = fd, !buffer.isEmpty else { return }
        if !broken, !writeAll(fd, buffer) { broken = true }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Throws `BrokenPipe` once writing failed because the reader went away (`| ^head -1`), so
    /// a producer stops instead of computing output nobody reads.
    @inline(__always)
    public func checkBroken() throws {
        if broken { throw BrokenPipe() }
    }

    /// Appends captured bytes (a pipeline's output inside `capture { }`).
    public func append(captured bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
    }

    /// The captured text, taking it out of the buffer.
    public func takeText() -> String {
        let s = String(decoding: buffer, as: UTF8.self)
        buffer.removeAll()
        return s
    }
}

/// Writes a line to stderr at once (after flushing stdout so the order on a terminal is right).
public func writeStderr(_ s: String) {
    writeAll(2, Array(s.utf8))
}
