// ServiceObject: the `service` value — a Docker Swarm service of one engine. `id`, `name` and
// `engine` are fixed; `replicas` (desired), `running`, `tasks`, `mode`, `image`, `labels` and
// `attrs` are read live from its engine on each access. Methods: `scale`, `update`, `logs`,
// `ps`, `rm` (the `service` verbs); `inspect` and `wait_converged` by uniform call syntax.
// Must not: cache state, or reach any engine but its own.
import DKSEngine
import DKSLanguage
import DKSSupport

final class ServiceObject: HostObject, EngineBound, @unchecked Sendable {
    let id: String
    let name: String
    unowned let engine: EngineHandle

    init(id: String, name: String, engine: EngineHandle) {
        self.id = id
        self.name = name
        self.engine = engine
    }

    static let attributes = ["id", "short_id", "name", "replicas", "running", "tasks", "mode", "image", "labels", "attrs", "engine"]
    static let methods = ["scale", "update", "logs", "ps", "rm", "inspect", "wait_converged"]

    var engineRef: String { id }
    override var typeName: String { "service" }
    override var memberNames: [String] { Self.attributes + Self.methods }
    override var description: String { "<service \(name) \(JSONValues.shortID(id))>" }
    override func isEqual(to other: HostObject) -> Bool {
        guard let o = other as? ServiceObject else { return false }
        return o.id == id && o.engine === engine
    }
    override func hash(into hasher: inout Hasher) { hasher.combine("service"); hasher.combine(id) }

    /// The swarm engine behind it.
    func swarm(_ command: String) throws -> SwarmEngine { try ServiceCommands.swarm(engine, command) }

    /// The service's document now.
    func document(_ command: String) throws -> JSON {
        let s = try swarm(command)
        return try engine.call(command) { _ in try s.inspectService(id) }
    }

    /// The service as the list shows it (with `ServiceStatus`: running and desired task counts).
    func summary(_ command: String) throws -> JSON {
        let s = try swarm(command)
        let list = try engine.call(command) { _ in try s.services(filters: [("id", id)]) }
        guard let doc = list.first(where: { $0["ID"]?.stringValue == id }) else {
            throw ScriptError(.notFound, "\(command): service \(name) no longer exists")
        }
        return doc
    }

    override func member(_ member: String) throws -> Value? {
        switch member {
        case "id": return .string(id)
        case "short_id": return .string(JSONValues.shortID(id))
        case "name": return .string(name)
        case "engine": return .object(engine.object)
        case "replicas":
            let doc = try summary("$service.replicas")
            if let n = doc["Spec"]?["Mode"]?["Replicated"]?["Replicas"]?.intValue { return .int(Int(n)) }
            return doc["ServiceStatus"]?["DesiredTasks"]?.intValue.map { .int(Int($0)) } ?? .null
        case "running":
            let doc = try summary("$service.running")
            if let n = doc["ServiceStatus"]?["RunningTasks"]?.intValue { return .int(Int(n)) }
            return .int(try tasks("$service.running").filter { $0.desired == "running" && $0.state == "running" }.count)
        case "tasks": return .list(try tasks("$service.tasks").map(\.value))
        case "mode":
            let spec = try document("$service.mode")["Spec"]
            return .string(spec?["Mode"]?["Global"] != nil ? "global" : "replicated")
        case "image": return JSONValues.value(try document("$service.image")["Spec"]?["TaskTemplate"]?["ContainerSpec"]?["Image"])
        case "labels": return JSONValues.stringMap(try document("$service.labels")["Spec"]?["Labels"])
        case "attrs": return JSONValues.value(try document("$service.attrs"))
        case "scale", "update", "logs", "ps", "rm":
            return .function(ServiceCommands.method(member, on: self))
        default: return nil
        }
    }

    /// Its tasks now, in `service ps` order: by slot (or node), the current one first.
    func tasks(_ command: String) throws -> [ServiceTask] {
        let s = try swarm(command)
        let list = try engine.call(command) { _ in try s.tasks(filters: [("service", id)]) }
        return ServiceTask.sorted(list.filter { $0["ServiceID"]?.stringValue == id }.map { ServiceTask($0, serviceName: name) })
    }
}

/// One task of a service, as scripts see it (`.tasks`, `service ps`).
struct ServiceTask {
    let doc: JSON
    let serviceName: String

    init(_ doc: JSON, serviceName: String) {
        self.doc = doc
        self.serviceName = serviceName
    }

    var id: String { doc["ID"]?.stringValue ?? "" }
    var slot: Int? { doc["Slot"]?.intValue.flatMap { $0 > 0 ? Int($0) : nil } }
    var node: String { doc["NodeID"]?.stringValue ?? "" }
    var desired: String { doc["DesiredState"]?.stringValue ?? "" }
    var state: String { doc["Status"]?["State"]?.stringValue ?? "" }
    var created: String { doc["CreatedAt"]?.stringValue ?? "" }
    var error: String { doc["Status"]?["Err"]?.stringValue ?? "" }
    /// `web.2`, or `web.NODEID` for a global service's task.
    var name: String { "\(serviceName).\(slot.map { String($0) } ?? node)" }

    var value: Value {
        let status = doc["Status"] ?? .null
        return JSONValues.map([
            ("id", .string(id)), ("name", .string(name)), ("slot", slot.map { .int($0) } ?? .null),
            ("node_id", .string(node)), ("desired_state", .string(desired)), ("state", .string(state)),
            ("message", JSONValues.value(status["Message"])), ("error", error.isEmpty ? .null : .string(error)),
            ("exit_code", status["ContainerStatus"]?["ExitCode"]?.intValue.map { .int(Int($0)) } ?? .null),
            ("container_id", JSONValues.value(status["ContainerStatus"]?["ContainerID"])),
            ("image", JSONValues.value(doc["Spec"]?["ContainerSpec"]?["Image"])),
            ("created_at", .string(created)),
        ])
    }

    /// By slot (or node), then newest first: the current task of each slot heads its history.
    static func sorted(_ tasks: [ServiceTask]) -> [ServiceTask] {
        tasks.sorted { a, b in
            let ka = a.slot.map { String(format: "%012d", $0) } ?? a.node
            let kb = b.slot.map { String(format: "%012d", $0) } ?? b.node
            if ka != kb { return ka < kb }
            let ta = PreciseTime.parseRFC3339(a.created), tb = PreciseTime.parseRFC3339(b.created)
            if let ta, let tb, ta != tb { return ta > tb }
            return a.id < b.id
        }
    }
}
