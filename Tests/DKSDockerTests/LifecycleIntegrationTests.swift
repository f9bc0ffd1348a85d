// LifecycleIntegrationTests: create/start/stop/kill/pause/restart/rename/remove and host options,
// against the real daemon (skipped when none answers).
import DKSEngine
import DKSSupport
import Foundation
import XCTest
@testable import DKSDocker

final class LifecycleIntegrationTests: DockerIntegrationCase {
    func testInfoNegotiatesVersion() throws {
        let info = try engine.info()
        XCTAssertEqual(info.kind, onPodman ? "podman" : "docker")
        XCTAssertEqual(info.host, DockerIntegrationCase.endpoint.description)
        XCTAssertGreaterThanOrEqual(Double(info.apiVersion) ?? 0, 1.41)
        XCTAssertFalse(info.version.isEmpty)
    }

    func testCreateStartKillGives137() throws {
        let id = try makeContainer(["sleep", "100"])
        XCTAssertEqual(try state(id)["Status"]?.stringValue, "created")
        try engine.start(id)
        XCTAssertEqual(try state(id)["Running"]?.boolValue, true)
        try engine.kill(id, signal: nil)
        XCTAssertEqual(try engine.wait(id, condition: .notRunning, deadline: .after(seconds: 10)), 137)
    }

    func testStopWithInitGives143AndKillSignalByName() throws {
        let id = try makeContainer(["sleep", "100"], start: true) { $0.initProcess = true }
        try waitForProcess(id, "sleep")
        let started = monotonicNanos()
        try engine.stop(id, timeout: 5)
        XCTAssertLessThan(Double(monotonicNanos() - started) / 1e9, 4, "SIGTERM via docker-init ends sleep at once")
        XCTAssertEqual(try state(id)["ExitCode"]?.intValue, 143)
        let other = try makeContainer(["sleep", "100"], start: true) { $0.initProcess = true }
        try waitForProcess(other, "sleep")
        try engine.kill(other, signal: "SIGUSR1")
        XCTAssertEqual(try engine.wait(other, condition: .notRunning, deadline: .after(seconds: 10)), 138)
    }

    func testStopTimeoutEscalatesToSigkill() throws {
        // PID 1 without a handler ignores SIGTERM, so stop must fall back to SIGKILL after the timeout.
        let id = try makeContainer(["sleep", "100"], start: true)
        try engine.stop(id, timeout: 1)
        XCTAssertEqual(try state(id)["ExitCode"]?.intValue, 137)
    }

    func testPauseUnpause() throws {
        let id = try makeContainer(["sleep", "100"], start: true)
        try engine.pause(id)
        XCTAssertEqual(try state(id)["Status"]?.stringValue, "paused")
        try engine.unpause(id)
        XCTAssertEqual(try state(id)["Status"]?.stringValue, "running")
    }

    func testRestartChangesStartedAt() throws {
        let id = try makeContainer(["sleep", "100"], start: true) { $0.initProcess = true }
        let before = try state(id)["StartedAt"]?.stringValue
        try engine.restart(id, timeout: 1)
        let after = try state(id)["StartedAt"]?.stringValue
        XCTAssertNotNil(after)
        XCTAssertNotEqual(before, after)
        XCTAssertEqual(try state(id)["Running"]?.boolValue, true)
    }

    func testRenameAndListWithLabelFilter() throws {
        let name = "dks-test-\(UUID().uuidString.prefix(8).lowercased())"
        let id = try makeContainer(["sleep", "100"], start: true) { $0.labels.append(("dks.kind", "renamed")) }
        try engine.rename(id, to: name)
        XCTAssertEqual(try engine.inspect(name)["Id"]?.stringValue, id)
        let listed = try engine.list(all: false, filters: [("label", "dks.kind=renamed"), ("label", "dks.test.run=\(DockerIntegrationCase.runID)")])
        XCTAssertEqual(listed.compactMap { $0["Id"]?.stringValue }, [id])
        XCTAssertEqual(try engine.inspect(id)["Config"]?["Labels"]?["dks.kind"]?.stringValue, "renamed")
        XCTAssertTrue(try engine.list(all: false, filters: [("label", "dks.kind=nothing-has-this")]).isEmpty)
    }

