// ServiceConvergence: `wait-converged`, written once over the SwarmEngine protocol — what
// "converged" means for a service, and when its tasks "keep failing" (spec §12).
// Owns: the polling loop and the reading of a service's task list. Must not: call anything but
// protocol methods, so it can be tested against a scripted engine.
import DKSSupport
import Foundation

/// A service's tasks as `wait-converged` judges them.
public struct ServiceProgress: Sendable {
    /// The tasks the service wants running (replicas; for a global service, one per eligible node).
    public var desired: Int
    /// The tasks that should run and do.
    public var running: Int
    /// The ids of those tasks (`wait-converged` watches that they stay the same).
    public var runningTaskIDs: [String] = []
    /// Tasks that should have stopped and still run (scaled down, replaced by an update).
    public var stopping: Int
    /// Task failures since the service last changed, by slot (replicated) or node (global),
    /// with their error text, newest last.
    public var failures: [String: [TaskFailure]]
    /// The state of a rolling update (`updating`, `paused`, `completed`, `rollback_*`), if any.
    public var updateState: String?
    public var updateMessage: String?

    /// Every desired task runs, nothing that should stop still runs, and no update is under way.
    public var converged: Bool {
        running == desired && stopping == 0 && !["updating", "rollback_started"].contains(updateState ?? "")
    }
}

/// One failed task: where, and what its engine says.
public struct TaskFailure: Sendable {
    public var taskID: String
    /// `web.2` (replicated) or `web.NODE` (global).
    public var taskName: String
    public var state: String
    public var error: String
    public var exitCode: Int?
}

extension SwarmEngine {
    /// Reads a service and its tasks and says how far it is from convergence.
    public func progress(of service: JSON) throws -> ServiceProgress {
        let id = service["ID"]?.stringValue ?? ""
        let name = service["Spec"]?["Name"]?.stringValue ?? id
        let tasks = try self.tasks(filters: [("service", id)])
        let since = service["UpdatedAt"]?.stringValue.flatMap { PreciseTime.parseRFC3339($0) }
        let replicated = service["Spec"]?["Mode"]?["Replicated"]
        var progress = ServiceProgress(desired: 0, running: 0, runningTaskIDs: [], stopping: 0, failures: [:],
                                       updateState: service["UpdateStatus"]?["State"]?.stringValue,
                                       updateMessage: service["UpdateStatus"]?["Message"]?.stringValue)
        var globalNodes = Set<String>()
        for t in tasks {
            // Tasks of another service (a filter the engine ignored) are not this one's.
            if let sid = t["ServiceID"]?.stringValue, sid != id { continue }
            let desired = t["DesiredState"]?.stringValue ?? ""
            let state = t["Status"]?["State"]?.stringValue ?? ""
            let node = t["NodeID"]?.stringValue ?? ""
            if desired == "running" {
                if state == "running" {
                    progress.running += 1
                    progress.runningTaskIDs.append(t["ID"]?.stringValue ?? "")
                }
                if replicated == nil, !node.isEmpty { globalNodes.insert(node) }
            } else if state == "running" {
                progress.stopping += 1
            }
            guard ["failed", "rejected"].contains(state) else { continue }
            // Only failures of the service as it is now count: an update or a scale starts afresh.
            if let since = since, let created = t["CreatedAt"]?.stringValue.flatMap({ PreciseTime.parseRFC3339($0) }), created < since {
                continue
            }
            let slot = t["Slot"]?.intValue.map { String($0) } ?? ""
            let group = slot.isEmpty || slot == "0" ? node : slot
            let status = t["Status"] ?? .null
            let error = status["Err"]?.stringValue ?? status["Message"]?.stringValue ?? state
            progress.failures[group, default: []].append(TaskFailure(
                taskID: t["ID"]?.stringValue ?? "", taskName: "\(name).\(slot.isEmpty || slot == "0" ? String(node.prefix(12)) : slot)",
                state: state, error: error, exitCode: status["ContainerStatus"]?["ExitCode"]?.intValue.map { Int($0) }))
        }
        if let replicas = replicated?["Replicas"]?.intValue {
            progress.desired = Int(replicas)
        } else {
            progress.desired = service["ServiceStatus"]?["DesiredTasks"]?.intValue.map { Int($0) } ?? globalNodes.count
        }
        return progress
    }

