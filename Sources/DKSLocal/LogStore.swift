// LogStore: a container's log FILE — one record per output line, with stream and timestamp.
// Owns: the record format, buffered appends, rotation (current file + one previous, each bounded),
// and the committed sizes readers may read up to. Must not: hold the log in memory (100 MB of
// output must not grow dks) or know container state.
import DKSEngine
import Foundation
import Glibc

/// Record layout: stream (1 byte), 3 reserved, payload length (UInt32 LE), unix time (Float64 bits LE), payload.
let logRecordHeaderSize = 16
/// Lines longer than this are split into several records, as Docker's json-file driver does at 16 KiB.
let logRecordMaxPayload = 16 * 1024

final class LogStore {
    /// The current file; the previous one is `path + ".1"`.
    let path: String
    var previousPath: String { path + ".1" }
    /// A file is rotated once it would grow past this, so a container's log takes at most about twice it on disk.
    let maxFileBytes: Int64
    private let condition = NSCondition()
    private var fd: Int32
    private var buffer: [UInt8] = []
    /// Rotations so far: the current file has this generation, the previous file one less.
    private var generation = 0
    private var committed: Int64 = 0
    private var previousCommitted: Int64 = 0
    /// Bytes committed over all files, only growing (what followers wait on).
    private var totalCommitted: Int64 = 0

    init(path: String, maxFileBytes: Int64) throws {
        self.path = path
        self.maxFileBytes = max(Int64(1 << 16), maxFileBytes)
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

    /// Writes buffered records (rotating whenever the next one would overflow the file) and wakes followers.
    func flush() {
        condition.lock()
        defer { condition.unlock() }
        guard !buffer.isEmpty else { return }
        defer {
            buffer.removeAll(keepingCapacity: buffer.count <= 1 << 20)
            condition.broadcast()
        }
        var start = 0
        while start < buffer.count {
            // Closed with its container: a straggling writer's output is dropped, never accumulated.
            guard fd >= 0 else { return }
            var end = start
            while end + logRecordHeaderSize <= buffer.count {
                let length = buffer.withUnsafeBytes { Int(UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: end + 4, as: UInt32.self))) }
                let next = min(buffer.count, end + logRecordHeaderSize + length)
                if committed + Int64(next - start) > maxFileBytes && (committed > 0 || end > start) { break }
                end = next
            }
            if end == start {
                rotate()
                continue
            }
            guard writeAll(start, end) else {
                // Disk full: cut back to the last whole record rather than leave a torn one for readers.
                _ = ftruncate(fd, off_t(committed))
                return
            }
            committed += Int64(end - start)
            totalCommitted += Int64(end - start)
            start = end
        }
    }

    private func writeAll(_ from: Int, _ to: Int) -> Bool {
        var written = from
        return buffer.withUnsafeBytes { raw in
            while written < to {
                let r = write(fd, raw.baseAddress.map { $0 + written }, to - written)
                if r > 0 { written += r } else if r < 0 && errno == EINTR { continue } else { return false }
            }
            return true
        }
    }

    /// Lock held. The current file becomes the previous one (replacing the older), a new one starts.
    private func rotate() {
        Glibc.close(fd)
        _ = rename(path, previousPath)
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0o600)
        previousCommitted = committed
        committed = 0
        generation += 1
    }

    /// What readers may read: generation of the current file, its committed size, the previous file's size.
    struct Snapshot {
        let generation: Int
        let committed: Int64
        let previousCommitted: Int64
        let total: Int64
    }

    var snapshot: Snapshot {
        condition.lock()
        defer { condition.unlock() }
        return Snapshot(generation: generation, committed: committed, previousCommitted: previousCommitted, total: totalCommitted)
    }

    /// Opens the files a new reader starts from (previous, if any, then current), with their generations.
    func openFiles() -> [(LogCursor, Int)] {
        condition.lock()
        defer { condition.unlock() }
        var files: [(LogCursor, Int)] = []
        if generation > 0, let previous = LogCursor(path: previousPath) { files.append((previous, generation - 1)) }
        if let current = LogCursor(path: path) { files.append((current, generation)) }
        return files
    }

    /// Opens the oldest file still kept that comes after `generation`.
    func openFile(after generation: Int) -> (LogCursor, Int)? {
        condition.lock()
        defer { condition.unlock() }
        if generation + 1 >= self.generation { return LogCursor(path: path).map { ($0, self.generation) } }
        return LogCursor(path: previousPath).map { ($0, self.generation - 1) }
    }

    /// Waits until more than `total` bytes were ever committed, or `seconds` pass.
    func waitForGrowth(beyond total: Int64, seconds: Double) {
        condition.lock()
        defer { condition.unlock() }
        if totalCommitted <= total { _ = condition.wait(until: Date(timeIntervalSinceNow: seconds)) }
    }

    func close() {
        flush()
        condition.lock()
        defer { condition.unlock() }
        if fd >= 0 { Glibc.close(fd); fd = -1 }
    }
}