    func testRemoveAndNotFoundConflictMapping() throws {
        let id = try makeContainer(["sleep", "100"], start: true)
        assertEngineError(.conflict) { try engine.remove(id, force: false, volumes: false) }
        try engine.remove(id, force: true, volumes: true)
        assertEngineError(.notFound) { _ = try engine.inspect(id) }
        assertEngineError(.notFound) { try engine.start("dks-no-such-container") }
        let name = "dks-test-dup-\(UUID().uuidString.prefix(8).lowercased())"
        _ = try makeContainer(["true"]) { $0.name = name }
        assertEngineError(.conflict) { _ = try makeContainer(["true"]) { $0.name = name } }
        do {
            _ = try makeContainer(["true"]) { $0.image = "dks-test/absent:nope" }
            XCTFail("create with a missing image succeeded")
        } catch let error as EngineError {
            XCTAssertEqual(error.kind, .notFound)
            XCTAssertTrue(error.message.contains("pull"), error.message)
        }
    }

    func testTmpfsReadOnlyRootfsMemoryAndRestartPolicy() throws {
        let id = try makeContainer(["sleep", "100"], start: true) {
            $0.tmpfs = [("/scratch", "size=1m")]
            $0.readOnlyRootfs = true
            $0.memoryBytes = 64 << 20
            $0.restartPolicy = RestartPolicy(name: "on-failure", maximumRetryCount: 2)
            $0.hostname = "dkshost"
        }
        let (okCode, _) = try exec(id, ["sh", "-c", "echo x > /scratch/f && cat /scratch/f"])
        XCTAssertEqual(okCode, 0)
        let (roCode, roOut) = try exec(id, ["sh", "-c", "echo x > /etc/f"])
        XCTAssertNotEqual(roCode, 0)
        XCTAssertTrue(roOut.stderr.contains("Read-only"), roOut.stderr)
        let (_, mounts) = try exec(id, ["cat", "/proc/mounts"])
        XCTAssertTrue(mounts.stdout.contains("/scratch tmpfs"), mounts.stdout)
        let (_, host) = try exec(id, ["hostname"])
        XCTAssertEqual(host.stdout, "dkshost\n")
        let hostConfig = try engine.inspect(id)["HostConfig"] ?? .null
        XCTAssertEqual(hostConfig["Memory"]?.intValue, 64 << 20)
        XCTAssertEqual(hostConfig["RestartPolicy"]?["Name"]?.stringValue, "on-failure")
        XCTAssertEqual(hostConfig["RestartPolicy"]?["MaximumRetryCount"]?.intValue, 2)
    }

    func testRestartPolicyRestartsAFailingContainer() throws {
        let id = try makeContainer(["sh", "-c", "sleep 0.2; exit 3"], start: true) {
            $0.restartPolicy = RestartPolicy(name: "on-failure", maximumRetryCount: 1)
        }
        let deadline = Deadline.after(seconds: 15)
        while (try engine.inspect(id)["RestartCount"]?.intValue ?? 0) < 1 && !deadline.hasPassed { try interruptibleSleep(seconds: 0.1) }
        XCTAssertEqual(try engine.inspect(id)["RestartCount"]?.intValue, 1)
    }

    func testInitRunsDockerInitAsPid1() throws {
        let id = try makeContainer(["sleep", "100"], start: true) { $0.initProcess = true }
        let (_, out) = try exec(id, ["cat", "/proc/1/cmdline"])
        XCTAssertTrue(out.stdout.contains("init"), out.stdout)
    }

    func testTopStatsDiff() throws {
        let id = try makeContainer(["sh", "-c", "echo hi > /tmp/new; sleep 100"], start: true)
        let top = try engine.top(id, psArgs: nil)
        XCTAssertNotNil(top["Titles"]?.arrayValue)
        XCTAssertFalse(top["Processes"]?.arrayValue?.isEmpty ?? true)
        let stats = try engine.stats(id)
        XCTAssertNotNil(stats["memory_stats"])
        let deadline = Deadline.after(seconds: 5)
        var paths: [String] = []
        repeat {
            paths = try engine.diff(id).compactMap { $0["Path"]?.stringValue }
        } while !paths.contains("/tmp/new") && !deadline.hasPassed
        XCTAssertTrue(paths.contains("/tmp/new"), "\(paths)")
    }

