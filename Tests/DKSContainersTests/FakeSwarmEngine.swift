// FakeSwarmEngine: a FakeEngine that manages a swarm in memory — services made from the
// ServiceConfig the commands pass, tasks the test sets, logs with the engine's task context.
import DKSEngine
import DKSSupport

final class FakeSwarmEngine: FakeEngine, SwarmEngine {
    var configs: [ServiceConfig] = []
    var updates: [ServiceUpdate] = []
    var removed: [String] = []
    var replicas: [String: Int] = [:]
    /// Tasks by service id, as `GET /tasks` returns them.
    var serviceTasks: [String: [JSON]] = [:]
    var logLines: [String] = []
    var inSwarm = true

    private func check() throws {
        if !inSwarm { throw EngineError(.engine, "memory is not a swarm manager; run 'swarm init' there first (or connect to a manager)") }
    }

    func swarmInit(advertiseAddress: String?, listenAddress: String?) throws -> String { inSwarm = true; return "node000000000000000000001" }
    func swarmLeave(force: Bool) throws { inSwarm = false }
    func swarmInspect() throws -> JSON { try check(); return .object([("ID", .string("swarm1"))]) }
    func nodes(filters: [(String, String)]) throws -> [JSON] {
        try check()
        return [.object([("ID", .string("node1")), ("Description", .object([("Hostname", .string("host1"))])),
                         ("Spec", .object([("Role", .string("manager")), ("Availability", .string("active"))])),
                         ("Status", .object([("State", .string("ready"))])), ("ManagerStatus", .object([("Leader", .bool(true))]))])]
    }

    func createService(_ config: ServiceConfig) throws -> (id: String, warnings: [String]) {
        try check()
        configs.append(config)
        let id = "svc\(configs.count)" + String(repeating: "0", count: 22)
        if case .replicated(let n) = config.mode { replicas[id] = n }
        return (id, [])
    }
    private func find(_ ref: String) throws -> (Int, String) {
        for (i, c) in configs.enumerated() {
            let id = "svc\(i + 1)" + String(repeating: "0", count: 22)
            if !removed.contains(id) && (id.hasPrefix(ref) || c.name == ref) { return (i, id) }
        }
        throw EngineError(.notFound, "service \(ref) not found", status: 404)
    }
    private func document(_ i: Int, _ id: String) -> JSON {
        let c = configs[i]
        let mode: JSON = c.mode == .global ? .object([("Global", .object([]))]) : .object([("Replicated", .object([("Replicas", .int(Int64(replicas[id] ?? 1)))]))])
        let running = (serviceTasks[id] ?? []).filter { $0["Status"]?["State"]?.stringValue == "running" }.count
        return .object([("ID", .string(id)), ("Version", .object([("Index", .int(1))])), ("UpdatedAt", .string("2024-01-01T00:00:00Z")),
                        ("Spec", .object([("Name", .string(c.name ?? id)), ("Labels", .object(c.labels.map { ($0.0, .string($0.1)) })),
                                          ("TaskTemplate", .object([("ContainerSpec", .object([("Image", .string(c.image))]))])), ("Mode", mode)])),
                        ("ServiceStatus", .object([("RunningTasks", .int(Int64(running))), ("DesiredTasks", .int(Int64(replicas[id] ?? 1)))]))])
    }
    func services(filters: [(String, String)]) throws -> [JSON] {
        try check()
        return configs.indices.compactMap { i in
            let id = "svc\(i + 1)" + String(repeating: "0", count: 22)
            return removed.contains(id) ? nil : document(i, id)
        }
    }
    func inspectService(_ ref: String) throws -> JSON { try check(); let (i, id) = try find(ref); return document(i, id) }
    func updateService(_ ref: String, _ update: ServiceUpdate) throws -> [String] {
        let (_, id) = try find(ref)
        updates.append(update)
        if let n = update.replicas { replicas[id] = n }
        return []
    }
    func removeService(_ ref: String) throws { let (_, id) = try find(ref); removed.append(id) }
    func tasks(filters: [(String, String)]) throws -> [JSON] {
        let service = filters.first { $0.0 == "service" }?.1 ?? ""
        return serviceTasks.filter { $0.key.hasPrefix(service) }.flatMap { $0.value }
    }
    func serviceLogs(_ ref: String, options: LogOptions, details: Bool, onOutput: (OutputChunk) throws -> StreamControl) throws {
        let (_, id) = try find(ref)
        for line in logLines {
            let text = details ? line : String(line.split(separator: " ", maxSplits: 1).last ?? "")
            if try onOutput(OutputChunk(stream: .stdout, bytes: Array((text + "\n").utf8))) == .stop { return }
        }
        _ = id
    }

    static func task(_ id: String, service: String, slot: Int, desired: String = "running", state: String, error: String? = nil,
                     created: String = "2024-01-01T00:00:01Z") -> JSON {
        var status: [(String, JSON)] = [("State", .string(state)), ("Message", .string(state))]
        if let e = error { status.append(("Err", .string(e))); status.append(("ContainerStatus", .object([("ExitCode", .int(1))]))) }
        return .object([("ID", .string(id)), ("ServiceID", .string(service)), ("Slot", .int(Int64(slot))), ("NodeID", .string("node1")),
                        ("DesiredState", .string(desired)), ("CreatedAt", .string(created)), ("Status", .object(status)),
                        ("Spec", .object([("ContainerSpec", .object([("Image", .string("busybox"))]))]))])
    }
}
