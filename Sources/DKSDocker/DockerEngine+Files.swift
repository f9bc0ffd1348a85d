// DockerEngine+Files: tar archives in and out of containers (`cp`).
// Owns: GET/PUT /containers/{id}/archive. Must not: build or unpack tar (the caller does).
import DKSEngine
import DKSSupport

extension DockerEngine {
    /// Archives can be large: they get a longer limit than plain calls.
    private var archiveSeconds: Double { max(client.requestTimeout, 600) }

    public func copyOut(_ ref: String, path: String) throws -> [UInt8] {
        let deadline = Deadline.after(seconds: archiveSeconds)
        let exchange = try client.send(request("GET", try containerPath(ref, "/archive"), query: [("path", path)]), headDeadline: deadline)
        exchange.bound(by: deadline, timeoutMessage: "copying \(path) out of \(ref) took longer than \(Int(archiveSeconds))s")
        return try exchange.readAllAndFinish(limit: 4 << 30)
    }

    public func copyIn(_ ref: String, path: String, tar: [UInt8]) throws {
        var req = DockerRequest(method: "PUT", path: try containerPath(ref, "/archive"), query: [("path", path)], body: tar)
        req.contentType = "application/x-tar"
        let exchange = try client.send(req, headDeadline: Deadline.after(seconds: archiveSeconds))
        _ = try exchange.readAllAndFinish()
    }
}
