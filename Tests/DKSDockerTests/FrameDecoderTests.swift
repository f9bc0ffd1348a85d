// FrameDecoderTests: the multiplexed stream decoder under arbitrary splits.
import DKSEngine
import XCTest
@testable import DKSDocker

final class FrameDecoderTests: XCTestCase {
    func frame(_ stream: UInt8, _ text: String) -> [UInt8] {
        let payload = Array(text.utf8)
        let n = UInt32(payload.count)
        return [stream, 0, 0, 0, UInt8(n >> 24), UInt8(n >> 16 & 0xff), UInt8(n >> 8 & 0xff), UInt8(n & 0xff)] + payload
    }

    func render(_ chunks: [OutputChunk]) -> String {
        chunks.map { "\($0.stream == .stdout ? "O" : "E"):\(String(decoding: $0.bytes, as: UTF8.self))" }.joined(separator: "|")
    }

    func testWholeFramesMixedStreams() {
        var d = FrameDecoder()
        let out = d.feed(frame(1, "out1\n") + frame(2, "err1\n") + frame(1, "out2\n"))
        XCTAssertEqual(render(out), "O:out1\n|E:err1\n|O:out2\n")
        XCTAssertFalse(d.hasPartialFrame)
    }

    /// Adjacent chunks of one stream joined: what a coalescing decoder promises (bytes and order, not cuts).
    func merged(_ chunks: [OutputChunk]) -> String {
        var out: [OutputChunk] = []
        for c in chunks {
            if let last = out.last, last.stream == c.stream { out[out.count - 1].bytes += c.bytes } else { out.append(c) }
        }
        return render(out)
    }

    func testEverySplitPointGivesTheSameOutput() {
        let stream = frame(1, "hello") + frame(2, "") + frame(2, "world!") + frame(1, "x")
        for coalesce in [true, false] {
            for cut in 0...stream.count {
                for cut2 in cut...stream.count {
                    var d = FrameDecoder(coalesce: coalesce)
                    var chunks = d.feed(Array(stream[0..<cut]))
                    chunks += d.feed(Array(stream[cut..<cut2]))
                    chunks += d.feed(Array(stream[cut2...]))
                    // Frame by frame, a frame comes out whole; coalescing, as soon as its bytes arrive.
                    XCTAssertEqual(coalesce ? merged(chunks) : render(chunks), "O:hello|E:world!|O:x", "cuts \(cut) \(cut2)")
                    XCTAssertFalse(chunks.contains { $0.bytes.isEmpty })
                    XCTAssertFalse(d.hasPartialFrame)
                }
            }
        }
    }

    /// Pieces of a long stream (32 KB frames, as the daemon writes them, in 64 KB reads) come out
    /// byte for byte, in at most one chunk per stream run and piece, none over the bound.
    func testBigFramesAcrossPiecesComeOutInOrder() {
        var stream: [UInt8] = []
        var want: [UInt8] = []
        for k in 0..<40 {
            let text = String(repeating: Character(UnicodeScalar(UInt8(97 + k % 26))), count: 32768 - k)
            stream += frame(k % 7 == 6 ? 2 : 1, text)
            if k % 7 != 6 { want += Array(text.utf8) }
        }
        for pieceSize in [1000, 65536, 100_000] {
            var d = FrameDecoder(maxFrameBuffer: 50_000)
            var out: [UInt8] = []
            var start = 0
            while start < stream.count {
                let end = min(stream.count, start + pieceSize)
                let chunks = d.feed(Array(stream[start..<end]))
                XCTAssertTrue(chunks.allSatisfy { $0.bytes.count <= 50_000 && !$0.bytes.isEmpty })
                XCTAssertLessThanOrEqual(chunks.count, 2 * (pieceSize / 32768 + 2))
                for c in chunks where c.stream == .stdout { out += c.bytes }
                start = end
            }
            XCTAssertEqual(out, want, "pieces of \(pieceSize)")
            XCTAssertFalse(d.hasPartialFrame)
        }
    }

    func testByteAtATime() {
        let stream = frame(2, "abc") + frame(1, "def")
        var d = FrameDecoder()
        var chunks: [OutputChunk] = []
        for b in stream { chunks += d.feed([b]) }
        XCTAssertEqual(merged(chunks), "E:abc|O:def")
        var byFrame = FrameDecoder(coalesce: false)
        chunks = []
        for b in stream { chunks += byFrame.feed([b]) }
        XCTAssertEqual(render(chunks), "E:abc|O:def")
    }

    func testEmptyFramesProduceNothing() {
        var d = FrameDecoder()
        XCTAssertTrue(d.feed(frame(1, "") + frame(2, "")).isEmpty)
        XCTAssertFalse(d.hasPartialFrame)
    }

    func testPartialFrameIsReported() {
        var d = FrameDecoder()
        _ = d.feed(Array(frame(1, "abcdef").prefix(10)))
        XCTAssertTrue(d.hasPartialFrame)
    }

    func testLargeFrameIsDeliveredInBoundedPieces() {
        var d = FrameDecoder(maxFrameBuffer: 1000)
        let text = String(repeating: "z", count: 5000)
        let chunks = d.feed(frame(1, text))
        XCTAssertGreaterThan(chunks.count, 1)
        XCTAssertTrue(chunks.allSatisfy { $0.bytes.count <= 1000 })
        XCTAssertEqual(chunks.reduce(0) { $0 + $1.bytes.count }, 5000)
    }

    func testUnknownStreamBytesAreStderrAndStdinIsStdout() {
        var d = FrameDecoder()
        XCTAssertEqual(render(d.feed(frame(3, "sys") + frame(0, "in"))), "E:sys|O:in")
    }

    func testTimestampPrefixMovesToTheChunk() {
        let chunk = OutputChunk(stream: .stdout, bytes: Array("2024-01-02T03:04:05.5Z hello\n".utf8))
        let split = OutputPump.splitTimestamp(chunk)
        XCTAssertEqual(String(decoding: split.bytes, as: UTF8.self), "hello\n")
        XCTAssertEqual(split.timestamp ?? 0, 1704164645.5, accuracy: 0.001)
        let plain = OutputPump.splitTimestamp(OutputChunk(stream: .stdout, bytes: Array("no time here\n".utf8)))
        XCTAssertNil(plain.timestamp)
    }

    func testConsecutiveFramesOfOneStreamCoalesceUnlessAsked() {
        let bytes = frame(1, "a\n") + frame(1, "b\n") + frame(2, "e\n") + frame(2, "f\n") + frame(1, "c\n")
        var merged = FrameDecoder()
        XCTAssertEqual(render(merged.feed(bytes)), "O:a\nb\n|E:e\nf\n|O:c\n")
        var separate = FrameDecoder(coalesce: false)
        XCTAssertEqual(render(separate.feed(bytes)), "O:a\n|O:b\n|E:e\n|E:f\n|O:c\n")
    }
}
