// WaitIntegrationTests: wait conditions and deadlines, waitHealthy and waitLog (DKSEngine/Waits.swift)
// against the real daemon.
import DKSDocker
import DKSEngine
import DKSSupport
import Foundation
import XCTest

final class WaitIntegrationTests: DockerIntegrationCase {
    func seconds(since start: UInt64) -> Double { Double(monotonicNanos() - start) / 1e9 }

    func testWaitNotRunningReturnsExitCode() throws {
        let id = try makeContainer(["sh", "-c", "sleep 0.3; exit 7"], start: true)
        XCTAssertEqual(try engine.wait(id, condition: .notRunning, deadline: .after(seconds: 10)), 7)
        // Already stopped: returns at once.
        XCTAssertEqual(try engine.wait(id, condition: .notRunning, deadline: .after(seconds: 10)), 7)
    }

    func testWaitDeadlineThrowsTimeout() throws {
        let id = try makeContainer(["sleep", "100"], start: true)
        let start = monotonicNanos()
        assertEngineError(.timeout) { _ = try engine.wait(id, condition: .notRunning, deadline: .after(seconds: 0.5)) }
        XCTAssertLessThan(seconds(since: start), 3)
        XCTAssertGreaterThanOrEqual(seconds(since: start), 0.45)
        // The engine is still usable afterwards.
        XCTAssertEqual(try state(id)["Running"]?.boolValue, true)
    }

    func testWaitNextExitAndRemoved() throws {
        let id = try makeContainer(["sh", "-c", "sleep 0.3; exit 2"])
        try engine.start(id)
        XCTAssertEqual(try engine.wait(id, condition: .nextExit, deadline: .after(seconds: 10)), 2)
        let rm = try makeContainer(["sh", "-c", "sleep 0.3"]) { $0.autoRemove = true }
        try engine.start(rm)
        XCTAssertEqual(try engine.wait(rm, condition: .removed, deadline: .after(seconds: 10)), 0)
        assertEngineError(.notFound) { _ = try engine.inspect(rm) }
    }

    func testWaitIsInterruptible() throws {
        let id = try makeContainer(["sleep", "100"], start: true)
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { Interruption.request() }
        let start = monotonicNanos()
        assertEngineError(.interrupted) { _ = try engine.wait(id, condition: .notRunning, deadline: .never) }
        XCTAssertLessThan(seconds(since: start), 3)
    }

    func testCleanupCallsWorkOnceTheInterruptIsDelivered() throws {
        let id = try makeContainer(["sleep", "100"], start: true)
        Interruption.request()
        defer { Interruption.clear() }
        assertEngineError(.interrupted) { _ = try engine.wait(id, condition: .notRunning, deadline: .never) }
        // While the interrupt is pending every request ends at once, plain ones too...
        assertEngineError(.interrupted) { _ = try engine.inspect(id) }
        // ...until it is delivered as an Interrupted error (ScriptError.interrupted lowers the flag):
        // then a script's cleanup (`defer { rm -f $c }`) reaches the engine while the error unwinds.
        Interruption.beginCleanup()
        XCTAssertEqual(try state(id)["Running"]?.boolValue, true)
        try engine.kill(id, signal: nil)
        try engine.remove(id, force: true, volumes: false)
        assertEngineError(.notFound) { _ = try engine.inspect(id) }
    }

    func healthy(_ cmd: String, interval: Double = 0.2, retries: Int = 2, startPeriod: Double? = nil) -> (inout ContainerConfig) -> Void {
        { $0.healthCheck = HealthCheck(test: ["CMD-SHELL", cmd], interval: interval, timeout: 2, retries: retries, startPeriod: startPeriod) }
    }

    func testWaitHealthyPasses() throws {
        let id = try makeContainer(["sleep", "100"], start: true, healthy("true"))
        try engine.waitHealthy(id, deadline: .after(seconds: 20))
        XCTAssertEqual(try state(id)["Health"]?["Status"]?.stringValue, "healthy")
    }

