// InteractiveIntegrationTests: openInteractive sessions (exec -i, exec -it with resize, attach).
import DKSDocker
import DKSEngine
import DKSSupport
import Foundation
import XCTest

final class InteractiveIntegrationTests: DockerIntegrationCase {
    func readAll(_ session: InteractiveSession) throws -> String {
        var bytes: [UInt8] = []
        while let chunk = try session.read() { bytes += chunk.bytes }
        return String(decoding: bytes, as: UTF8.self)
    }

    func testExecStdinWithoutTTY() throws {
        let id = try makeContainer(["sleep", "100"], start: true)
        let session = try engine.openInteractive(id, exec: ExecConfig(cmd: ["sh", "-c", "cat; echo done >&2"]))
        XCTAssertFalse(session.tty)
        try session.write(Array("hello\nworld\n".utf8))
        session.closeInput()
        // Order across stdout and stderr is the daemon's (separate pipes): check each stream alone.
        var out: [UInt8] = [], err: [UInt8] = []
        while let chunk = try session.read() {
            if chunk.stream == .stderr { err += chunk.bytes } else { out += chunk.bytes }
        }
        XCTAssertEqual(String(decoding: out, as: UTF8.self), "hello\nworld\n")
        XCTAssertEqual(String(decoding: err, as: UTF8.self), "done\n")
        XCTAssertEqual(try session.exitCode(), 0)
    }

    func testExecTTYResizeAndExitCode() throws {
        let id = try makeContainer(["sleep", "100"], start: true)
        var config = ExecConfig(cmd: ["sh"])
        config.tty = true
        let session = try engine.openInteractive(id, exec: config)
        try session.resize(rows: 33, columns: 101)
        try session.write(Array("stty size; exit 3\n".utf8))
        let out = try readAll(session)
        XCTAssertTrue(out.contains("33 101"), out)
        XCTAssertEqual(try session.exitCode(), 3)
    }

    func testAttachToContainerStdin() throws {
        let id = try makeContainer(["sh", "-c", "read line; echo got $line; exit 9"]) { $0.openStdin = true }
        try engine.start(id)
        let session = try engine.openInteractive(id)
        try session.write(Array("ping\n".utf8))
        XCTAssertEqual(try readAll(session), "got ping\n")
        XCTAssertEqual(try session.exitCode(), 9)
    }

    func testCloseUnblocksARead() throws {
        let id = try makeContainer(["sleep", "100"], start: true)
        let session = try engine.openInteractive(id, exec: ExecConfig(cmd: ["sleep", "100"]))
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { session.close() }
        let start = monotonicNanos()
        XCTAssertNil(try? session.read())
        XCTAssertLessThan(Double(monotonicNanos() - start) / 1e9, 3)
    }
}
