// EdgeCaseTests: the awkward corners — leftover background processes, escaped descendants,
// long and unterminated lines, interruption of attached runs and execs.
import DKSEngine
import DKSLocal
import DKSSupport
import Foundation
import XCTest

final class EdgeCaseTests: LocalEngineTestCase {
    func testBackgroundChildrenDieWithTheLeader() throws {
        let id = try engine.create(sh("sleep 30 & echo started"))
        let start = monotonicNanos()
        var out = ""
        let code = try engine.runAttached(id) { out += String(decoding: $0.bytes, as: UTF8.self) }
        XCTAssertEqual(code, 0)
        XCTAssertEqual(out, "started\n")
        XCTAssertLessThan(Double(monotonicNanos() - start) / 1e9, 2, "the background sleep holding the pipes was ended")
    }

    func testEscapedDescendantDoesNotHangTheRun() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/setsid") else { throw XCTSkip("no setsid") }
        let id = try engine.create(sh("setsid sleep 6 & sleep 0.3; echo bye"))
        let start = monotonicNanos()
        let code = try engine.runAttached(id) { _ in }
        XCTAssertEqual(code, 0)
        XCTAssertLessThan(Double(monotonicNanos() - start) / 1e9, 5.5)
    }

    func testLongAndUnterminatedLines() throws {
        let id = try engine.create(sh("head -c 40000 /dev/zero | tr '\\\\0' a; echo; printf 'no newline'"))
        _ = try engine.runAttached(id) { _ in }
        let text = try logText(id)
        XCTAssertEqual(text.count, 40000 + 1 + 10)
        XCTAssertTrue(text.hasSuffix("\nno newline"))
        XCTAssertEqual(try logText(id) { $0.tail = 1 }, "no newline")
    }

    func testUnterminatedOutputReachesFollowersPromptly() throws {
        let id = try started(sh("printf 'waiting...'; sleep 30"))
        var options = LogOptions()
        options.follow = true
        options.deadline = .after(seconds: 3)
        var got = ""
        try engine.logs(id, options: options) { chunk in
            got += String(decoding: chunk.bytes, as: UTF8.self)
            return .stop
        }
        XCTAssertEqual(got, "waiting...")
    }

    func testInterruptionEndsAttachedRunsAndExecs() throws {
        let id = try engine.create(sh("echo first; sleep 30"))
        var sawFirst = false
        assertEngineError(.interrupted) {
            _ = try self.engine.runAttached(id) { _ in
                sawFirst = true
                Interruption.request()
            }
        }
        Interruption.clear()
        XCTAssertTrue(sawFirst)
        XCTAssertEqual(try status(id), "running")
        assertEngineError(.interrupted) {
            _ = try self.engine.exec(id, ExecConfig(cmd: ["/bin/sh", "-c", "echo x; sleep 30"])) { _ in Interruption.request() }
        }
        Interruption.clear()
    }

    func testCallbackErrorsPropagate() throws {
        struct Stop: Error {}
        let id = try engine.create(sh("seq 1 100000"))
        XCTAssertThrowsError(try engine.runAttached(id) { _ in throw Stop() }) { XCTAssertTrue($0 is Stop) }
        XCTAssertEqual(try engine.wait(id, condition: .notRunning, deadline: .after(seconds: 10)), 0, "the pump kept draining")
    }

    func testUserOtherThanCurrentIsRefused() throws {
        var c = config(["true"])
        c.user = "nobody"
        assertEngineError(.unsupported) { _ = try self.engine.create(c) }
        c.user = String(getuid())
        XCTAssertNoThrow(try engine.create(c))
    }

    func testNoCommandIsAnError() throws {
        assertEngineError(.invalidArgument) { _ = try self.engine.create(ContainerConfig(image: "busybox")) }
    }

    func testInvalidRestartPolicies() throws {
        var c = config(["true"])
        c.restartPolicy = RestartPolicy(name: "sometimes")
        assertEngineError(.invalidArgument) { _ = try self.engine.create(c) }
        c.restartPolicy = RestartPolicy(name: "always", maximumRetryCount: 3)
        assertEngineError(.invalidArgument) { _ = try self.engine.create(c) }
        c.restartPolicy = RestartPolicy(name: "always")
        c.autoRemove = true
        assertEngineError(.invalidArgument) { _ = try self.engine.create(c) }
    }
}
