// QueryTests: list filters and summaries, prune, unsupported verbs, top/stats, and shutdown
// leaving no process behind.
import DKSEngine
import DKSLocal
import DKSSupport
import Foundation
import XCTest

final class QueryTests: LocalEngineTestCase {
    func names(_ filters: [(String, String)], all: Bool = true) throws -> [String] {
        try engine.list(all: all, filters: filters).compactMap { $0["Names"]?.arrayValue?.first?.stringValue }.sorted()
    }

    func testListFiltersAndSummaries() throws {
        var web = config(["sleep", "30"], name: "web-1")
        web.labels = [("tier", "front"), ("team", "a")]
        let webID = try started(web)
        var db = config(["sleep", "30"], name: "db-1")
        db.labels = [("tier", "back")]
        _ = try started(db)
        let done = try started(sh("exit 3", name: "job"))
        _ = try engine.wait(done, condition: .notRunning, deadline: .after(seconds: 5))
        _ = try engine.create(config(["true"], name: "fresh"))

        XCTAssertEqual(try names([], all: false), ["/db-1", "/web-1"])
        XCTAssertEqual(try names([]), ["/db-1", "/fresh", "/job", "/web-1"])
        XCTAssertEqual(try names([("status", "exited")], all: false), ["/job"])
        XCTAssertEqual(try names([("status", "created")]), ["/fresh"])
        XCTAssertEqual(try names([("label", "tier")]), ["/db-1", "/web-1"])
        XCTAssertEqual(try names([("label", "tier=front")]), ["/web-1"])
        XCTAssertEqual(try names([("label", "tier=front"), ("label", "team=b")]), [])
        XCTAssertEqual(try names([("name", "1")]), ["/db-1", "/web-1"])
        XCTAssertEqual(try names([("name", "^web")]), ["/web-1"])
        XCTAssertEqual(try names([("name", "^/db")]), ["/db-1"])
        XCTAssertEqual(try names([("id", String(webID.prefix(10)))]), ["/web-1"])
        XCTAssertEqual(try names([("exited", "3")]), ["/job"])
        XCTAssertEqual(try names([("status", "running"), ("status", "created")]), ["/db-1", "/fresh", "/web-1"])
        assertEngineError(.invalidArgument) { _ = try self.engine.list(all: true, filters: [("colour", "red")]) }
        assertEngineError(.invalidArgument) { _ = try self.engine.list(all: true, filters: [("status", "sleeping")]) }

        let summary = try XCTUnwrap(engine.list(all: true, filters: [("name", "web-1")]).first)
        XCTAssertEqual(summary["Id"]?.stringValue, webID)
        XCTAssertEqual(summary["Image"]?.stringValue, "busybox")
        XCTAssertEqual(summary["Command"]?.stringValue, "sleep 30")
        XCTAssertEqual(summary["State"]?.stringValue, "running")
        XCTAssertTrue(summary["Status"]?.stringValue?.hasPrefix("Up ") ?? false)
        XCTAssertEqual(summary["Labels"]?["tier"]?.stringValue, "front")
        XCTAssertNotNil(summary["Created"]?.intValue)
        let exited = try XCTUnwrap(engine.list(all: true, filters: [("name", "job")]).first)
        XCTAssertTrue(exited["Status"]?.stringValue?.hasPrefix("Exited (3) ") ?? false)
        XCTAssertTrue(exited["Status"]?.stringValue?.hasSuffix(" ago") ?? false)
    }

    func testInspectShape() throws {
        var c = config(["sleep", "30"], name: "shape")
        c.entrypoint = ["env"]
        c.labels = [("k", "v")]
        c.restartPolicy = RestartPolicy(name: "on-failure", maximumRetryCount: 4)
        let id = try started(c)
        let doc = try engine.inspect("shape")
        XCTAssertEqual(doc["Id"]?.stringValue, id)
        XCTAssertNotNil(parseRFC3339(doc["Created"]?.stringValue ?? ""))
        XCTAssertEqual(doc["Path"]?.stringValue, "env")
        XCTAssertEqual(doc["Args"], .array([.string("sleep"), .string("30")]))
        for key in ["Status", "Running", "Paused", "Restarting", "OOMKilled", "Dead", "Pid", "ExitCode", "Error", "StartedAt", "FinishedAt"] {
            XCTAssertNotNil(doc["State"]?[key], key)
        }
        XCTAssertEqual(doc["State"]?["FinishedAt"]?.stringValue, "0001-01-01T00:00:00Z")
        for key in ["Hostname", "User", "Env", "Cmd", "Image", "WorkingDir", "Entrypoint", "Labels", "StopSignal"] {
            XCTAssertNotNil(doc["Config"]?[key], key)
        }
        XCTAssertEqual(doc["Config"]?["Hostname"]?.stringValue, String(id.prefix(12)))
        XCTAssertEqual(doc["Config"]?["Labels"]?["k"]?.stringValue, "v")
        XCTAssertEqual(doc["Config"]?["Cmd"], .array([.string("sleep"), .string("30")]))
        XCTAssertEqual(doc["HostConfig"]?["RestartPolicy"]?["Name"]?.stringValue, "on-failure")
        XCTAssertEqual(doc["HostConfig"]?["RestartPolicy"]?["MaximumRetryCount"]?.intValue, 4)
        XCTAssertEqual(doc["HostConfig"]?["AutoRemove"]?.boolValue, false)
        XCTAssertEqual(doc["RestartCount"]?.intValue, 0)
    }

