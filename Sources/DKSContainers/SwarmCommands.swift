// SwarmCommands: `swarm init|leave|inspect` and `node ls` — the Docker Swarm that services run
// on, on the engine in use. Must not: join other swarms, publish ports or create networks
// (the engine's own `swarm init` makes its ingress network; nothing else is created here).
import DKSBuiltins
import DKSEngine
import DKSLanguage
import DKSSupport

enum SwarmCommands {
    static func register(_ r: BuiltinRegistry, _ ctx: ContainerContext) {
        r.register(Signature("swarm", topic: "services",
                             [.arg("verb", "init, leave or inspect"),
                              .option("advertise_addr", "ADDR[:PORT]", default: nil, "init: the address other nodes reach this one at"),
                              .option("listen_addr", "ADDR[:PORT]", default: nil, "init: where the swarm listens (default 0.0.0.0:2377)"),
                              .flag("force", short: "f", "leave: leave even as the last manager (the swarm ends)")],
                             summary: "swarm init makes the engine in use the manager of a new Docker Swarm (returns the node's id); swarm leave leaves it (-f: also as its last manager, which ends the swarm and its services); swarm inspect returns the swarm's document as a map. Services (see 'help service') run on a swarm.",
                             example: "swarm init --advertise-addr 127.0.0.1\ndefer { swarm leave -f }")) { a in
            let verb = try a.string(0)
            let handle = ctx.current(a.interp)
            let command = "swarm \(verb)"
            switch verb {
            case "init":
                let advertise = try a.optionalString(1), listen = try a.optionalString(2)
                let s = try ServiceCommands.swarm(handle, command)
                return .string(try handle.call(command) { _ in try s.swarmInit(advertiseAddress: advertise, listenAddress: listen) })
            case "leave":
                let force = a.bool(3)
                let s = try ServiceCommands.swarm(handle, command)
                try handle.call(command) { _ in try s.swarmLeave(force: force) }
                return .null
            case "inspect":
                let s = try ServiceCommands.swarm(handle, command)
                let doc = JSONValues.value(try handle.call(command) { _ in try s.swarmInspect() })
                if a.usage == .statement {
                    try a.interp.out.write((try GeneralBuiltins.jsonEncode(doc)).encodedIndented() + "\n")
                    return .null
                }
                return doc
            default:
                throw ScriptError(.valueError, "swarm: unknown verb '\(verb)'; use swarm init, swarm leave or swarm inspect")
            }
        }
        r.register(Signature("node", topic: "services",
                             [.arg("verb", "ls"), .repeated("filter", "KEY=VALUE", "e.g. role=manager, name=N, label=K=V")],
                             summary: "node ls returns the swarm's nodes as a list of maps {id, hostname, role, availability, status, leader, manager_status, engine_version, addr, labels}; at statement level it prints a table, as docker node ls does.",
                             example: "for $n in (node ls) { echo $n.hostname $n.status }")) { a in
            let verb = try a.string(0)
            guard verb == "ls" else { throw ScriptError(.valueError, "node: unknown verb '\(verb)'; use node ls") }
            let handle = ctx.current(a.interp)
            let filters = try RunOptions.parseFilters(RunOptions.flatStrings(a[1]), command: "node ls")
            let s = try ServiceCommands.swarm(handle, "node ls")
            let nodes = try handle.call("node ls") { _ in try s.nodes(filters: filters) }
            if a.usage == .statement {
                let rows = nodes.map { n -> [String] in
                    let manager = n["ManagerStatus"]
                    let managerText = manager?["Leader"]?.boolValue == true ? "Leader" : (manager?["Reachability"]?.stringValue ?? "").capitalized
                    return [n["ID"]?.stringValue ?? "", n["Description"]?["Hostname"]?.stringValue ?? "",
                            (n["Status"]?["State"]?.stringValue ?? "").capitalized, (n["Spec"]?["Availability"]?.stringValue ?? "").capitalized,
                            managerText, n["Description"]?["Engine"]?["EngineVersion"]?.stringValue ?? ""]
                }
                try a.interp.out.write(formatTable(header: ["ID", "HOSTNAME", "STATUS", "AVAILABILITY", "MANAGER STATUS", "ENGINE VERSION"], rows: rows) + "\n")
                return .null
            }
            return .list(nodes.map(node))
        }
    }

    static func node(_ n: JSON) -> Value {
        let manager = n["ManagerStatus"]
        return JSONValues.map([
            ("id", JSONValues.value(n["ID"])), ("hostname", JSONValues.value(n["Description"]?["Hostname"])),
            ("role", JSONValues.value(n["Spec"]?["Role"])), ("availability", JSONValues.value(n["Spec"]?["Availability"])),
            ("status", JSONValues.value(n["Status"]?["State"])), ("leader", .bool(manager?["Leader"]?.boolValue ?? false)),
            ("manager_status", JSONValues.value(manager?["Reachability"])),
            ("engine_version", JSONValues.value(n["Description"]?["Engine"]?["EngineVersion"])),
            ("addr", JSONValues.value(n["Status"]?["Addr"])), ("labels", JSONValues.stringMap(n["Spec"]?["Labels"])),
        ])
    }
}
