// DockerEngine+Swarm: Docker Swarm over the Engine API — /swarm, /nodes, /services, /tasks and
// service logs. Owns: those endpoints and their quirks (an update names the spec version it
// changes; service logs carry their task context). Must not: decide when a service has
// converged (ServiceConvergence does, over the protocol).
import DKSEngine
import DKSSupport

extension DockerEngine: SwarmEngine {
    public func swarmInit(advertiseAddress: String?, listenAddress: String?) throws -> String {
        var body: [(String, JSON)] = [("ListenAddr", .string(listenAddress ?? "0.0.0.0:2377"))]
        if let advertise = advertiseAddress { body.append(("AdvertiseAddr", .string(advertise))) }
        let answer = try swarmCall { try client.callJSON(request("POST", try api() + "/swarm/init", body: .object(body)),
                                                         deadline: Deadline.after(seconds: 60)) }
        return answer.stringValue ?? ""
    }

    public func swarmLeave(force: Bool) throws {
        _ = try swarmCall { try client.call(request("POST", try api() + "/swarm/leave", query: [("force", force ? "1" : "0")]),
                                            deadline: Deadline.after(seconds: 60)) }
    }

    public func swarmInspect() throws -> JSON {
        try swarmCall { try client.callJSON(request("GET", try api() + "/swarm")) }
    }

    public func nodes(filters: [(String, String)]) throws -> [JSON] {
        try expectArray(try swarmCall { try client.callJSON(request("GET", try api() + "/nodes", query: QueryEncoding.filtersItem(filters))) },
                        "the node list")
    }

    public func createService(_ config: ServiceConfig) throws -> (id: String, warnings: [String]) {
        let answer = try swarmCall { try client.callJSON(request("POST", try api() + "/services/create", body: ServiceSpec.create(config))) }
        guard let id = answer["ID"]?.stringValue, !id.isEmpty else {
            throw EngineError(.engine, "malformed answer from \(endpoint) to service create: no ID")
        }
        return (id, DockerEngine.warnings(answer))
    }

    public func services(filters: [(String, String)]) throws -> [JSON] {
        let query = [("status", "true")] + QueryEncoding.filtersItem(filters)
        return try expectArray(try swarmCall { try client.callJSON(request("GET", try api() + "/services", query: query)) }, "the service list")
    }

    public func inspectService(_ ref: String) throws -> JSON {
        try swarmCall { try client.callJSON(request("GET", try api() + "/services/" + QueryEncoding.pathSegment(ref))) }
    }

    public func updateService(_ ref: String, _ update: ServiceUpdate) throws -> [String] {
        // The engine refuses an update based on an old version ("update out of sequence"): when
        // something else changed the service in between, read it again and re-apply.
        var attempt = 0
        while true {
            attempt += 1
            let current = try inspectService(ref)
            guard let id = current["ID"]?.stringValue, let version = current["Version"]?["Index"]?.intValue,
                  let spec = current["Spec"] else {
                throw EngineError(.engine, "malformed answer from \(endpoint) to service inspect \(ref): no ID, Version or Spec")
            }
            let body = ServiceSpec.update(spec, update)
            do {
                let answer = try swarmCall { try client.callJSON(request("POST", try api() + "/services/\(QueryEncoding.pathSegment(id))/update",
                                                                         query: [("version", String(version))], body: body)) }
                return DockerEngine.warnings(answer)
            } catch let e as EngineError where attempt < 3 && e.message.contains("out of sequence") {
                continue
            }
        }
    }

    public func removeService(_ ref: String) throws {
        _ = try swarmCall { try client.call(request("DELETE", try api() + "/services/" + QueryEncoding.pathSegment(ref))) }
    }

    public func tasks(filters: [(String, String)]) throws -> [JSON] {
        try expectArray(try swarmCall { try client.callJSON(request("GET", try api() + "/tasks", query: QueryEncoding.filtersItem(filters))) },
                        "the task list")
    }

    public func serviceLogs(_ ref: String, options: LogOptions, details: Bool, onOutput: (OutputChunk) throws -> StreamControl) throws {
        try Deadline.bounding(options.deadline) {
            let service = try inspectService(ref)
            let id = service["ID"]?.stringValue ?? ref
            let tty = service["Spec"]?["TaskTemplate"]?["ContainerSpec"]?["TTY"]?.boolValue ?? false
            var query: [(String, String)] = [
                ("stdout", options.stdout ? "1" : "0"), ("stderr", options.stderr ? "1" : "0"),
                ("follow", options.follow ? "1" : "0"), ("timestamps", options.timestamps ? "1" : "0"),
                ("details", details ? "1" : "0"), ("tail", options.tail.map { String(max(0, $0)) } ?? "all"),
            ]
            if let since = options.since { query.append(("since", since.parameter)) }
            let headDeadline = min(options.deadline, Deadline.after(seconds: client.requestTimeout))
            let exchange = try swarmCall {
                try client.send(request("GET", try api() + "/services/\(QueryEncoding.pathSegment(id))/logs", query: query),
                                headDeadline: headDeadline, interruptible: true)
            }
            exchange.bound(by: options.follow ? options.deadline : min(options.deadline, Deadline.after(seconds: 600)),
                           timeoutMessage: "no end of the logs of service \(ref) before the deadline")
            // Every frame is one message with its own context: keep them apart (as with timestamps).
            _ = try OutputPump.run(exchange, multiplexed: !tty, timestamps: options.timestamps, separateFrames: details, onChunk: onOutput)
        }
    }

    /// An engine without Swarm (not a manager, or Podman, which has no orchestrator) says so
    /// in its own words; dks adds what to do.
    private func swarmCall<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as EngineError {
            let text = e.message.lowercased()
            if text.contains("not a swarm manager") || text.contains("node is not part of a swarm") {
                throw EngineError(.engine, "\(endpoint) is not a swarm manager; run 'swarm init' there first (or connect to a manager)", status: e.status)
            }
            if e.status == 404 || e.status == 501, (try? info().kind) == "podman" {
                throw EngineError(.unsupported, "\(endpoint) is Podman, which has no Docker Swarm services", status: e.status)
            }
            throw e
        }
    }

    static func warnings(_ answer: JSON) -> [String] {
        (answer["Warnings"]?.arrayValue ?? answer["Warning"].map { [$0] } ?? []).compactMap(\.stringValue).filter { !$0.isEmpty }
    }
}
