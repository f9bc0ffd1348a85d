// LogStore: a container's log FILE — one record per output line, with stream and timestamp.
// Owns: the record format, buffered appends, the committed size readers may read up to.
// Must not: hold the log in memory (100 MB of output must not grow dks) or know container state.
import DKSEngine
import Foundation
import Glibc

/// Record layout: stream (1 byte), 3 reserved, payload length (UInt32 LE), unix time (Float64 bits LE), payload.
let logRecordHeaderSize = 16
/// Lines longer than this are split into several records, as Docker's json-file driver does at 16 KiB.
let logRecordMaxPayload = 16 * 1024

final class LogStore {
    let path: String
    private let condition = NSCondition()
    private var fd: Int32
    private var buffer: [UInt8] = []
    private var committed: Int64 = 0

    init(path: String) throws {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw EngineError(.engine, "cannot create the log file \(path): \(String(cString: strerror(errno)))") }
    }

    deinit { if fd >= 0 { Glibc.close(fd) } }

    /// Appends one record (buffered until `flush`). Payloads above the maximum are split.
    func append(stream: StreamKind, bytes: UnsafeRawBufferPointer, time: Double) {
        condition.lock()
        defer { condition.unlock() }
        var start = 0
        repeat {
            let count = min(logRecordMaxPayload, bytes.count - start)
            buffer.append(stream.rawValue)
            buffer.append(contentsOf: [0, 0, 0])
            withUnsafeBytes(of: UInt32(count).littleEndian) { buffer.append(contentsOf: $0) }
            withUnsafeBytes(of: time.bitPattern.littleEndian) { buffer.append(contentsOf: $0) }
            buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start..<(start + count)]))
            start += count
        } while start < bytes.count
    }

    /// Writes buffered records and wakes followers.
    func flush() {
        condition.lock()
        defer { condition.unlock() }
        guard !buffer.isEmpty else { return }
        guard fd >= 0 else {
            // Closed with its container: a straggling writer's output is dropped, never accumulated.
            buffer.removeAll()
            return
        }
        var written = 0
        buffer.withUnsafeBytes { raw in
            while written < raw.count {
                let r = write(fd, raw.baseAddress.map { $0 + written }, raw.count - written)
                if r > 0 { written += r } else if r < 0 && errno == EINTR { continue } else { break }
            }
        }
        // A failed write (disk full) drops the rest rather than corrupting the record stream.
        committed += Int64(buffer.count)
        if written < buffer.count { committed = Int64(lseek(fd, 0, SEEK_END)) }
        buffer.removeAll(keepingCapacity: buffer.count <= 1 << 20)
        condition.broadcast()
    }

    /// The size up to which every record is complete.
    var committedSize: Int64 {
        condition.lock()
        defer { condition.unlock() }
        return committed
    }

    /// Waits until the committed size exceeds `size` or `seconds` pass.
    func waitForGrowth(beyond size: Int64, seconds: Double) {
        condition.lock()
        defer { condition.unlock() }
        if committed <= size { _ = condition.wait(until: Date(timeIntervalSinceNow: seconds)) }
    }

    func close() {
        flush()
        condition.lock()
        defer { condition.unlock() }
        if fd >= 0 { Glibc.close(fd); fd = -1 }
    }
}

/// One record as a reader sees it; `payload` is valid only inside the visiting closure.
struct LogRecordView {
    let offset: Int64
    let stream: StreamKind
    let time: Double
    let payload: UnsafeRawBufferPointer
}

/// Sequential reader over a log file, with a fixed-size buffer.
final class LogCursor {
    private let fd: Int32
    private let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * 1024, alignment: 8)
    private var bufferStart: Int64 = 0   // file offset of buffer[0]
    private var bufferCount = 0
    /// The offset of the next record.
    private(set) var offset: Int64

    init?(path: String, offset: Int64 = 0) {
        fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { buffer.deallocate(); return nil }
        self.offset = offset
        bufferStart = offset
    }

    deinit {
        close(fd)
        buffer.deallocate()
    }

    func seek(to newOffset: Int64) {
        offset = newOffset
        bufferStart = newOffset
        bufferCount = 0
    }

    /// Visits records from the current offset up to `limit`; the visitor returns false to stop (that record is consumed).
    func forEach(upTo limit: Int64, _ visit: (LogRecordView) throws -> Bool) rethrows {
        while offset + Int64(logRecordHeaderSize) <= limit {
            guard ensure(Int(min(Int64(logRecordHeaderSize), limit - offset))) else { return }
            let at = Int(offset - bufferStart)
            let base = UnsafeRawBufferPointer(buffer)
            let stream = StreamKind(rawValue: base[at]) ?? .stdout
            let length = Int(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: at + 4, as: UInt32.self)))
            let time = Double(bitPattern: UInt64(littleEndian: base.loadUnaligned(fromByteOffset: at + 8, as: UInt64.self)))
            let total = logRecordHeaderSize + length
            guard length <= logRecordMaxPayload, offset + Int64(total) <= limit, ensure(total) else { return }
            let start = Int(offset - bufferStart) + logRecordHeaderSize
            let view = LogRecordView(offset: offset, stream: stream, time: time,
                                     payload: UnsafeRawBufferPointer(rebasing: base[start..<(start + length)]))
            offset += Int64(total)
            if try !visit(view) { return }
        }
    }

    /// Makes `count` bytes from `offset` available in the buffer.
    private func ensure(_ count: Int) -> Bool {
        let have = Int(bufferStart + Int64(bufferCount) - offset)
        if offset >= bufferStart && have >= count { return true }
        // Move the unread tail to the front, then fill the rest.
        var kept = 0
        if offset >= bufferStart && have > 0 {
            let from = Int(offset - bufferStart)
            if let base = buffer.baseAddress { memmove(base, base + from, have) }
            kept = have
        }
        bufferStart = offset
        bufferCount = kept
        while bufferCount < count {
            let r = pread(fd, buffer.baseAddress.map { $0 + bufferCount }, buffer.count - bufferCount, off_t(bufferStart + Int64(bufferCount)))
            if r > 0 { bufferCount += r } else if r < 0 && errno == EINTR { continue } else { return false }
        }
        return true
    }
}
