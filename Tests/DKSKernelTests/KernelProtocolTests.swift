// KernelProtocolTests: the kernel's pure parts — HMAC-SHA256 (RFC 4231 vectors), signed message
// frames and their verification, UTF-8-safe stream chunks, HTML escaping, the kernel spec.
import XCTest
import DKSLanguage
import DKSSupport
@testable import DKSKernel

final class KernelProtocolTests: XCTestCase {
    func testHMACSHA256MatchesRFC4231() {
        XCTAssertEqual(hex(hmacSHA256(key: [UInt8](repeating: 0x0b, count: 20), message: Array("Hi There".utf8))),
                       "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        XCTAssertEqual(hex(hmacSHA256(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))),
                       "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        // A key longer than the block is hashed first (test case 6).
        XCTAssertEqual(hex(hmacSHA256(key: [UInt8](repeating: 0xaa, count: 131),
                                      message: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8))),
                       "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    func testMessagesRoundTripSignedAndRejectForgeries() throws {
        let key = Array("secret".utf8)
        var msg = JupyterMessage.reply(to: nil, type: "execute_request", session: "s", content: .object([("code", .string("echo hi"))]))
        msg.identities = [Array("client-1".utf8)]
        let frames = msg.encode(key: key)
        XCTAssertEqual(frames[1], JupyterMessage.delimiter)
        let back = try XCTUnwrap(JupyterMessage.decode(frames, key: key))
        XCTAssertEqual(back.type, "execute_request")
        XCTAssertEqual(back.content["code"]?.stringValue, "echo hi")
        XCTAssertEqual(back.identities, [Array("client-1".utf8)])
        var forged = frames
        forged[forged.count - 1] = Array("{\"code\": \"rm -rf /\"}".utf8)
        XCTAssertNil(JupyterMessage.decode(forged, key: key))
        XCTAssertNil(JupyterMessage.decode(frames, key: Array("other".utf8)))
        // A reply keeps the routing identities and names its parent.
        let reply = JupyterMessage.reply(to: back, type: "execute_reply", session: "s", content: .object([]))
        XCTAssertEqual(reply.identities, back.identities)
        XCTAssertEqual(reply.parentHeader["msg_id"], back.header["msg_id"])
        XCTAssertEqual(JupyterMessage.newID().count, 36)
    }

    func testStreamChunksNeverEndInsideACharacter() {
        let text = Array("aé€😀".utf8)
        XCTAssertEqual(OutputCapture.completeUTF8Prefix(text), text.count)
        XCTAssertEqual(OutputCapture.completeUTF8Prefix(Array(text.dropLast())), text.count - 4)
        XCTAssertEqual(OutputCapture.completeUTF8Prefix(Array(text.dropLast(3))), text.count - 4)
        XCTAssertEqual(OutputCapture.completeUTF8Prefix(Array("ab".utf8) + [0xE2, 0x82]), 2)
    }

    func testHTMLTablesEscapeEveryCell() {
        let html = RichDisplay.table(header: ["NAME"], rows: [["<script>&\"'"]])
        XCTAssertTrue(html.contains("<td style=\"text-align:left\">&lt;script&gt;&amp;&quot;&#39;</td>"), html)
        XCTAssertFalse(html.contains("<script>"))
    }

    func testStatsSampleBecomesADockerStatsRow() throws {
        var mem = MapStorage()
        mem[.string("usage")] = .int(2 * 1024 * 1024)
        mem[.string("limit")] = .int(8 * 1024 * 1024)
        var pids = MapStorage()
        pids[.string("current")] = .int(3)
        var m = MapStorage()
        m[.string("name")] = .string("/web")
        m[.string("memory_stats")] = .map(mem)
        m[.string("pids_stats")] = .map(pids)
        let t = try XCTUnwrap(RichDisplay.statsTable(.map(m)))
        XCTAssertEqual(t.rows, [["web", "--", "2.0MiB / 8.0MiB", "25.0%", "--", "3"]])
        XCTAssertNil(RichDisplay.statsTable(.map(MapStorage())))
    }

    func testKernelSpecStartsThisDksWithTheConnectionFile() throws {
        let spec = try JSON.parse(KernelInstall.spec(dksPath: "/opt/dks", arguments: ["--engine", "local"], displayName: "dks"))
        XCTAssertEqual(spec["argv"], .array(["/opt/dks", "kernel", "--engine", "local", "-f", "{connection_file}"].map { .string($0) }))
        XCTAssertEqual(spec["language"]?.stringValue, "dks")
        XCTAssertEqual(spec["interrupt_mode"]?.stringValue, "signal")
        XCTAssertEqual(KernelInstall.directory(user: false, prefix: "/venv", name: "dks"), "/venv/share/jupyter/kernels/dks")
    }
}
