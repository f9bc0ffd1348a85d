// DockerEngine+Archives: images and containers as tar streams — save (`GET /images/get`), load
// (`POST /images/load`), export (`GET /containers/{id}/export`) — and commit. Owns: those
// endpoints. Must not: hold an archive whole (pieces go to the caller as they come) or touch
// files (the caller reads and writes them).
import DKSEngine
import DKSSupport

extension DockerEngine {
    /// Archives can be large: each piece gets this long (an idle limit, not one for the whole transfer).
    private var archiveIdleSeconds: Double { max(client.requestTimeout, 600) }

    public func saveImages(_ names: [String], consume: BodyConsumer) throws {
        try download(request("GET", try api() + "/images/get", query: names.map { ("names", $0) }),
                     what: "saving \(names.joined(separator: " "))", consume: consume)
    }

    public func exportContainer(_ ref: String, consume: BodyConsumer) throws {
        try download(request("GET", try containerPath(ref, "/export")), what: "exporting \(ref)", consume: consume)
    }

    /// A GET whose body is an archive: handed to `consume` piece by piece.
    private func download(_ req: DockerRequest, what: String, consume: BodyConsumer) throws {
        let idle = archiveIdleSeconds
        let exchange = try client.send(req, headDeadline: Deadline.after(seconds: idle), interruptible: true)
        let read: () throws -> [UInt8]? = {
            exchange.bound(by: Deadline.after(seconds: idle), timeoutMessage: "\(what): no data for \(Int(idle))s")
            do { return try exchange.body.next() } catch {
                throw DockerHTTPClient.mapParseError(error, endpoint: exchange.connection.endpointName)
            }
        }
        do { try consume(read) } catch {
            exchange.abort()
            throw error
        }
        while !exchange.body.isComplete, (try? read()) != nil {}
        if exchange.body.isComplete { exchange.finish() } else { exchange.abort() }
    }

    public func loadImages(quiet: Bool, produce: BodyProducer, onMessage: (JSON) throws -> Void) throws {
        var req = DockerRequest(method: "POST", path: try api() + "/images/load", query: [("quiet", quiet ? "1" : "0")])
        req.contentType = "application/x-tar"
        let exchange = try client.sendStreaming(req, idleSeconds: archiveIdleSeconds, produce: produce)
        exchange.bound(by: .never, timeoutMessage: "")
        try JSONMessages.read(exchange) { message in
            try onMessage(message)
            return .more
        }
    }

    public func commit(_ ref: String, options: CommitOptions) throws -> String {
        var query: [(String, String)] = []
        if let author = options.author { query.append(("author", author)) }
        for change in options.changes { query.append(("changes", change)) }
        if let message = options.message { query.append(("comment", message)) }
        query.append(("container", ref))
        query.append(("pause", options.pause ? "1" : "0"))
        if let repository = options.repository { query.append(("repo", repository)) }
        if let tag = options.tag { query.append(("tag", tag)) }
        let answer = try client.callJSON(request("POST", try api() + "/commit", query: query, body: .object([])))
        guard let id = answer["Id"]?.stringValue, !id.isEmpty else {
            throw EngineError(.engine, "malformed answer from \(endpoint) to commit: no Id")
        }
        return id
    }
}
