// LogReader: reads a container's log records in order — across rotations — for `logs`.
// Owns: buffered sequential reading (fixed memory) and hopping from a rotated file to the next.
// Must not: write, or trust a record that is not entirely committed.
import DKSEngine
import Glibc

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

/// Reads every committed record of a LogStore in order, following rotations. Its open files stay
/// readable even after rotation renames or replaces them, so a slow reader never sees torn data.
final class LogReader {
    private let store: LogStore
    private var files: [(cursor: LogCursor, generation: Int)]
    private var index = 0

    init?(store: LogStore) {
        self.store = store
        files = store.openFiles().map { (cursor: $0.0, generation: $0.1) }
        if files.isEmpty { return nil }
    }

    /// Visits committed records from the current position; returns false if the visitor stopped.
    func forEach(_ visit: (LogRecordView) throws -> Bool) rethrows -> Bool {
        while true {
            let snap = store.snapshot
            let file = files[index]
            // A rotated file is complete (rotation happens between whole records): read to its end.
            let limit = file.generation == snap.generation ? snap.committed : Int64.max / 2
            var stopped = false
            try file.cursor.forEach(upTo: limit) { v in
                if try visit(v) { return true }
                stopped = true
                return false
            }
            if stopped { return false }
            if file.generation >= snap.generation { return true }
            if index + 1 < files.count {
                index += 1
                continue
            }
            guard let next = store.openFile(after: file.generation) else { return true }
            files.append((cursor: next.0, generation: next.1))
            index += 1
        }
    }

    /// Back to the first record of the files opened so far (for a second pass over the same data).
    func rewind() {
        index = 0
        for f in files { f.cursor.seek(to: 0) }
    }
}
