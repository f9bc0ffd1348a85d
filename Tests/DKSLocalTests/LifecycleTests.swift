// LifecycleTests: create/start/stop/kill/pause/rename/remove and their errors, as Docker reports them.
import DKSEngine
import Foundation
import DKSLocal
import DKSSupport
import XCTest

final class LifecycleTests: LocalEngineTestCase {
    func testInfo() throws {
        let info = try engine.info()
        XCTAssertEqual(info.kind, "local")
        XCTAssertEqual(info.host, "local")
        XCTAssertEqual(info.apiVersion, "1.41")
        XCTAssertEqual(info.note, "host processes, no isolation")
    }

    func testCreateStartStopGivesSIGTERMExitCode() throws {
        let id = try engine.create(config(["sleep", "30"], name: "sleeper"))
        XCTAssertEqual(id.count, 64)
        XCTAssertTrue(id.allSatisfy { $0.isHexDigit })
        XCTAssertEqual(try status("sleeper"), "created")
        try engine.start(id)
        XCTAssertEqual(try status(id), "running")
        let doc = try engine.inspect(String(id.prefix(8)))
        XCTAssertEqual(doc["Name"]?.stringValue, "/sleeper")
        XCTAssertEqual(doc["Path"]?.stringValue, "sleep")
        XCTAssertEqual(doc["Args"], .array([.string("30")]))
        XCTAssertEqual(doc["State"]?["Running"]?.boolValue, true)
        XCTAssertGreaterThan(try pid(id), 0)
        try engine.stop(id, timeout: 5)
        XCTAssertEqual(try status(id), "exited")
        XCTAssertEqual(try exitCode(id), 143)
        XCTAssertEqual(try pid(id), 0)
        XCTAssertNotEqual(try engine.inspect(id)["State"]?["FinishedAt"]?.stringValue, "0001-01-01T00:00:00Z")
    }

    func testStopEscalatesToSIGKILLAfterTimeout() throws {
        let id = try started(sh("trap '' TERM; while :; do sleep 0.1; done"))
        usleep(200_000)
        let start = monotonicNanos()
        try engine.stop(id, timeout: 1)
        XCTAssertEqual(try exitCode(id), 137)
        XCTAssertLessThan(Double(monotonicNanos() - start) / 1e9, 5)
    }

    func testStopSignalOption() throws {
        var c = config(["sleep", "30"])
        c.stopSignal = "SIGINT"
        let id = try started(c)
        XCTAssertEqual(try engine.inspect(id)["Config"]?["StopSignal"]?.stringValue, "SIGINT")
        try engine.stop(id, timeout: 5)
        XCTAssertEqual(try exitCode(id), 130)
    }

    func testKillWithSignalNames() throws {
        let id = try started(config(["sleep", "30"]))
        try engine.kill(id, signal: "KILL")
        XCTAssertEqual(try status(id), "exited")
        XCTAssertEqual(try exitCode(id), 137)
        assertEngineError(.conflict) { try self.engine.kill(id, signal: nil) }
        try engine.start(id)
        try engine.kill(id, signal: "15")
        XCTAssertEqual(try engine.wait(id, condition: .notRunning, deadline: .after(seconds: 5)), 143)
        try engine.start(id)
        assertEngineError(.invalidArgument) { try self.engine.kill(id, signal: "SIGNOPE") }
        try engine.kill(id, signal: "sigkill")
        XCTAssertEqual(try exitCode(id), 137)
    }

    func testPauseAndUnpause() throws {
        let id = try started(sh("i=0; while :; do i=$((i+1)); echo $i; sleep 0.05; done"))
        usleep(200_000)
        try engine.pause(id)
        XCTAssertEqual(try status(id), "paused")
        XCTAssertEqual(try engine.inspect(id)["State"]?["Paused"]?.boolValue, true)
        assertEngineError(.conflict) { try self.engine.pause(id) }
        usleep(100_000)
        let frozen = try logText(id).count
        usleep(300_000)
        XCTAssertEqual(try logText(id).count, frozen, "no output while paused")
        try engine.unpause(id)
        XCTAssertEqual(try status(id), "running")
        try eventually(3, "output after unpause") { try logText(id).count > frozen }
        assertEngineError(.conflict) { try self.engine.unpause(id) }
        try engine.pause(id)
        try engine.stop(id, timeout: 5)
        XCTAssertEqual(try status(id), "exited")
    }

    func testRenameAndNameConflicts() throws {
        let a = try engine.create(config(["true"], name: "alpha"))
        _ = try engine.create(config(["true"], name: "beta"))
        assertEngineError(.conflict) { _ = try self.engine.create(self.config(["true"], name: "alpha")) }
        assertEngineError(.conflict) { try self.engine.rename("beta", to: "alpha") }
        assertEngineError(.invalidArgument) { try self.engine.rename("beta", to: "bad name!") }
        try engine.rename(a, to: "gamma")
        XCTAssertEqual(try engine.inspect(a)["Name"]?.stringValue, "/gamma")
        assertEngineError(.notFound) { _ = try self.engine.inspect("alpha") }
        _ = try engine.create(config(["true"], name: "alpha"))
    }

