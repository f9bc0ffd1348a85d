// ExecStdinIntegrationTests: exec -i and run -i against the real daemon (stdin pumped from a
// descriptor, half-closed at its end, exit code kept), exec deadlines (the exec'd process is
// killed, not left running in the container), exec -d and its inspect document.
import DKSDocker
import DKSEngine
import DKSSupport
import Foundation
import Glibc
import XCTest

final class ExecStdinIntegrationTests: DockerIntegrationCase {
    func input(_ bytes: [UInt8]) -> Int32 {
        var fds: [Int32] = [-1, -1]
        XCTAssertEqual(pipe(&fds), 0)
        let writer = Thread {
            _ = bytes.withUnsafeBytes { raw -> Int in
                var off = 0
                while off < raw.count {
                    let n = write(fds[1], raw.baseAddress! + off, raw.count - off)
                    if n <= 0 { break }
                    off += n
                }
                return off
            }
            close(fds[1])
        }
        writer.start()
        return fds[0]
    }

    func testExecStdinIsPumpedAndClosed() throws {
        let id = try makeContainer(["sleep", "60"], start: true)
        let data = [UInt8]((0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let fd = input(data)
        defer { close(fd) }
        let (code, out) = try exec(id, ["sh", "-c", "wc -c; exit 5"]) { $0.interactive = true; $0.stdin = fd }
        XCTAssertEqual(code, 5)
        XCTAssertEqual(out.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "3000000")
    }

    func testDeadlineKillsTheExecInTheContainer() throws {
        let id = try makeContainer(["sleep", "60"], start: true)
        assertEngineError(.timeout) {
            _ = try exec(id, ["sh", "-c", "sleep 977"]) { $0.deadline = .after(seconds: 0.5) }
        }
        let (_, ps) = try exec(id, ["ps"])
        XCTAssertFalse(ps.stdout.contains("sleep 977"), ps.stdout)
    }

    func testDetachedExecAndInspect() throws {
        let id = try makeContainer(["sleep", "60"], start: true)
        var c = ExecConfig(cmd: ["sh", "-c", "sleep 0.3; exit 6"])
        c.detach = true
        let exec = try engine.execDetached(id, c)
        XCTAssertEqual(try engine.inspectExec(exec)["Running"]?.boolValue, true)
        let deadline = Deadline.after(seconds: 10)
        while try engine.inspectExec(exec)["Running"]?.boolValue == true, !deadline.hasPassed { usleep(50_000) }
        XCTAssertEqual(try engine.inspectExec(exec)["ExitCode"]?.intValue, 6)
    }

    func testRunAttachedWithStdin() throws {
        let id = try makeContainer(["sh", "-c", "wc -c; exit 3"]) { $0.openStdin = true }
        let fd = input(Array("hello".utf8))
        defer { close(fd) }
        let out = Collected()
        XCTAssertEqual(try engine.runAttached(id, stdin: fd, deadline: .never) { out.chunks.append($0) }, 3)
        XCTAssertEqual(out.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "5")
    }
}
