// ExecTests: exec exit codes (0, N, 126, 127), separated streams, environment and directories.
import DKSEngine
import Foundation
import DKSLocal
import XCTest

final class ExecTests: LocalEngineTestCase {
    struct Result {
        var code: Int?
        var stdout = ""
        var stderr = ""
        var order: [StreamKind] = []
    }

    func exec(_ ref: String, _ argv: [String], env: [String] = [], workingDir: String? = nil) throws -> Result {
        var c = ExecConfig(cmd: argv)
        c.env = env
        c.workingDir = workingDir
        var r = Result()
        r.code = try engine.exec(ref, c) { chunk in
            let text = String(decoding: chunk.bytes, as: UTF8.self)
            if chunk.stream == .stderr { r.stderr += text } else { r.stdout += text }
            r.order.append(chunk.stream)
        }
        return r
    }

    func testExitCodesAndStreams() throws {
        let id = try started(config(["sleep", "30"]))
        XCTAssertEqual(try exec(id, ["true"]).code, 0)
        XCTAssertEqual(try exec(id, ["/bin/sh", "-c", "exit 42"]).code, 42)
        let missing = try exec(id, ["no-such-binary-xyz"])
        XCTAssertEqual(missing.code, 127)
        XCTAssertTrue(missing.stderr.contains("executable file not found"), missing.stderr)
        let streams = try exec(id, ["/bin/sh", "-c", "echo out; sleep 0.05; echo err >&2; sleep 0.05; echo out2"])
        XCTAssertEqual(streams.code, 0)
        XCTAssertEqual(streams.stdout, "out\nout2\n")
        XCTAssertEqual(streams.stderr, "err\n")
        XCTAssertEqual(streams.order, [.stdout, .stderr, .stdout])
    }

    func testNotExecutableIs126() throws {
        let id = try started(config(["sleep", "30"]))
        let workDir = try XCTUnwrap(engine.inspect(id)["Config"]?["WorkingDir"]?.stringValue)
        XCTAssertTrue(FileManager.default.createFile(atPath: workDir + "/script", contents: Data("echo hi\n".utf8)))
        XCTAssertEqual(try exec(id, ["./script"]).code, 126)
    }

    func testEnvironmentAndWorkingDirectories() throws {
        var c = config(["sleep", "30"])
        c.env = ["GREETING=hello", "OTHER=1"]
        c.workingDir = "sub/dir"
        let id = try started(c)
        let workDir = try XCTUnwrap(engine.inspect(id)["Config"]?["WorkingDir"]?.stringValue)
        XCTAssertTrue(workDir.hasSuffix("/work/sub/dir"), workDir)
        XCTAssertEqual(try exec(id, ["pwd"]).stdout, workDir + "\n")
        XCTAssertEqual(try exec(id, ["/bin/sh", "-c", "echo $GREETING-$OTHER"], env: ["OTHER=2"]).stdout, "hello-2\n")
        let env = try exec(id, ["env"]).stdout
        XCTAssertTrue(env.contains("PATH="), env)
        XCTAssertTrue(env.contains("HOME="), env)
        XCTAssertFalse(env.contains("XCTest"), "dks's own environment does not leak in")
        try FileManager.default.createDirectory(atPath: workDir + "/inner", withIntermediateDirectories: true)
        XCTAssertEqual(try exec(id, ["pwd"], workingDir: "inner").stdout, workDir + "/inner\n")
        XCTAssertEqual(try exec(id, ["pwd"], workingDir: "/tmp").stdout, "/tmp\n")
    }

    func testContainerSeesItsEnvironmentAndDirectory() throws {
        var c = sh("echo $GREETING; pwd")
        c.env = ["GREETING=hi there"]
        let id = try engine.create(c)
        let code = try engine.runAttached(id) { _ in }
        XCTAssertEqual(code, 0)
        let workDir = try XCTUnwrap(engine.inspect(id)["Config"]?["WorkingDir"]?.stringValue)
        XCTAssertEqual(try logText(id), "hi there\n\(workDir)\n")
    }

    func testArgvIsNotInterpretedByAShell() throws {
        let id = try engine.create(config(["echo", "$HOME", "a;b", "*"]))
        var out = ""
        _ = try engine.runAttached(id) { out += String(decoding: $0.bytes, as: UTF8.self) }
        XCTAssertEqual(out, "$HOME a;b *\n")
    }

    func testExecNeedsARunningContainer() throws {
        let id = try engine.create(config(["sleep", "30"]))
        assertEngineError(.conflict) { _ = try self.exec(id, ["true"]) }
        try engine.start(id)
        try engine.pause(id)
        assertEngineError(.conflict) { _ = try self.exec(id, ["true"]) }
        try engine.unpause(id)
        XCTAssertEqual(try exec(id, ["true"]).code, 0)
    }

    func testDetachedExecRunsInTheContainer() throws {
        let id = try started(config(["sleep", "30"]))
        var c = ExecConfig(cmd: ["/bin/sh", "-c", "echo done > marker"])
        c.detach = true
        XCTAssertNil(try engine.exec(id, c) { _ in })
        let workDir = try XCTUnwrap(engine.inspect(id)["Config"]?["WorkingDir"]?.stringValue)
        eventually(3, "marker file") { FileManager.default.fileExists(atPath: workDir + "/marker") }
    }
}
