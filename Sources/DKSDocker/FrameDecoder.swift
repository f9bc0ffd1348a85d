// FrameDecoder: the Engine API's multiplexed stdout/stderr stream (non-TTY attach, exec and logs).
// Owns: splitting the 8-byte-header frames (stream, 0, 0, 0, big-endian uint32 length) across reads.
// Must not: interpret the payload (timestamps, lines); callers do.
import DKSEngine

/// Turns arbitrary pieces of a multiplexed stream into output chunks in order.
///
/// Frames may be split anywhere across `feed` calls. Two ways to cut the output:
/// - coalescing (the default, for streams): bytes come out as soon as they arrive, each run of
///   one stream's bytes in a piece as one chunk, whatever the frame boundaries. The payloads are
///   moved together inside the piece itself (no new buffer), and a piece that is all payload goes
///   out as it is: the bytes of a `cat` of gigabytes are copied once here, or not at all.
/// - frame by frame (`coalesce: false`, for logs with timestamps, where a frame is a message):
///   a frame's payload comes out whole when it is at most `maxFrameBuffer` bytes, else in pieces.
/// Either way no chunk is larger than `maxFrameBuffer`, so memory stays bounded.
struct FrameDecoder {
    private var header: [UInt8] = []
    private var remaining = 0
    private var stream: StreamKind = .stdout
    private var payload: [UInt8] = []
    private let maxFrameBuffer: Int

    /// Whether output is cut by arrival (true) or by frame (false); see the type's comment.
    private let coalesce: Bool

    init(maxFrameBuffer: Int = 1 << 20, coalesce: Bool = true) {
        self.maxFrameBuffer = maxFrameBuffer
        self.coalesce = coalesce
    }

    /// True when the stream stopped in the middle of a frame.
    var hasPartialFrame: Bool { !header.isEmpty || remaining > 0 || !payload.isEmpty }

    /// Consumes `piece` and returns the chunks completed by it.
    mutating func feed(_ piece: consuming [UInt8]) -> [OutputChunk] {
        var bytes = piece
        return coalesce ? feedCoalescing(&bytes) : feedByFrame(bytes)
    }

    /// Reads a frame header from `bytes` at `i` (it may be split across pieces); true once the
    /// header is complete and `stream`/`remaining` describe the next payload.
    private mutating func readHeader(_ bytes: [UInt8], _ i: inout Int) -> Bool {
        if header.isEmpty && bytes.count - i >= 8 {
            // The whole header in this piece (the usual case): no buffering.
            setFrame(kind: bytes[i], b4: bytes[i + 4], b5: bytes[i + 5], b6: bytes[i + 6], b7: bytes[i + 7])
            i += 8
            return true
        }
        let take = min(8 - header.count, bytes.count - i)
        header.append(contentsOf: bytes[i..<(i + take)])
        i += take
        guard header.count == 8 else { return false }
        setFrame(kind: header[0], b4: header[4], b5: header[5], b6: header[6], b7: header[7])
        header.removeAll(keepingCapacity: true)
        return true
    }

    private mutating func setFrame(kind: UInt8, b4: UInt8, b5: UInt8, b6: UInt8, b7: UInt8) {
        // Stream 0 (stdin echo) and 3 (systemerr, newer daemons) have no stream of their own here.
        stream = kind <= 1 ? .stdout : .stderr
        remaining = Int(b4) << 24 | Int(b5) << 16 | Int(b6) << 8 | Int(b7)
    }

    /// Coalescing: payload bytes are moved down over the headers inside `bytes`; each run of one
    /// stream (at most `maxFrameBuffer` bytes) becomes a chunk sharing or copying that storage.
    private mutating func feedCoalescing(_ bytes: inout [UInt8]) -> [OutputChunk] {
        let count = bytes.count
        // All payload of the current frame: the piece itself is the chunk.
        if header.isEmpty && remaining >= count && count > 0 && count <= maxFrameBuffer {
            remaining -= count
            return [OutputChunk(stream: stream, bytes: bytes)]
        }
        // Runs found so far: (stream, start, end) in the compacted bytes.
        var runs: [(StreamKind, Int, Int)] = []
        var write = 0
        var i = 0
        while i < count {
            if remaining == 0 {
                if !readHeader(bytes, &i) { break }
                continue
            }
            let take = min(remaining, count - i, maxFrameBuffer)
            if write != i {
                bytes.withUnsafeMutableBufferPointer { p in
                    guard let base = p.baseAddress else { return }
                    (base + write).update(from: base + i, count: take)
                }
            }
            if let last = runs.last, last.0 == stream, last.2 == write, last.2 - last.1 + take <= maxFrameBuffer {
                runs[runs.count - 1].2 += take
            } else {
                runs.append((stream, write, write + take))
            }
            write += take
            i += take
            remaining -= take
        }
        if runs.count == 1 {
            // One run: the piece, cut to it, is the chunk (no copy).
            let run = runs[0]
            if run.1 == 0 {
                bytes.removeSubrange(run.2...)
                return [OutputChunk(stream: run.0, bytes: bytes)]
            }
        }
        return runs.map { OutputChunk(stream: $0.0, bytes: Array(bytes[$0.1..<$0.2])) }
    }

    /// Frame by frame: a payload is buffered until its frame ends (or it reaches `maxFrameBuffer`).
    private mutating func feedByFrame(_ bytes: [UInt8]) -> [OutputChunk] {
        var out: [OutputChunk] = []
        var i = 0
        while i < bytes.count {
            if remaining == 0 && payload.isEmpty {
                if !readHeader(bytes, &i) { break }
                continue
            }
            // A frame that ends in this piece and has nothing buffered goes out straight from the piece.
            if payload.isEmpty && remaining <= bytes.count - i && remaining <= maxFrameBuffer {
                if remaining > 0 { out.append(OutputChunk(stream: stream, bytes: Array(bytes[i..<(i + remaining)]))) }
                i += remaining
                remaining = 0
                continue
            }
            let take = min(remaining, bytes.count - i, maxFrameBuffer - payload.count)
            payload.append(contentsOf: bytes[i..<(i + take)])
            remaining -= take
            i += take
            if remaining == 0 || payload.count >= maxFrameBuffer {
                out.append(OutputChunk(stream: stream, bytes: payload))
                payload = []
            }
        }
        return out
    }
}
