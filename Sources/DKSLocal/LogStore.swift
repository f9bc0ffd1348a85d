// LogStore: a container's log FILE — one record per output line, with stream and timestamp.
// Owns: the record format, buffered appends, rotation as Docker's json-file driver does it
// (`max-size` per file, `max-file` files: the current one plus rotated `.1` (newest) .. `.N-1`),
// and the committed size readers may read up to. Must not: hold the log in memory (100 MB of
// output must not grow dks) or know container state.
import DKSEngine
import Foundation
import Glibc

/// Record layout: stream (1 byte), 3 reserved, payload length (UInt32 LE), unix time (Float64 bits LE), payload.
let logRecordHeaderSize = 16
/// Lines longer than this are split into several records, as Docker's json-file driver does at 16 KiB.
let logRecordMaxPayload = 16 * 1024

/// Where a container's log rotates (`run --log-opt max-size=... --log-opt max-file=...`).
public struct LogLimits: Equatable, Sendable {
    /// A file is rotated before it would grow past this many bytes (at least `minimumFileBytes`).
    public var maxFileBytes: Int64
    /// How many files are kept, the current one included (at least 1): the log takes at most
    /// `maxFileBytes * maxFiles` on disk.
    public var maxFiles: Int

    /// Docker's `local` log driver's defaults: 20 MiB files, 5 of them (100 MiB per container).
    public static let defaults = LogLimits(maxFileBytes: 20 << 20, maxFiles: 5)
    /// The smallest file size (a smaller `max-size` counts as this): four records of the longest line piece.
    public static let minimumFileBytes: Int64 = 64 << 10

    public init(maxFileBytes: Int64, maxFiles: Int) {
        self.maxFileBytes = max(LogLimits.minimumFileBytes, maxFileBytes)
        self.maxFiles = max(1, maxFiles)
    }

    /// These limits with `--log-opt KEY=VALUE` options applied (`max-size`: a size such as 10m;
    /// `max-file`: a count). Other keys, or values that are not a size or a count, are errors that say so.
    public func applying(_ options: [(String, String)]) throws -> LogLimits {
        var limits = self
        for (key, value) in options {
            switch key {
            case "max-size":
                guard let bytes = parseSize(value), bytes > 0 else {
                    throw EngineError(.invalidArgument, "--log-opt max-size=\(value) is not a size; write 10m, 512k or a number of bytes", status: 400)
                }
                limits.maxFileBytes = max(LogLimits.minimumFileBytes, bytes)
            case "max-file":
                guard let count = Int(value), count >= 1 else {
                    throw EngineError(.invalidArgument, "--log-opt max-file=\(value) is not a count of files (1 or more)", status: 400)
                }
                limits.maxFiles = count
            default:
                throw EngineError(.invalidArgument, "the local engine's logs take --log-opt max-size and max-file, not '\(key)'", status: 400)
            }
        }
        return limits
    }
}

final class LogStore {
    /// The current file; rotated ones are `path.1` (the newest) to `path.(maxFiles - 1)`.
    let path: String
    let limits: LogLimits
    var maxFileBytes: Int64 { limits.maxFileBytes }

    /// The rotated file `k` rotations old (0: the current file).
    func path(rotated k: Int) -> String { k == 0 ? path : path + ".\(k)" }
    private let condition = NSCondition()
    private var fd: Int32
    private var buffer: [UInt8] = []
    /// Rotations so far: the current file has this generation, `path.k` has `generation - k`.
    private var generation = 0
    private var committed: Int64 = 0
    /// Bytes committed over all files, only growing (what followers wait on).
    private var totalCommitted: Int64 = 0

    init(path: String, limits: LogLimits) throws {
        self.path = path
        self.limits = limits
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

    /// Lock held. Every rotated file moves one place older (the oldest kept one is replaced), the
    /// current file becomes `.1`, a new one starts; with `max-file=1` the current file is replaced.
    /// A reader keeps reading the files it has open, whatever they are renamed to or replaced by.
    private func rotate() {
        Glibc.close(fd)
        if limits.maxFiles > 1 {
            for k in stride(from: limits.maxFiles - 1, through: 1, by: -1) { _ = rename(path(rotated: k - 1), path(rotated: k)) }
        } else {
            _ = unlink(path)
        }
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0o600)
        committed = 0
        generation += 1
    }

    /// What readers may read: the generation of the current file and its committed size (rotated
    /// files are complete), and the bytes ever committed.
    struct Snapshot {
        let generation: Int
        let committed: Int64
        let total: Int64
    }

    var snapshot: Snapshot {
        condition.lock()
        defer { condition.unlock() }
        return Snapshot(generation: generation, committed: committed, total: totalCommitted)
    }

    /// Opens the files a new reader starts from (the oldest kept first, the current one last), with their generations.
    func openFiles() -> [(LogCursor, Int)] {
        condition.lock()
        defer { condition.unlock() }
        var files: [(LogCursor, Int)] = []
        for k in stride(from: min(generation, limits.maxFiles - 1), through: 1, by: -1) {
            if let rotated = LogCursor(path: path(rotated: k)) { files.append((rotated, generation - k)) }
        }
        if let current = LogCursor(path: path) { files.append((current, generation)) }
        return files
    }

    /// Opens the oldest file still kept that comes after `generation` (a reader that fell further
    /// behind than the kept files skips what was rotated away).
    func openFile(after generation: Int) -> (LogCursor, Int)? {
        condition.lock()
        defer { condition.unlock() }
        let k = min(self.generation - (generation + 1), limits.maxFiles - 1)
        if k <= 0 { return LogCursor(path: path).map { ($0, self.generation) } }
        return LogCursor(path: path(rotated: k)).map { ($0, self.generation - k) }
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
