// FrameDecoder: the Engine API's multiplexed stdout/stderr stream (non-TTY attach, exec and logs).
// Owns: splitting the 8-byte-header frames (stream, 0, 0, 0, big-endian uint32 length) across reads.
// Must not: interpret the payload (timestamps, lines); callers do.
import DKSEngine

/// Turns arbitrary pieces of a multiplexed stream into output chunks in order.
///
/// Frames may be split anywhere across `feed` calls. A frame's payload is delivered whole when it is
/// at most `maxFrameBuffer` bytes (Docker's frames are small), else in pieces, so memory stays bounded.
struct FrameDecoder {
    private var header: [UInt8] = []
    private var remaining = 0
    private var stream: StreamKind = .stdout
    private var payload: [UInt8] = []
    private let maxFrameBuffer: Int

    /// Whether consecutive frames of one stream completed in the same `feed` come out as one chunk.
    /// Logs arrive one frame per line; callers that need message boundaries (timestamps) say no.
    private let coalesce: Bool

    init(maxFrameBuffer: Int = 1 << 20, coalesce: Bool = true) {
        self.maxFrameBuffer = maxFrameBuffer
        self.coalesce = coalesce
    }

    /// True when the stream stopped in the middle of a frame.
    var hasPartialFrame: Bool { !header.isEmpty || remaining > 0 }

    /// Consumes `bytes` and returns the chunks completed by them.
    mutating func feed(_ bytes: [UInt8]) -> [OutputChunk] {
        var out: [OutputChunk] = []
        var i = 0
        while i < bytes.count {
            if remaining == 0 {
                let take = min(8 - header.count, bytes.count - i)
                header.append(contentsOf: bytes[i..<(i + take)])
                i += take
                guard header.count == 8 else { break }
                // Stream 0 (stdin echo) and 3 (systemerr, newer daemons) have no stream of their own here.
                switch header[0] {
                case 1: stream = .stdout
                case 0: stream = .stdout
                default: stream = .stderr
                }
                remaining = Int(header[4]) << 24 | Int(header[5]) << 16 | Int(header[6]) << 8 | Int(header[7])
                header.removeAll(keepingCapacity: true)
                payload.removeAll(keepingCapacity: true)
                continue
            }
            // A frame that ends in this piece and has nothing buffered goes out straight from the
            // piece: one copy of its bytes, not two (streams pass gigabytes through here).
            if payload.isEmpty && remaining <= bytes.count - i && remaining <= maxFrameBuffer {
                let slice = bytes[i..<(i + remaining)]
                i += remaining
                remaining = 0
                if coalesce, let last = out.last, last.stream == stream, last.bytes.count + slice.count <= maxFrameBuffer {
                    out[out.count - 1].bytes.append(contentsOf: slice)
                } else {
                    out.append(OutputChunk(stream: stream, bytes: Array(slice)))
                }
                continue
            }
            let take = min(remaining, bytes.count - i, maxFrameBuffer - payload.count)
            payload.append(contentsOf: bytes[i..<(i + take)])
            remaining -= take
            i += take
            if remaining == 0 || payload.count >= maxFrameBuffer {
                if !payload.isEmpty {
                    if coalesce, let last = out.last, last.stream == stream, last.bytes.count + payload.count <= maxFrameBuffer {
                        out[out.count - 1].bytes.append(contentsOf: payload)
                        payload.removeAll(keepingCapacity: true)
                    } else {
                        out.append(OutputChunk(stream: stream, bytes: payload))
                        payload = []
                    }
                }
            }
        }
        return out
    }
}
