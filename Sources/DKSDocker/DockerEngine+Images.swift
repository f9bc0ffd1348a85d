// DockerEngine+Images: list, pull and push (streamed progress), tag, remove, inspect and the
// history of images, and registry login through the daemon. Owns: the /images and /auth
// endpoints and image reference splitting. Must not: read credentials (callers pass the
// X-Registry-Auth value) or print progress (the caller renders onProgress).
import DKSEngine
import DKSSupport
import Foundation

extension DockerEngine {
    public func images(all: Bool, filters: [(String, String)]) throws -> [JSON] {
        let query = [("all", all ? "1" : "0")] + QueryEncoding.filtersItem(filters)
        return try expectArray(try client.callJSON(request("GET", try api() + "/images/json", query: query)), "the image list")
    }

    public func pull(_ ref: String, onProgress: (JSON) -> Void) throws {
        try pull(ref, auth: nil, onProgress: onProgress)
    }

    public func pull(_ ref: String, auth: String?, onProgress: (JSON) -> Void) throws {
        let (repository, tag) = DockerEngine.splitImageReference(ref)
        var query = [("fromImage", repository)]
        if let tag = tag { query.append(("tag", tag)) }
        var req = request("POST", try api() + "/images/create", query: query)
        // The docker CLI always sends the header ("{}" without credentials).
        req.headers.append(("X-Registry-Auth", auth ?? "e30="))
        try progressStream(req, what: "pull \(ref)", onProgress: onProgress)
    }

    public func push(_ repository: String, tag: String?, auth: String, onProgress: (JSON) -> Void) throws {
        var query: [(String, String)] = []
        if let tag = tag { query.append(("tag", tag)) }
        var req = request("POST", try imagePath(repository, "/push"), query: query)
        req.headers.append(("X-Registry-Auth", auth))
        try progressStream(req, what: "push \(repository + (tag.map { ":" + $0 } ?? ""))", onProgress: onProgress)
    }

    /// A pull or push: progress messages until the stream ends; an `error` message is thrown.
    private func progressStream(_ req: DockerRequest, what: String, onProgress: (JSON) -> Void) throws {
        let exchange = try client.send(req, interruptible: true)
        exchange.bound(by: .never, timeoutMessage: "")
        var failure: String?
        try JSONMessages.read(exchange) { message in
            if let error = message["error"]?.stringValue { failure = error }
            onProgress(message)
            return .more
        }
        if let failure = failure {
            throw EngineError(JSONMessages.registryErrorKind(failure), "\(what) failed: \(failure)")
        }
    }

    /// "reg:5000/a/b:tag" → ("reg:5000/a/b", "tag"); a digest stays in the repository; no tag → "latest".
    static func splitImageReference(_ ref: String) -> (String, String?) {
        if ref.contains("@") { return (ref, nil) }
        let lastSlash = ref.lastIndex(of: "/")
        if let colon = ref.lastIndex(of: ":"), lastSlash.map({ colon > $0 }) ?? true {
            return (String(ref[..<colon]), String(ref[ref.index(after: colon)...]))
        }
        return (ref, "latest")
    }

    public func tag(_ source: String, repository: String, tag: String?) throws {
        var query = [("repo", repository)]
        if let tag = tag { query.append(("tag", tag)) }
        _ = try client.call(request("POST", try imagePath(source, "/tag"), query: query))
    }

    public func removeImage(_ ref: String, force: Bool) throws -> [JSON] {
        try expectArray(try client.callJSON(request("DELETE", try imagePath(ref), query: [("force", force ? "1" : "0")])), "the removal list")
    }

    public func inspectImage(_ ref: String) throws -> JSON {
        try client.callJSON(request("GET", try imagePath(ref, "/json")))
    }

    public func imageHistory(_ ref: String) throws -> [JSON] {
        try expectArray(try client.callJSON(request("GET", try imagePath(ref, "/history"))), "the image history")
    }

    public func login(username: String, password: String, serverAddress: String) throws -> JSON {
        let body = JSON.object([("username", .string(username)), ("password", .string(password)),
                                ("serveraddress", .string(serverAddress))])
        // The daemon asks the registry, which may take a while: the answer gets a minute.
        let exchange = try client.send(request("POST", try api() + "/auth", body: body),
                                       headDeadline: Deadline.after(seconds: max(client.requestTimeout, 60)), interruptible: true)
        let bytes = try exchange.readAllAndFinish(limit: 1 << 20)
        return (try? JSON.parse(bytes)) ?? .null
    }
}