    func testGeneratedNamesAreDockerLike() throws {
        let id = try engine.create(config(["true"]))
        let name = try XCTUnwrap(engine.inspect(id)["Name"]?.stringValue)
        XCTAssertTrue(name.hasPrefix("/"))
        XCTAssertEqual(name.dropFirst().split(separator: "_").count, 2, name)
    }

    func testNotFoundNamesTheRef() throws {
        do {
            _ = try engine.inspect("no-such-thing")
            XCTFail("expected NotFound")
        } catch let e as EngineError {
            XCTAssertEqual(e.kind, .notFound)
            XCTAssertTrue(e.message.contains("no-such-thing"), e.message)
        }
        assertEngineError(.notFound) { try self.engine.start("nope") }
        assertEngineError(.notFound) { try self.engine.remove("nope", force: true, volumes: false) }
    }

    func testRemoveRunningNeedsForceAndDeletesFolder() throws {
        let id = try started(config(["sleep", "30"]))
        let workDir = try XCTUnwrap(engine.inspect(id)["Config"]?["WorkingDir"]?.stringValue)
        XCTAssertTrue(FileManager.default.fileExists(atPath: workDir))
        let leader = try pid(id)
        assertEngineError(.conflict) { try self.engine.remove(id, force: false, volumes: false) }
        try engine.remove(id, force: true, volumes: false)
        assertEngineError(.notFound) { _ = try self.engine.inspect(id) }
        XCTAssertFalse(FileManager.default.fileExists(atPath: workDir))
        XCTAssertFalse(processExists(leader))
    }

    func testRestartStartsANewRun() throws {
        let id = try started(sh("echo run; sleep 30"))
        let first = try pid(id)
        try eventually(3, "first run logged") { try logText(id) == "run\n" }
        try engine.restart(id, timeout: 1)
        XCTAssertEqual(try status(id), "running")
        XCTAssertNotEqual(try pid(id), first)
        try eventually(3, "two runs logged") { try logText(id) == "run\nrun\n" }
    }

    func testStartFailureForMissingBinary() throws {
        let id = try engine.create(config(["definitely-not-a-command-xyz"]))
        do {
            try engine.start(id)
            XCTFail("expected a failure")
        } catch let e as EngineError {
            XCTAssertEqual(e.kind, .container)
            XCTAssertEqual(e.exitCode, 127)
            XCTAssertTrue(e.message.contains("executable file not found"), e.message)
        }
        XCTAssertEqual(try exitCode(id), 127)
    }

    func testStateFolderIsPrivate() throws {
        let id = try engine.create(config(["true"]))
        var st = stat()
        XCTAssertEqual(lstat(stateDirectory, &st), 0)
        XCTAssertEqual(st.st_mode & 0o777, 0o700)
        let workDir = try XCTUnwrap(engine.inspect(id)["Config"]?["WorkingDir"]?.stringValue)
        XCTAssertTrue(workDir.hasPrefix(stateDirectory + "/" + id))
        XCTAssertEqual(lstat(stateDirectory + "/" + id, &st), 0)
        XCTAssertEqual(st.st_mode & 0o777, 0o700)
    }

    func testDefaultStateFolder() throws {
        let engine = LocalEngine()
        defer { engine.shutdown() }
        let id = try engine.create(config(["true"]))
        let workDir = try XCTUnwrap(engine.inspect(id)["Config"]?["WorkingDir"]?.stringValue)
        let runtime = ProcessInfo.processInfo.environment["XDG_RUNTIME_DIR"] ?? ""
        let base = !runtime.isEmpty && access(runtime, W_OK) == 0 ? runtime + "/dks" : "/tmp/dks-\(getuid())"
        // BASE/engine-PID-RANDOM/ID/work: each engine (each dks process) has a folder of its own.
        let own = URL(fileURLWithPath: workDir).deletingLastPathComponent().deletingLastPathComponent().path
        XCTAssertEqual(workDir, own + "/" + id + "/work")
        XCTAssertEqual(URL(fileURLWithPath: own).deletingLastPathComponent().path, base)
        XCTAssertTrue(URL(fileURLWithPath: own).lastPathComponent.hasPrefix("engine-\(getpid())-"), own)
        var st = stat()
        for folder in [base, own] {
            XCTAssertEqual(lstat(folder, &st), 0)
            XCTAssertEqual(st.st_mode & 0o777, 0o700)
        }
        try engine.remove(id, force: false, volumes: false)
        XCTAssertFalse(FileManager.default.fileExists(atPath: own + "/" + id))
    }

    func testShutdownRemovesTheEnginesStateFolder() throws {
        let engine = LocalEngine()
        let id = try engine.create(config(["sleep", "30"]))
        try engine.start(id)
        let logPath = try XCTUnwrap(engine.inspect(id)["LogPath"]?.stringValue)
        let own = URL(fileURLWithPath: logPath).deletingLastPathComponent().deletingLastPathComponent().path
        XCTAssertTrue(FileManager.default.fileExists(atPath: own))
        engine.shutdown()
        XCTAssertFalse(FileManager.default.fileExists(atPath: own), "\(own) is left after shutdown")
    }
}