    func testConnectionErrorNamesEndpointAndReturnsQuickly() {
        let missing = DockerEndpoint(transport: .unix(path: "/tmp/dks-no-such-\(UUID().uuidString).sock"))
        let engine = DockerEngine(endpoint: missing)
        let started = monotonicNanos()
        do {
            _ = try engine.info()
            XCTFail("connected to a missing socket")
        } catch let error as EngineError {
            XCTAssertEqual(error.kind, .engine)
            XCTAssertTrue(error.message.contains(missing.description), error.message)
            XCTAssertTrue(error.message.contains("no such file"), error.message)
        } catch {
            XCTFail("unexpected \(error)")
        }
        XCTAssertLessThan(Double(monotonicNanos() - started) / 1e9, 3)
        XCTAssertFalse(DockerEngine.ping(missing, timeout: 1))
        // A tcp port nobody listens on: refused at once, also within the probe's second.
        let closed = DockerEndpoint(transport: .tcp(host: "127.0.0.1", port: 1))
        let t0 = monotonicNanos()
        XCTAssertFalse(DockerEngine.ping(closed, timeout: 1))
        XCTAssertLessThan(Double(monotonicNanos() - t0) / 1e9, 3)
    }

    func testTraceLinesHaveMethodPathStatusAndMillis() throws {
        var lines: [String] = []
        let lock = NSLock()
        let traced = DockerEngine(endpoint: DockerIntegrationCase.endpoint, trace: { line in lock.lock(); lines.append(line); lock.unlock() })
        defer { traced.shutdown() }
        let id = try traced.create({ var c = ContainerConfig(image: DockerIntegrationCase.image); c.cmd = ["true"]; c.env = ["SECRET=hunter2"]; c.labels = [("dks.test", "1"), DockerIntegrationCase.runLabel]; return c }())
        _ = try traced.list(all: true, filters: [("label", "dks.test=1")])
        lock.lock()
        let copy = lines
        lock.unlock()
        XCTAssertTrue(copy.contains { $0.hasPrefix("GET /version 200 ") }, "\(copy)")
        XCTAssertTrue(copy.contains { $0.range(of: #"^POST /v1\.\d+/containers/create 201 \d+\.\dms$"#, options: .regularExpression) != nil }, "\(copy)")
        XCTAssertTrue(copy.contains { $0.contains("/containers/json?all=1&filters=") }, "\(copy)")
        XCTAssertFalse(copy.joined().contains("hunter2"))
        try engine.remove(id, force: true, volumes: false)
    }
}

final class PoolIntegrationTests: DockerIntegrationCase {
    func testKeepAliveReusesOneConnection() throws {
        let fresh = DockerEngine(endpoint: DockerIntegrationCase.endpoint)
        defer { fresh.shutdown() }
        for _ in 0..<20 { _ = try fresh.list(all: true, filters: []) }
        XCTAssertEqual(fresh.client.pool.connectionsOpened, 1)
    }

    func testConcurrentCallersShareTheEngine() throws {
        let id = try makeContainer(["sleep", "100"], start: true)
        let group = DispatchGroup()
        final class Failures: @unchecked Sendable {
            let lock = NSLock()
            var list: [String] = []
            func add(_ text: String) { lock.lock(); list.append(text); lock.unlock() }
        }
        let failures = Failures()
        for worker in 0..<4 {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                do {
                    for i in 0..<10 {
                        _ = try self.engine.inspect(id)
                        let (code, out) = try self.exec(id, ["echo", "\(worker)-\(i)"])
                        if code != 0 || out.stdout != "\(worker)-\(i)\n" { throw EngineError(.engine, "bad exec \(worker)-\(i): \(out.all)") }
                    }
                } catch {
                    failures.add("\(error)")
                }
            }
        }
        XCTAssertEqual(group.wait(timeout: .now() + 60), .success)
        XCTAssertEqual(failures.list, [])
    }

    func testExecInteractiveWithoutSessionGetsEOF() throws {
        let id = try makeContainer(["sleep", "100"], start: true)
        let (code, out) = try exec(id, ["sh", "-c", "cat; echo after-eof"]) { $0.interactive = true }
        XCTAssertEqual(code, 0)
        XCTAssertEqual(out.stdout, "after-eof\n")
    }
}

final class PoolErrorReuseTests: DockerIntegrationCase {
    func testErrorAnswersKeepTheConnection() throws {
        let fresh = DockerEngine(endpoint: DockerIntegrationCase.endpoint)
        defer { fresh.shutdown() }
        for _ in 0..<5 { XCTAssertThrowsError(try fresh.inspect("dks-no-such-container")) }
        _ = try fresh.list(all: true, filters: [])
        XCTAssertEqual(fresh.client.pool.connectionsOpened, 1)
    }
}
