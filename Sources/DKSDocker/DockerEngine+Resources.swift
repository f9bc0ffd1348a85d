// DockerEngine+Resources: volumes and networks (create, list, remove, inspect).
// Owns: the /volumes and /networks endpoints. Must not: connect containers to networks.
import DKSEngine

extension DockerEngine {
    public func createVolume(name: String?, driver: String?, labels: [(String, String)]) throws -> JSON {
        var body: [(String, JSON)] = []
        if let name = name { body.append(("Name", .string(name))) }
        if let driver = driver { body.append(("Driver", .string(driver))) }
        body.append(("Labels", .object(labels.map { ($0.0, .string($0.1)) })))
        return try client.callJSON(request("POST", try api() + "/volumes/create", body: .object(body)))
    }

    public func volumes(filters: [(String, String)]) throws -> [JSON] {
        let answer = try client.callJSON(request("GET", try api() + "/volumes", query: QueryEncoding.filtersItem(filters)))
        return try expectArray(answer["Volumes"] ?? .null, "the volume list")
    }

    public func removeVolume(_ name: String, force: Bool) throws {
        _ = try client.call(request("DELETE", try api() + "/volumes/" + QueryEncoding.pathSegment(name), query: [("force", force ? "1" : "0")]))
    }

    public func inspectVolume(_ name: String) throws -> JSON {
        try client.callJSON(request("GET", try api() + "/volumes/" + QueryEncoding.pathSegment(name)))
    }

    public func createNetwork(name: String, driver: String?, labels: [(String, String)]) throws -> JSON {
        var body: [(String, JSON)] = [("Name", .string(name)), ("CheckDuplicate", .bool(true))]
        if let driver = driver { body.append(("Driver", .string(driver))) }
        body.append(("Labels", .object(labels.map { ($0.0, .string($0.1)) })))
        return try client.callJSON(request("POST", try api() + "/networks/create", body: .object(body)))
    }

    public func networks(filters: [(String, String)]) throws -> [JSON] {
        try expectArray(try client.callJSON(request("GET", try api() + "/networks", query: QueryEncoding.filtersItem(filters))), "the network list")
    }

    public func removeNetwork(_ ref: String) throws {
        _ = try client.call(request("DELETE", try api() + "/networks/" + QueryEncoding.pathSegment(ref)))
    }

    public func inspectNetwork(_ ref: String) throws -> JSON {
        try client.callJSON(request("GET", try api() + "/networks/" + QueryEncoding.pathSegment(ref)))
    }
}
