// HTTPParserTests: response heads, content-length, chunked and hijacked bodies under arbitrary splits.
import XCTest
@testable import DKSDocker

final class HTTPParserTests: XCTestCase {
    /// A reader that hands out `text` in pieces of `size` bytes.
    func reader(_ text: String, piece size: Int) -> ByteReader {
        var bytes = Array(text.utf8)
        return ByteReader {
            if bytes.isEmpty { return nil }
            let n = min(size, bytes.count)
            defer { bytes.removeFirst(n) }
            return Array(bytes.prefix(n))
        }
    }

    func parse(_ text: String, piece: Int, method: String = "GET") throws -> (ResponseHead, String, BodyReader) {
        let r = reader(text, piece: piece)
        guard let head = try ResponseHead.read(from: r) else { throw HTTPParseError(reason: "no head") }
        let body = BodyReader(reader: r, framing: try BodyFraming.of(head, requestMethod: method))
        let bytes = try body.readAll(limit: 1 << 20)
        return (head, String(decoding: bytes, as: UTF8.self), body)
    }

    func testContentLength() throws {
        for piece in [1, 2, 3, 7, 1000] {
            let (head, body, reader) = try parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nApi-Version: 1.41\r\n\r\nhello", piece: piece)
            XCTAssertEqual(head.status, 200)
            XCTAssertEqual(head.header("api-version"), "1.41")
            XCTAssertEqual(body, "hello")
            XCTAssertTrue(reader.isComplete)
        }
    }

    func testChunked() throws {
        let text = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n1;ext=1\r\n \r\na\r\n0123456789\r\n0\r\nX-Trailer: y\r\n\r\n"
        for piece in [1, 2, 5, 13, 1000] {
            let (_, body, reader) = try parse(text, piece: piece)
            XCTAssertEqual(body, "hello 0123456789")
            XCTAssertTrue(reader.isComplete)
        }
    }

    func testNoContentAndUpgrade() throws {
        let (head, body, _) = try parse("HTTP/1.1 204 No Content\r\n\r\n", piece: 4)
        XCTAssertEqual(head.status, 204)
        XCTAssertEqual(body, "")
        let (up, raw, _) = try parse("HTTP/1.1 101 UPGRADED\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n\u{1}\u{0}\u{0}\u{0}raw bytes", piece: 3, method: "POST")
        XCTAssertEqual(up.status, 101)
        XCTAssertEqual(raw, "\u{1}\u{0}\u{0}\u{0}raw bytes")
    }

    func testMalformedAnswersThrow() {
        XCTAssertThrowsError(try parse("SSH-2.0-OpenSSH\r\n\r\n", piece: 10))
        XCTAssertThrowsError(try parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", piece: 10))
        XCTAssertThrowsError(try parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", piece: 10))
        XCTAssertThrowsError(try parse("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", piece: 10))
        XCTAssertThrowsError(try parse("HTTP/1.1 200 OK\r\nNoColonHere\r\n\r\n", piece: 10))
    }

    func testBufferedChunksComeOutTogetherWithoutWaitingForMore() throws {
        // All three chunks arrive in one read; the next read would block (here: fail the test).
        var reads = 0
        let first = Array("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabc\n\r\n4\r\ndef\n\r\n2\r\ng\n\r\n".utf8)
        let r = ByteReader {
            reads += 1
            if reads == 1 { return first }
            XCTFail("read again although whole chunks were buffered")
            return nil
        }
        guard let head = try ResponseHead.read(from: r) else { return XCTFail("no head") }
        let body = BodyReader(reader: r, framing: try BodyFraming.of(head, requestMethod: "GET"))
        XCTAssertEqual(try body.next().map { String(decoding: $0, as: UTF8.self) }, "abc\ndef\ng\n")
        XCTAssertEqual(reads, 1)
    }

    func testChunkSizeLines() {
        XCTAssertEqual(BodyReader.chunkSize("1f"), 31)
        XCTAssertEqual(BodyReader.chunkSize("1F;name=value"), 31)
        XCTAssertEqual(BodyReader.chunkSize(" a \t"), 10)
        XCTAssertEqual(BodyReader.chunkSize("0"), 0)
        XCTAssertNil(BodyReader.chunkSize(""))
        XCTAssertNil(BodyReader.chunkSize("zz"))
        XCTAssertNil(BodyReader.chunkSize("1 2"))
        XCTAssertNil(BodyReader.chunkSize("-5"))
        XCTAssertNil(BodyReader.chunkSize(String(repeating: "f", count: 16)), "an impossible size is malformed, not an overflow")
    }
}
