// TarWriter: writes a tar archive incrementally to a sink of byte chunks — a header, then the
// member's data in as many pieces as the caller likes, then the next member — so an archive of
// any size passes through a bounded buffer. Used by `cp` into containers; meant for `build`
// contexts too. Owns: block padding, size accounting, the end-of-archive blocks.
// Must not: read the filesystem (HostTreeArchiver does) or buffer more than one chunk.

/// An archive being written to `sink`, member by member.
///
///     let w = TarWriter(sink: { send($0) })
///     try w.append(TarHeader(name: "a.txt", kind: .file, mode: 0o644, size: 5))
///     try w.write(Array("hello".utf8))
///     try w.finish()
public final class TarWriter {
    private let sink: ([UInt8]) throws -> Void
    private let chunkSize: Int
    private var buffer: [UInt8] = []
    /// Data bytes the current member still expects.
    private var remaining: Int64 = 0
    private var pendingPadding = 0
    private var finished = false
    private var current = ""

    /// - Parameters:
    ///   - sink: receives the archive in pieces of about `chunkSize` bytes (file data may come in
    ///     larger pieces when the caller writes them so).
    public init(chunkSize: Int = 64 * 1024, sink: @escaping ([UInt8]) throws -> Void) {
        self.sink = sink
        self.chunkSize = max(TarFormat.block, chunkSize)
    }

    /// Starts a member. A file's `size` bytes must follow through `write` before the next member.
    public func append(_ header: TarHeader) throws {
        try closeMember()
        let blocks = try TarFormat.encode(header)
        try emit(blocks)
        current = header.name
        remaining = header.hasData ? header.size : 0
        pendingPadding = header.hasData ? TarFormat.padding(header.size) : 0
    }

    /// Data of the current member.
    public func write(_ bytes: [UInt8]) throws {
        guard !bytes.isEmpty else { return }
        guard Int64(bytes.count) <= remaining else {
            throw TarError("\(current): more data than its header's size (it changed while being archived?)")
        }
        remaining -= Int64(bytes.count)
        try emit(bytes)
    }

    /// Ends the archive (two zero blocks) and hands the rest of the buffer to the sink.
    public func finish() throws {
        guard !finished else { return }
        try closeMember()
        finished = true
        buffer += [UInt8](repeating: 0, count: 2 * TarFormat.block)
        try flush()
    }

    private func closeMember() throws {
        guard !finished else { throw TarError("the archive is already finished") }
        guard remaining == 0 else {
            throw TarError("\(current): \(remaining) bytes fewer than its header's size (it changed while being archived?)")
        }
        if pendingPadding > 0 {
            buffer += [UInt8](repeating: 0, count: pendingPadding)
            pendingPadding = 0
        }
    }

    private func emit(_ bytes: [UInt8]) throws {
        if buffer.isEmpty && bytes.count >= chunkSize {
            try sink(bytes)
            return
        }
        buffer += bytes
        if buffer.count >= chunkSize { try flush() }
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        let out = buffer
        buffer = []
        buffer.reserveCapacity(chunkSize)
        try sink(out)
    }
}