    func testWaitHealthyFailsFastWhenUnhealthy() throws {
        let id = try makeContainer(["sleep", "100"], start: true, healthy("echo probe-says-no; exit 3", retries: 1))
        do {
            try engine.waitHealthy(id, deadline: .after(seconds: 20))
            XCTFail("became healthy")
        } catch let error as EngineError {
            XCTAssertEqual(error.kind, .unhealthy, error.message)
            XCTAssertTrue(error.message.contains("3"), error.message)
            XCTAssertTrue(error.message.contains("probe-says-no"), error.message)
        }
    }

    func testWaitHealthyStartPeriodTurnsHealthyLater() throws {
        // Fails until /tmp/ready exists; the start period keeps those failures from counting.
        let id = try makeContainer(["sh", "-c", "sleep 1; touch /tmp/ready; sleep 100"], start: true,
                                   healthy("test -f /tmp/ready", retries: 1, startPeriod: 5))
        try engine.waitHealthy(id, deadline: .after(seconds: 20))
    }

    func testWaitHealthyWithoutCheckIsValueError() throws {
        let id = try makeContainer(["sleep", "100"], start: true)
        assertEngineError(.invalidArgument) { try engine.waitHealthy(id, deadline: .after(seconds: 5)) }
    }

    func testWaitHealthyExitedIsContainerError() throws {
        let id = try makeContainer(["sh", "-c", "echo last words; exit 5"], start: true, healthy("false", interval: 5))
        do {
            try engine.waitHealthy(id, deadline: .after(seconds: 20))
            XCTFail("became healthy")
        } catch let error as EngineError {
            XCTAssertEqual(error.kind, .container, error.message)
            XCTAssertEqual(error.exitCode, 5)
            XCTAssertTrue(error.output?.contains("last words") ?? false, "\(String(describing: error.output))")
        }
    }

    func testWaitHealthyOnACreatedContainerIsContainerError() throws {
        let id = try makeContainer(["sleep", "100"], start: false, healthy("true"))
        assertEngineError(.container) { try engine.waitHealthy(id, deadline: .after(seconds: 5)) }
    }

    func testWaitHealthyTimeout() throws {
        let id = try makeContainer(["sleep", "100"], start: true, healthy("false", interval: 30, retries: 3))
        let start = monotonicNanos()
        assertEngineError(.timeout) { try engine.waitHealthy(id, deadline: .after(seconds: 0.5)) }
        XCTAssertLessThan(seconds(since: start), 3)
    }

    func testWaitLogMatchesTimes() throws {
        let id = try makeContainer(["sh", "-c", "echo starting; sleep 0.2; echo ready 1 >&2; sleep 0.2; echo ready 2; sleep 100"], start: true)
        try engine.waitLog(id, pattern: "^ready \\d$", times: 2, deadline: .after(seconds: 10))
        try engine.waitLog(id, pattern: "starting", times: 1, deadline: .after(seconds: 10))
    }

    func testWaitLogFailsFastWhenContainerExits() throws {
        let id = try makeContainer(["sh", "-c", "echo booting; exit 4"], start: true)
        let start = monotonicNanos()
        do {
            try engine.waitLog(id, pattern: "ready", times: 1, deadline: .after(seconds: 20))
            XCTFail("matched")
        } catch let error as EngineError {
            XCTAssertEqual(error.kind, .container, error.message)
            XCTAssertEqual(error.exitCode, 4)
            XCTAssertTrue(error.output?.contains("booting") ?? false)
        }
        XCTAssertLessThan(seconds(since: start), 5)
    }

    func testWaitLogTimesOutOnQuietContainer() throws {
        let id = try makeContainer(["sleep", "100"], start: true)
        let start = monotonicNanos()
        assertEngineError(.timeout) { try engine.waitLog(id, pattern: "never", times: 1, deadline: .after(seconds: 0.5)) }
        XCTAssertLessThan(seconds(since: start), 3)
    }

    func testWaitLogBadPatternIsValueError() throws {
        let id = try makeContainer(["sleep", "100"], start: true)
        assertEngineError(.invalidArgument) { try engine.waitLog(id, pattern: "([", times: 1, deadline: .after(seconds: 1)) }
    }
}
