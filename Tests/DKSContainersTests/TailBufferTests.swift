// TailBufferTests: the last output kept for error messages, across chunks of every size.
@testable import DKSContainers
import XCTest

final class TailBufferTests: XCTestCase {
    /// Whatever the chunking, the tail holds the last `limit` bytes of the stream, in order.
    func testKeepsTheLastBytesWhateverTheChunks() {
        var stream: [UInt8] = []
        for i in 0..<5000 { stream += Array("line \(i)\n".utf8) }
        for size in [1, 7, 100, 999, 1000, 4096, 50_000] {
            var tail = TailBuffer(limit: 1000)
            var start = 0
            while start < stream.count {
                let end = min(stream.count, start + size)
                tail.append(Array(stream[start..<end]))
                start = end
            }
            XCTAssertEqual(tail.bytes, Array(stream.suffix(1000)), "chunks of \(size)")
            XCTAssertEqual(tail.lastLines(3), "line 4997\nline 4998\nline 4999", "chunks of \(size)")
        }
    }

    func testShortStreamsAndEmptyChunks() {
        var tail = TailBuffer(limit: 64)
        XCTAssertEqual(tail.lastLines(5), "")
        tail.append([])
        tail.append(Array("one\n".utf8))
        tail.append([])
        tail.append(Array("two".utf8))
        XCTAssertEqual(tail.lastLines(5), "one\ntwo")
        XCTAssertEqual(tail.lastLines(1), "two")
    }
}