    func testPrune() throws {
        var keep = config(["true"], name: "keep")
        keep.labels = [("keep", "yes")]
        _ = try engine.create(keep)
        let gone = try started(config(["true"], name: "gone"))
        _ = try engine.wait(gone, condition: .notRunning, deadline: .after(seconds: 5))
        let running = try started(config(["sleep", "30"], name: "busy"))
        let result = try engine.prune("containers", filters: [("label!", "keep")])
        XCTAssertEqual(result.deleted, [gone])
        XCTAssertEqual(try names([]), ["/busy", "/keep"])
        let all = try engine.prune("containers", filters: [])
        XCTAssertEqual(all.deleted.count, 1)
        XCTAssertEqual(try names([]), ["/busy"])
        XCTAssertEqual(try status(running), "running")
        XCTAssertEqual(try engine.prune("containers", filters: [("until", "1h")]).deleted, [])
        assertEngineError(.unsupported) { _ = try self.engine.prune("images", filters: []) }
    }

    func testImagesVolumesNetworksAreUnsupported() throws {
        do {
            _ = try engine.images(all: true, filters: [])
            XCTFail("expected Unsupported")
        } catch let e as EngineError {
            XCTAssertEqual(e.kind, .unsupported)
            XCTAssertTrue(e.message.contains("local engine"), e.message)
        }
        assertEngineError(.unsupported) { try self.engine.pull("busybox") { _ in } }
        assertEngineError(.unsupported) { _ = try self.engine.inspectImage("busybox") }
        assertEngineError(.unsupported) { _ = try self.engine.volumes(filters: []) }
        assertEngineError(.unsupported) { _ = try self.engine.networks(filters: []) }
        let id = try engine.create(config(["true"]))
        assertEngineError(.unsupported) { _ = try self.engine.diff(id) }
        assertEngineError(.unsupported) { try self.engine.copyOut(id, path: "/") { _, _ in } }
        assertEngineError(.unsupported) { _ = try self.engine.statPath(id, path: "/") }
    }

    func testTopAndStats() throws {
        let id = try started(sh("sleep 30 & sleep 30; wait"))
        try eventually(3, "two processes") { (try engine.top(id, psArgs: nil)["Processes"]?.arrayValue?.count ?? 0) >= 3 }
        let top = try engine.top(id, psArgs: nil)
        XCTAssertEqual(top["Titles"]?.arrayValue?.count, 8)
        let custom = try engine.top(id, psArgs: "-eo pid,comm")
        XCTAssertEqual(custom["Titles"], .array([.string("PID"), .string("COMMAND")]))
        let commands = custom["Processes"]?.arrayValue?.compactMap { $0.arrayValue?.last?.stringValue }.sorted()
        XCTAssertEqual(commands, ["sh", "sleep", "sleep"])
        assertEngineError(.invalidArgument) { _ = try self.engine.top(id, psArgs: "--no-such-option") }
        let stats = try engine.stats(id)
        XCTAssertGreaterThan(stats["memory_stats"]?["usage"]?.intValue ?? 0, 0)
        XCTAssertEqual(stats["pids_stats"]?["current"]?.intValue, 3)
        XCTAssertNotNil(stats["cpu_stats"]?["cpu_usage"]?["total_usage"]?.intValue)
    }

    func testShutdownLeavesNoProcess() throws {
        var pids: [Int32] = []
        for i in 0..<3 {
            let id = try started(sh("sleep 30 & trap '' TERM; sleep 30; wait", name: "s\(i)"))
            pids.append(try pid(id))
        }
        var c = config(["sleep", "30"])
        c.restartPolicy = RestartPolicy(name: "always")
        pids.append(try pid(try started(c)))
        let id = try started(config(["sleep", "30"]))
        try engine.pause(id)
        pids.append(try pid(id))
        usleep(200_000)
        let groups = pids
        engine.shutdown()
        for p in groups {
            XCTAssertFalse(processExists(p), "process \(p) outlived shutdown")
            // Orphaned members are killed too; init may take a moment to reap their zombies.
            eventually(3, "group \(p) gone") { kill(-p, 0) != 0 }
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: stateDirectory), [])
        assertEngineError(.engine) { _ = try self.engine.create(self.config(["true"])) }
    }

    func testShutdownAllReachesEveryEngine() throws {
        let other = LocalEngine(stateDirectory: stateDirectory + "-other")
        let id = try other.create(config(["sleep", "30"]))
        try other.start(id)
        let p = Int32(try other.inspect(id)["State"]?["Pid"]?.intValue ?? 0)
        XCTAssertTrue(processExists(p))
        LocalEngine.shutdownAll()
        XCTAssertFalse(processExists(p))
        try? FileManager.default.removeItem(atPath: stateDirectory + "-other")
    }
}
