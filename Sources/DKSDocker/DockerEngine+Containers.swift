// DockerEngine+Containers: container lifecycle, inspect, list and wait.
// Owns: the endpoints under /containers that answer at once (or at a deadline, for wait).
// Must not: stream output (DockerEngine+Output does) or move files (DockerEngine+Files does).
import DKSEngine
import DKSSupport

extension DockerEngine {
    public func create(_ config: ContainerConfig) throws -> String {
        var query: [(String, String)] = []
        if let name = config.name { query.append(("name", name)) }
        let answer = try client.callJSON(request("POST", try api() + "/containers/create", query: query, body: CreateBody.container(config)))
        guard let id = answer["Id"]?.stringValue, !id.isEmpty else {
            throw EngineError(.engine, "malformed answer from \(endpoint) to create: no Id")
        }
        return id
    }

    public func start(_ ref: String) throws {
        var req = request("POST", try containerPath(ref, "/start"))
        req.acceptsNotModified = true // already running: docker start succeeds too
        _ = try client.call(req)
    }

    public func stop(_ ref: String, timeout: Int?) throws {
        try stopLike("stop", ref, timeout: timeout)
    }

    public func restart(_ ref: String, timeout: Int?) throws {
        try stopLike("restart", ref, timeout: timeout)
    }

    /// The daemon answers stop/restart only after the grace period, so the request may take that long.
    private func stopLike(_ verb: String, _ ref: String, timeout: Int?) throws {
        let query = timeout.map { [("t", String($0))] } ?? []
        let grace = Double(timeout ?? 60)
        var req = request("POST", try containerPath(ref, "/" + verb), query: query)
        req.acceptsNotModified = verb == "stop" // a stopped container: docker stop succeeds too
        let exchange = try client.send(req, headDeadline: Deadline.after(seconds: grace + client.requestTimeout))
        _ = try exchange.readAllAndFinish()
    }

    public func kill(_ ref: String, signal: String?) throws {
        let query = signal.map { [("signal", $0)] } ?? []
        _ = try client.call(request("POST", try containerPath(ref, "/kill"), query: query))
    }

    public func pause(_ ref: String) throws {
        _ = try client.call(request("POST", try containerPath(ref, "/pause")))
    }

    public func unpause(_ ref: String) throws {
        _ = try client.call(request("POST", try containerPath(ref, "/unpause")))
    }

    public func rename(_ ref: String, to newName: String) throws {
        _ = try client.call(request("POST", try containerPath(ref, "/rename"), query: [("name", newName)]))
    }

    public func remove(_ ref: String, force: Bool, volumes: Bool) throws {
        _ = try client.call(request("DELETE", try containerPath(ref), query: [("force", force ? "1" : "0"), ("v", volumes ? "1" : "0")]))
    }

    public func inspect(_ ref: String) throws -> JSON {
        try client.callJSON(request("GET", try containerPath(ref, "/json")))
    }

    public func list(all: Bool, filters: [(String, String)]) throws -> [JSON] {
        let query = [("all", all ? "1" : "0")] + QueryEncoding.filtersItem(filters)
        return try expectArray(try client.callJSON(request("GET", try api() + "/containers/json", query: query)), "the container list")
    }

    public func wait(_ ref: String, condition: WaitCondition, deadline: Deadline) throws -> Int {
        // The deadline bounds the whole call: negotiating the API version, connecting, the answer.
        try Deadline.bounding(deadline) {
            let exchange = try openWait(ref, condition: condition, deadline: deadline)
            return try finishWait(exchange, ref: ref)
        }
    }

    /// Sends `POST /wait` and reads its head (the daemon answers the head at once, the body at the exit).
    func openWait(_ ref: String, condition: WaitCondition, deadline: Deadline) throws -> DockerExchange {
        let message = "container \(ref) still running at the deadline (\(String(format: "%.1f", deadline.remainingSeconds))s)"
        let path = try containerPath(ref, "/wait")
        let headDeadline = min(deadline, Deadline.after(seconds: client.requestTimeout))
        let exchange: DockerExchange
        do {
            exchange = try client.send(request("POST", path, query: [("condition", condition.rawValue)]), headDeadline: headDeadline,
                                   interruptible: true)
        } catch let error as EngineError where error.kind == .timeout && deadline.hasPassed && !error.unanswered {
            throw EngineError(.timeout, message)
        }
        exchange.bound(by: deadline, timeoutMessage: message)
        return exchange
    }

    func finishWait(_ exchange: DockerExchange, ref: String) throws -> Int {
        let body = try exchange.readAllAndFinish(limit: 1 << 20)
        guard let json = try? JSON.parse(body), let code = json["StatusCode"]?.intValue else {
            throw EngineError(.engine, "malformed answer from \(endpoint) to wait: \(String(decoding: body.prefix(200), as: UTF8.self))")
        }
        if let error = json["Error"]?["Message"]?.stringValue, !error.isEmpty {
            throw EngineError(.engine, "waiting for \(ref) failed: \(error)")
        }
        return Int(code)
    }

    public func top(_ ref: String, psArgs: String?) throws -> JSON {
        let query = psArgs.map { [("ps_args", $0)] } ?? []
        return try client.callJSON(request("GET", try containerPath(ref, "/top"), query: query))
    }

    public func stats(_ ref: String) throws -> JSON {
        try client.callJSON(request("GET", try containerPath(ref, "/stats"), query: [("stream", "false")]))
    }

    public func diff(_ ref: String) throws -> [JSON] {
        try expectArray(try client.callJSON(request("GET", try containerPath(ref, "/changes"))), "the change list")
    }

    public func prune(_ what: String, filters: [(String, String)]) throws -> (deleted: [String], spaceReclaimed: Int64) {
        let kinds = ["containers": "ContainersDeleted", "images": "ImagesDeleted", "volumes": "VolumesDeleted", "networks": "NetworksDeleted"]
        guard let field = kinds[what] else {
            throw EngineError(.invalidArgument, "prune what? '\(what)' is not one of containers, images, volumes, networks")
        }
        let answer = try client.callJSON(request("POST", try api() + "/\(what)/prune", query: QueryEncoding.filtersItem(filters)))
        var deleted: [String] = []
        for item in answer[field]?.arrayValue ?? [] {
            if let text = item.stringValue {
                deleted.append(text)
            } else if let id = item["Deleted"]?.stringValue ?? item["Untagged"]?.stringValue {
                deleted.append(id)
            }
        }
        return (deleted, answer["SpaceReclaimed"]?.intValue ?? 0)
    }
}
