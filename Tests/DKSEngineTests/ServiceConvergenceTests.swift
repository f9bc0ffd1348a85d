// ServiceConvergenceTests: wait-converged over the SwarmEngine protocol, against a scripted
// swarm — converged, scaling down, updates under way or paused, tasks that keep failing (per
// slot, per node, and at once when nothing restarts them), old failures, the deadline.
import DKSEngine
import DKSSupport
import XCTest

final class ScriptedSwarm: SwarmEngine {
    var service: JSON = .null
    /// Task lists returned by successive polls (the last one repeats).
    var polls: [[JSON]] = []
    var polled = 0

    func swarmInit(advertiseAddress: String?, listenAddress: String?) throws -> String { "n" }
    func swarmLeave(force: Bool) throws {}
    func swarmInspect() throws -> JSON { .null }
    func nodes(filters: [(String, String)]) throws -> [JSON] { [] }
    func createService(_ config: ServiceConfig) throws -> (id: String, warnings: [String]) { ("s1", []) }
    func services(filters: [(String, String)]) throws -> [JSON] { [service] }
    func inspectService(_ ref: String) throws -> JSON { service }
    func updateService(_ ref: String, _ update: ServiceUpdate) throws -> [String] { [] }
    func removeService(_ ref: String) throws {}
    func tasks(filters: [(String, String)]) throws -> [JSON] {
        defer { polled += 1 }
        return polls[min(polled, polls.count - 1)]
    }
    func serviceLogs(_ ref: String, options: LogOptions, details: Bool, onOutput: (OutputChunk) throws -> StreamControl) throws {}

    static func service(replicas: Int?, restart: String? = nil, update: String? = nil, updatedAt: String = "2024-01-01T00:00:10Z") -> JSON {
        let mode: JSON = replicas.map { .object([("Replicated", .object([("Replicas", .int(Int64($0)))]))]) } ?? .object([("Global", .object([]))])
        var template: [(String, JSON)] = [("ContainerSpec", .object([("Image", .string("busybox"))]))]
        if let r = restart { template.append(("RestartPolicy", .object([("Condition", .string(r))]))) }
        var doc: [(String, JSON)] = [("ID", .string("s1")), ("UpdatedAt", .string(updatedAt)),
                                     ("Spec", .object([("Name", .string("web")), ("Mode", mode), ("TaskTemplate", .object(template))]))]
        if let u = update { doc.append(("UpdateStatus", .object([("State", .string(u)), ("Message", .string("update paused due to failure"))]))) }
        return .object(doc)
    }

    static func task(_ id: String, slot: Int = 0, node: String = "n1", desired: String = "running", state: String,
                     created: String = "2024-01-01T00:00:11Z", error: String? = nil) -> JSON {
        var status: [(String, JSON)] = [("State", .string(state))]
        if let e = error { status += [("Err", .string(e)), ("ContainerStatus", .object([("ExitCode", .int(1))]))] }
        return .object([("ID", .string(id)), ("ServiceID", .string("s1")), ("Slot", .int(Int64(slot))), ("NodeID", .string(node)),
                        ("DesiredState", .string(desired)), ("CreatedAt", .string(created)), ("Status", .object(status))])
    }
}

final class ServiceConvergenceTests: XCTestCase {
    typealias T = ScriptedSwarm

    func error(_ s: ScriptedSwarm, seconds: Double = 10, failures: Int = 2, stable: Double = 0) -> EngineError? {
        do { try s.waitConverged("web", deadline: .after(seconds: seconds), failures: failures, stable: stable) } catch let e as EngineError { return e } catch {
            XCTFail("unexpected \(error)")
        }
        return nil
    }

    func testReturnsOnceEveryDesiredTaskRuns() throws {
        let s = ScriptedSwarm()
        s.service = T.service(replicas: 2)
        s.polls = [[T.task("a", slot: 1, state: "running"), T.task("b", slot: 2, state: "preparing")],
                   [T.task("a", slot: 1, state: "running"), T.task("b", slot: 2, state: "running")]]
        let p = try s.waitConverged("web", deadline: .after(seconds: 10), stable: 0)
        XCTAssertEqual(p.running, 2)
        XCTAssertEqual(p.desired, 2)
        XCTAssertEqual(s.polled, 2)
    }

    func testScalingDownWaitsForTheTasksThatMustStop() throws {
        let s = ScriptedSwarm()
        s.service = T.service(replicas: 1)
        s.polls = [[T.task("a", slot: 1, state: "running"), T.task("b", slot: 2, desired: "shutdown", state: "running")],
                   [T.task("a", slot: 1, state: "running"), T.task("b", slot: 2, desired: "shutdown", state: "complete")]]
        XCTAssertEqual(try s.waitConverged("web", deadline: .after(seconds: 10), stable: 0).stopping, 0)
        XCTAssertEqual(s.polled, 2)
    }

