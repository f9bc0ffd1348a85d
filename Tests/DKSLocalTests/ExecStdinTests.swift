// ExecStdinTests: the local engine's exec -i / run -i (the process reads the caller's descriptor
// directly), exec deadlines (the process and its children are killed), exec -d records.
import DKSEngine
import DKSSupport
import Foundation
import DKSLocal
import Glibc
import XCTest

final class ExecStdinTests: LocalEngineTestCase {
    /// A pipe holding `text`, write end closed: the reader sees it, then end of input.
    func input(_ text: String) -> Int32 {
        var fds: [Int32] = [-1, -1]
        XCTAssertEqual(pipe(&fds), 0)
        _ = Array(text.utf8).withUnsafeBytes { write(fds[1], $0.baseAddress, $0.count) }
        close(fds[1])
        return fds[0]
    }

    func testExecReadsStdinToItsEnd() throws {
        let id = try started(config(["sleep", "30"]))
        let fd = input("one\ntwo\nthree\n")
        defer { close(fd) }
        var c = ExecConfig(cmd: ["wc", "-l"])
        c.interactive = true
        c.stdin = fd
        var out = ""
        let code = try engine.exec(id, c) { out += String(decoding: $0.bytes, as: UTF8.self) }
        XCTAssertEqual(code, 0)
        XCTAssertEqual(out.trimmingCharacters(in: .whitespaces), "3\n")
    }

    func testDeadlineKillsTheExecAndItsChildren() throws {
        let id = try started(config(["sleep", "30"]))
        var c = ExecConfig(cmd: ["/bin/sh", "-c", "sleep 987; true"])
        c.deadline = .after(seconds: 0.3)
        XCTAssertThrowsError(try engine.exec(id, c) { _ in }) { XCTAssertEqual(($0 as? EngineError)?.kind, .timeout) }
        usleep(100_000)
        let ps = Process()
        ps.executableURL = URL(fileURLWithPath: "/usr/bin/pgrep")
        ps.arguments = ["-f", "sleep 987"]
        try ps.run()
        ps.waitUntilExit()
        XCTAssertEqual(ps.terminationStatus, 1, "a sleep 987 is still running")
    }

    func testDetachedExecHasAnExitCode() throws {
        let id = try started(config(["sleep", "30"]))
        var c = ExecConfig(cmd: ["/bin/sh", "-c", "sleep 0.2; exit 4"])
        c.detach = true
        let exec = try engine.execDetached(id, c)
        XCTAssertEqual(try engine.inspectExec(exec)["Running"]?.boolValue, true)
        let deadline = Deadline.after(seconds: 5)
        while try engine.inspectExec(exec)["Running"]?.boolValue == true, !deadline.hasPassed { usleep(20_000) }
        XCTAssertEqual(try engine.inspectExec(exec)["ExitCode"]?.intValue, 4)
        XCTAssertThrowsError(try engine.inspectExec("nope")) { XCTAssertEqual(($0 as? EngineError)?.kind, .notFound) }
    }

    func testRunAttachedWithStdinOnlyWhenOpen() throws {
        var c = config(["wc", "-c"])
        c.openStdin = true
        let id = try engine.create(c)
        let fd = input("12345")
        defer { close(fd) }
        var out = ""
        XCTAssertEqual(try engine.runAttached(id, stdin: fd, deadline: .never) { out += String(decoding: $0.bytes, as: UTF8.self) }, 0)
        XCTAssertEqual(out.trimmingCharacters(in: .whitespaces), "5\n")
        // Without -i the container's stdin is empty, whatever the caller offers.
        let closed = try engine.create(config(["wc", "-c"]))
        let fd2 = input("12345")
        defer { close(fd2) }
        out = ""
        _ = try engine.runAttached(closed, stdin: fd2, deadline: .never) { out += String(decoding: $0.bytes, as: UTF8.self) }
        XCTAssertEqual(out.trimmingCharacters(in: .whitespaces), "0\n")
    }
}
