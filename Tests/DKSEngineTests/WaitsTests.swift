// WaitsTests: wait-healthy and wait-log, written once over the protocol (DKSEngine/Waits.swift),
// against a scripted engine: every outcome the spec names (§7) with its error kind and message.
import DKSEngine
import XCTest

final class WaitsTests: XCTestCase {
    private func kind(_ body: () throws -> Void) -> EngineError? {
        do { try body() } catch let e as EngineError { return e } catch { XCTFail("unexpected \(error)") }
        return nil
    }

    func testWaitHealthyReturnsOnceHealthy() throws {
        let e = ScriptedEngine()
        let check = ["CMD-SHELL", "true"]
        e.documents = [ScriptedEngine.state("running", health: "starting", test: check), ScriptedEngine.state("running", health: "healthy", test: check)]
        try e.waitHealthy("web", deadline: .after(seconds: 10))
        XCTAssertEqual(e.inspectCount, 2)
    }

    func testWaitHealthyFailsFastWithTheReason() {
        let e = ScriptedEngine()
        e.documents = [ScriptedEngine.state("running", health: "unhealthy", test: ["CMD", "false"], log: (3, "db down\n"))]
        let unhealthy = kind { try e.waitHealthy("web", deadline: .after(seconds: 10)) }
        XCTAssertEqual(unhealthy?.kind, .unhealthy)
        XCTAssertEqual(unhealthy?.message, "container web is unhealthy: health check exited 3: db down")
        e.documents = [ScriptedEngine.state("running")]
        XCTAssertEqual(kind { try e.waitHealthy("web", deadline: .after(seconds: 10)) }?.kind, .invalidArgument)
        e.documents = [ScriptedEngine.state("running", test: ["NONE"])]
        XCTAssertEqual(kind { try e.waitHealthy("web", deadline: .after(seconds: 10)) }?.kind, .invalidArgument)
        e.documents = [ScriptedEngine.state("exited", health: "unhealthy", exitCode: 2, test: ["CMD", "true"])]
        e.output = [OutputChunk(stream: .stderr, bytes: Array("boom\n".utf8))]
        let exited = kind { try e.waitHealthy("web", deadline: .after(seconds: 10)) }
        XCTAssertEqual(exited?.kind, .container)
        XCTAssertEqual(exited?.exitCode, 2)
        XCTAssertEqual(exited?.output, "boom\n")
        e.documents = [ScriptedEngine.state("created", test: ["CMD", "true"])]
        XCTAssertEqual(kind { try e.waitHealthy("web", deadline: .after(seconds: 10)) }?.kind, .container)
        e.documents = [ScriptedEngine.state("running", health: "starting", test: ["CMD", "true"])]
        XCTAssertEqual(kind { try e.waitHealthy("web", deadline: .after(seconds: 0)) }?.kind, .timeout)
    }

    func testWaitLogCountsLinesAcrossChunksAndStreams() throws {
        let e = ScriptedEngine()
        e.documents = [ScriptedEngine.state("running")]
        e.output = ["rea", "dy 1\nnot\nready 2\n", "partial ready 3"].map { OutputChunk(stream: .stdout, bytes: Array($0.utf8)) }
            + [OutputChunk(stream: .stderr, bytes: Array("ready on stderr\r\n".utf8))]
        try e.waitLog("web", pattern: "^ready [0-9]$", times: 2, deadline: .after(seconds: 10))
        // The unterminated last line counts once the output ends.
        try e.waitLog("web", pattern: "ready 3$", deadline: .after(seconds: 10))
        try e.waitLog("web", pattern: "stderr$", deadline: .after(seconds: 10))
        let short = kind { try e.waitLog("web", pattern: "ready", times: 9, deadline: .after(seconds: 10)) }
        XCTAssertEqual(short?.kind, .container)
        XCTAssertTrue(short?.message.contains("(4 so far)") ?? false, short?.message ?? "")
        XCTAssertEqual(kind { try e.waitLog("web", pattern: "([", deadline: .after(seconds: 10)) }?.kind, .invalidArgument)
        e.documents = [ScriptedEngine.state("exited", exitCode: 1)]
        XCTAssertEqual(kind { try e.waitLog("web", pattern: "never", deadline: .after(seconds: 10)) }?.exitCode, 1)
    }
}
