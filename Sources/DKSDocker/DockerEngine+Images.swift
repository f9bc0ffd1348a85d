// DockerEngine+Images: list, pull (streamed progress), tag, remove and inspect images.
// Owns: the /images endpoints and image reference splitting. Must not: log in to registries
// or print progress (the caller renders onProgress); credentials come from RegistryAuth.
import DKSEngine
import DKSSupport
import Foundation

extension DockerEngine {
    public func images(all: Bool, filters: [(String, String)]) throws -> [JSON] {
        let query = [("all", all ? "1" : "0")] + QueryEncoding.filtersItem(filters)
        return try expectArray(try client.callJSON(request("GET", try api() + "/images/json", query: query)), "the image list")
    }

    public func pull(_ ref: String, onProgress: (JSON) -> Void) throws {
        let (repository, tag) = DockerEngine.splitImageReference(ref)
        var query = [("fromImage", repository)]
        if let tag = tag { query.append(("tag", tag)) }
        var req = request("POST", try api() + "/images/create", query: query)
        if let auth = RegistryAuth.header(for: ref, environment: ProcessInfo.processInfo.environment) {
            req.headers.append(("X-Registry-Auth", auth))
        }
        let exchange = try client.send(req, interruptible: true)
        exchange.bound(by: .never, timeoutMessage: "")
        var line: [UInt8] = []
        var failure: String?
        func deliver(_ bytes: [UInt8]) {
            guard let json = try? JSON.parse(bytes) else { return }
            if let error = json["error"]?.stringValue { failure = error }
            onProgress(json)
        }
        _ = try OutputPump.run(exchange, multiplexed: false, timestamps: false) { chunk in
            for byte in chunk.bytes {
                if byte == 10 {
                    if !line.isEmpty { deliver(line) }
                    line.removeAll(keepingCapacity: true)
                } else if line.count < 1 << 20 {
                    line.append(byte)
                }
            }
            return .more
        }
        if !line.isEmpty { deliver(line) }
        if let failure = failure {
            let kind: EngineError.Kind = failure.contains("not found") || failure.contains("manifest unknown") ? .notFound : .engine
            throw EngineError(kind, "pull \(ref) failed: \(failure)")
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
}