    func testAGlobalServiceWantsOneTaskPerNodeAndAnUpdateMustFinish() throws {
        let s = ScriptedSwarm()
        s.service = T.service(replicas: nil)
        s.polls = [[T.task("a", node: "n1", state: "running"), T.task("b", node: "n2", state: "running")]]
        XCTAssertEqual(try s.waitConverged("web", deadline: .after(seconds: 10), stable: 0).desired, 2)
        s.service = T.service(replicas: 1, update: "updating")
        s.polled = 0
        s.polls = [[T.task("a", slot: 1, state: "running")]]
        XCTAssertEqual(error(s, seconds: 0.3)?.kind, .timeout)
        s.service = T.service(replicas: 1, update: "paused")
        let paused = error(s)
        XCTAssertEqual(paused?.kind, .service)
        XCTAssertEqual(paused?.message, "service web: its update is paused: update paused due to failure")
    }

    func testTasksThatKeepFailingFailFastWithTheirErrors() {
        let s = ScriptedSwarm()
        s.service = T.service(replicas: 2)
        let exit1 = "task: non-zero exit (1)"
        s.polls = [[T.task("f1", slot: 1, desired: "shutdown", state: "failed", error: exit1), T.task("x", slot: 2, state: "starting")],
                   [T.task("f1", slot: 1, desired: "shutdown", state: "failed", error: exit1), T.task("f2", slot: 1, desired: "shutdown", state: "failed", error: exit1),
                    T.task("x", slot: 2, state: "starting")]]
        let e = error(s)
        XCTAssertEqual(e?.kind, .service)
        XCTAssertEqual(e?.message, "service web: its tasks keep failing (2 failed tasks since it last changed; 0 of 2 running): web.1 (task f1): task: non-zero exit (1)")
        XCTAssertEqual(e?.output, "web.1 (task f1): task: non-zero exit (1)\nweb.1 (task f2): task: non-zero exit (1)")
        XCTAssertEqual(e?.taskFailures.map(\.exitCode), [1, 1])
        XCTAssertEqual(s.polled, 2)
        // One failure in each of two slots is not "keeps failing" yet: the wait goes on.
        s.polled = 0
        s.polls = [[T.task("f1", slot: 1, desired: "shutdown", state: "failed", error: exit1), T.task("f2", slot: 2, desired: "shutdown", state: "rejected", error: "No such image")]]
        XCTAssertEqual(error(s, seconds: 0.3)?.kind, .timeout)
        XCTAssertEqual(error(s, seconds: 10, failures: 1)?.kind, .service)
    }

    func testNothingRestartsOrOnlyOldFailures() {
        let s = ScriptedSwarm()
        // restart-condition none: the first failure is final.
        s.service = T.service(replicas: 1, restart: "none")
        s.polls = [[T.task("f1", slot: 1, desired: "shutdown", state: "failed", error: "task: non-zero exit (1)")]]
        XCTAssertEqual(error(s)?.kind, .service)
        // Failures from before the service last changed (an update, a scale) do not count.
        s.service = T.service(replicas: 1, updatedAt: "2024-01-01T00:01:00Z")
        s.polled = 0
        s.polls = [[T.task("f1", slot: 1, desired: "shutdown", state: "failed", error: "e"), T.task("f2", slot: 1, desired: "shutdown", state: "failed", error: "e"),
                    T.task("ok", slot: 1, state: "starting", created: "2024-01-01T00:01:01Z")]]
        let e = error(s, seconds: 0.3)
        XCTAssertEqual(e?.kind, .timeout)
        XCTAssertEqual(e?.message, "service web did not converge before the deadline: 0 of 1 tasks running")
    }

    func testTasksMustKeepRunningForTheStableWindow() throws {
        let s = ScriptedSwarm()
        s.service = T.service(replicas: 2)
        let exit1 = "task: non-zero exit (1)"
        // Both tasks are seen running for a moment, then exit: a crash loop, not convergence.
        s.polls = [[T.task("a", slot: 1, state: "running"), T.task("b", slot: 2, state: "running")],
                   [T.task("a", slot: 1, desired: "shutdown", state: "failed", error: exit1),
                    T.task("b", slot: 2, desired: "shutdown", state: "failed", error: exit1),
                    T.task("c", slot: 1, state: "running"), T.task("d", slot: 2, state: "running")],
                   [T.task("a", slot: 1, desired: "shutdown", state: "failed", error: exit1),
                    T.task("b", slot: 2, desired: "shutdown", state: "failed", error: exit1),
                    T.task("c", slot: 1, desired: "shutdown", state: "failed", error: exit1),
                    T.task("d", slot: 2, state: "running")]]
        let e = error(s, stable: 1)
        XCTAssertEqual(e?.kind, .service)
        XCTAssertEqual(e?.taskFailures.map(\.taskName), ["web.1", "web.1", "web.2"])
        XCTAssertEqual(s.polled, 3)
        // Tasks that keep running return once the window has passed, and not before.
        s.polled = 0
        s.polls = [[T.task("a", slot: 1, state: "running"), T.task("b", slot: 2, state: "running")]]
        let start = monotonicNanos()
        XCTAssertEqual(try s.waitConverged("web", deadline: .after(seconds: 10), stable: 0.5).running, 2)
        XCTAssertGreaterThanOrEqual(monotonicNanos() - start, 500_000_000)
        XCTAssertGreaterThan(s.polled, 2)
        // A deadline inside the window says the tasks run, but not yet for long enough.
        s.polled = 0
        XCTAssertEqual(error(s, seconds: 0.3, stable: 5)?.message,
                       "service web did not converge before the deadline: 2 of 2 tasks running, not yet for 5s in a row")
    }
}
