// HealthAndRestartTests: State.Health as Docker keeps it, and restart policies.
import DKSEngine
import DKSLocal
import Foundation
import XCTest

final class HealthAndRestartTests: LocalEngineTestCase {
    func healthy(_ test: [String], retries: Int = 2, startPeriod: Double? = nil) -> ContainerConfig {
        var c = config(["sleep", "30"])
        c.healthCheck = HealthCheck(test: test, interval: 0.2, timeout: 1, retries: retries, startPeriod: startPeriod)
        return c
    }

    func health(_ ref: String) throws -> JSON? { try engine.inspect(ref)["State"]?["Health"] }

    func testBecomesHealthy() throws {
        let id = try started(healthy(["CMD-SHELL", "test -n \"$HOME\" && echo ok"]))
        XCTAssertEqual(try health(id)?["Status"]?.stringValue, "starting")
        try eventually(5, "healthy") { try health(id)?["Status"]?.stringValue == "healthy" }
        let h = try XCTUnwrap(health(id))
        XCTAssertEqual(h["FailingStreak"]?.intValue, 0)
        let entry = try XCTUnwrap(h["Log"]?.arrayValue?.last)
        XCTAssertEqual(entry["ExitCode"]?.intValue, 0)
        XCTAssertEqual(entry["Output"]?.stringValue, "ok\n")
        XCTAssertNotNil(parseRFC3339Checked(entry["Start"]?.stringValue))
        XCTAssertNotNil(parseRFC3339Checked(entry["End"]?.stringValue))
        let summary = try XCTUnwrap(engine.list(all: false, filters: [("health", "healthy")]).first)
        XCTAssertTrue(summary["Status"]?.stringValue?.hasSuffix("(healthy)") ?? false)
        XCTAssertEqual(try engine.inspect(id)["Config"]?["Healthcheck"]?["Interval"]?.intValue, 200_000_000)
    }

    func testBecomesUnhealthyAndKeepsFiveEntries() throws {
        let id = try started(healthy(["CMD", "/bin/sh", "-c", "echo bad; exit 3"], retries: 2))
        try eventually(5, "unhealthy") { try health(id)?["Status"]?.stringValue == "unhealthy" }
        XCTAssertGreaterThanOrEqual(try health(id)?["FailingStreak"]?.intValue ?? 0, 2)
        XCTAssertEqual(try health(id)?["Log"]?.arrayValue?.last?["ExitCode"]?.intValue, 3)
        XCTAssertEqual(try health(id)?["Log"]?.arrayValue?.last?["Output"]?.stringValue, "bad\n")
        try eventually(5, "five log entries") { try health(id)?["Log"]?.arrayValue?.count == 5 }
        usleep(500_000)
        XCTAssertEqual(try health(id)?["Log"]?.arrayValue?.count, 5)
    }

    func testCheckTimeoutIsAFailure() throws {
        var c = config(["sleep", "30"])
        c.healthCheck = HealthCheck(test: ["CMD", "sleep", "10"], interval: 0.2, timeout: 0.2, retries: 1)
        let id = try started(c)
        try eventually(5, "unhealthy") { try health(id)?["Status"]?.stringValue == "unhealthy" }
        let entry = try XCTUnwrap(health(id)?["Log"]?.arrayValue?.last)
        XCTAssertEqual(entry["ExitCode"]?.intValue, -1)
        XCTAssertTrue(entry["Output"]?.stringValue?.contains("exceeded timeout") ?? false)
    }

    func testStartPeriodFailuresDoNotCount() throws {
        let id = try started(healthy(["CMD", "false"], retries: 1, startPeriod: 30))
        try eventually(5, "two failed checks") { (try health(id)?["Log"]?.arrayValue?.count ?? 0) >= 2 }
        XCTAssertEqual(try health(id)?["Status"]?.stringValue, "starting")
        XCTAssertEqual(try health(id)?["FailingStreak"]?.intValue, 0)
    }

    func testNoHealthCheckMeansNoHealth() throws {
        let id = try started(config(["sleep", "30"]))
        XCTAssertNil(try health(id))
        XCTAssertEqual(try engine.list(all: false, filters: [("health", "none")]).count, 1)
    }

    func testOnFailureRestartsTwiceThenStops() throws {
        var c = sh("echo attempt; exit 1")
        c.restartPolicy = RestartPolicy(name: "on-failure", maximumRetryCount: 2)
        let id = try started(c)
        try eventually(10, "two restarts") {
            let doc = try engine.inspect(id)
            return doc["RestartCount"]?.intValue == 2 && doc["State"]?["Status"]?.stringValue == "exited"
        }
        usleep(800_000)
        XCTAssertEqual(try engine.inspect(id)["RestartCount"]?.intValue, 2)
        XCTAssertEqual(try status(id), "exited")
        XCTAssertEqual(try exitCode(id), 1)
        XCTAssertEqual(try logText(id), "attempt\nattempt\nattempt\n")
    }

    func testOnFailureDoesNotRestartSuccess() throws {
        var c = config(["true"])
        c.restartPolicy = RestartPolicy(name: "on-failure")
        let id = try started(c)
        _ = try engine.wait(id, condition: .notRunning, deadline: .after(seconds: 5))
        usleep(400_000)
        XCTAssertEqual(try engine.inspect(id)["RestartCount"]?.intValue, 0)
    }

    func testAlwaysRestartsUntilStopped() throws {
        var c = sh("sleep 0.1")
        c.restartPolicy = RestartPolicy(name: "always")
        let id = try started(c)
        try eventually(10, "restarts") { (try engine.inspect(id)["RestartCount"]?.intValue ?? 0) >= 2 }
        try engine.stop(id, timeout: 2)
        let count = try engine.inspect(id)["RestartCount"]?.intValue
        usleep(600_000)
        XCTAssertEqual(try status(id), "exited")
        XCTAssertEqual(try engine.inspect(id)["RestartCount"]?.intValue, count)
    }

    func testUnlessStoppedIsNotRestartedAfterKill() throws {
        var c = config(["sleep", "30"])
        c.restartPolicy = RestartPolicy(name: "unless-stopped")
        let id = try started(c)
        try engine.kill(id, signal: "KILL")
        usleep(500_000)
        XCTAssertEqual(try status(id), "exited")
        XCTAssertEqual(try engine.inspect(id)["RestartCount"]?.intValue, 0)
    }

    private func parseRFC3339Checked(_ s: String?) -> Double? { s.flatMap { parseRFC3339Local($0) } }
}

import DKSSupport
private func parseRFC3339Local(_ s: String) -> Double? { parseRFC3339(s) }