    /// Returns once every desired task of the service runs (see `ServiceProgress.converged`) and
    /// the same tasks have run for `stable` seconds: a task that starts and exits at once is seen
    /// running for a moment, and a crash-looping service must not pass for a converged one (the
    /// docker CLI watches for 5 s after `service create` for the same reason).
    ///
    /// Throws `.service` as soon as tasks keep failing — `failures` failed tasks in one slot (one
    /// node for a global service) since the service last changed, or one failure when its
    /// restart condition is `none` (nothing replaces it) — or a rolling update paused; the message
    /// names each failure. `.timeout` at `deadline`, `.interrupted` on `Interruption`.
    @discardableResult
    public func waitConverged(_ ref: String, deadline: Deadline, failures: Int = 2, stable: Double = 1) throws -> ServiceProgress {
        do {
            return try Deadline.bounding(deadline) { try pollConvergence(ref, deadline: deadline, failures: failures, stable: stable) }
        } catch let error as EngineError where error.kind == .timeout && error.unanswered {
            throw EngineError(.timeout, "service \(ref) did not converge before the deadline: \(error.message)")
        }
    }

    private func pollConvergence(_ ref: String, deadline: Deadline, failures: Int, stable: Double) throws -> ServiceProgress {
        let window = UInt64(max(0, min(stable, 1e6)) * 1e9)
        var runningSince: [String: UInt64] = [:]  // task id -> when this wait first saw it running
        while true {
            if Interruption.isRequested { throw EngineError(.interrupted, "interrupted") }
            let service = try inspectService(ref)
            let name = service["Spec"]?["Name"]?.stringValue ?? ref
            let p = try progress(of: service)
            // A paused update leaves the service half updated, even when every task runs.
            if ["paused", "rollback_paused"].contains(p.updateState ?? "") {
                throw EngineError(.service, "service \(name): its update is \(p.updateState ?? "paused"): \(p.updateMessage ?? "no reason given")")
            }
            let now = monotonicNanos()
            runningSince = Dictionary(p.runningTaskIDs.map { ($0, runningSince[$0] ?? now) }, uniquingKeysWith: { a, _ in a })
            let steadySince = runningSince.values.max() ?? now
            if p.converged && now &- steadySince >= window { return p }
            let condition = service["Spec"]?["TaskTemplate"]?["RestartPolicy"]?["Condition"]?.stringValue ?? "any"
            let limit = condition == "none" ? 1 : max(1, failures)
            if p.failures.values.contains(where: { $0.count >= limit }) {
                let all = p.failures.values.flatMap { $0 }.sorted { $0.taskName < $1.taskName }
                let lines = all.map { f in "\(f.taskName) (task \(f.taskID.prefix(12))): \(f.error)" }
                let count = all.count
                var error = EngineError(.service, "service \(name): its tasks keep failing (\(count) failed task\(count == 1 ? "" : "s") since it last changed; \(p.running) of \(p.desired) running): "
                                        + (lines.first ?? ""), output: lines.joined(separator: "\n"))
                error.taskFailures = all
                throw error
            }
            if deadline.hasPassed {
                throw EngineError(.timeout, "service \(name) did not converge before the deadline: \(p.running) of \(p.desired) tasks running"
                                    + (p.stopping > 0 ? ", \(p.stopping) still stopping" : "")
                                    + (p.converged ? ", not yet for \(durationText(seconds: stable)) in a row" : ""))
            }
            do { try interruptibleSleep(seconds: min(0.2, max(0.001, deadline.remainingSeconds))) } catch {
                throw EngineError(.interrupted, "interrupted")
            }
        }
    }
}
