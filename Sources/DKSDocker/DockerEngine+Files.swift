// DockerEngine+Files: tar archives streamed in and out of containers, and path stats (`cp`).
// Owns: HEAD/GET/PUT /containers/{id}/archive and the X-Docker-Container-Path-Stat header.
// Must not: build or unpack tar (the caller does) or hold an archive whole.
import DKSEngine
import DKSSupport
import Foundation

extension DockerEngine {
    /// Archives can be large: each piece gets this long (an idle limit, not one for the whole copy).
    private var archiveSeconds: Double { max(client.requestTimeout, 600) }

    public func statPath(_ ref: String, path: String) throws -> ContainerPathStat {
        let exchange: DockerExchange
        do {
            exchange = try client.send(request("HEAD", try containerPath(ref, "/archive"), query: [("path", path)]))
        } catch let e as EngineError where e.kind == .notFound {
            // A HEAD answer has no body, so its 404 cannot say whether the container or the path is missing.
            _ = try inspect(ref)
            throw EngineError(.notFound, "could not find the file \(path) in container \(ref)", status: 404)
        }
        _ = try exchange.readAllAndFinish()
        return try pathStat(exchange, ref: ref, path: path)
    }

    public func copyOut(_ ref: String, path: String, consume: (ContainerPathStat, () throws -> [UInt8]?) throws -> Void) throws {
        let exchange = try client.send(request("GET", try containerPath(ref, "/archive"), query: [("path", path)]),
                                       headDeadline: Deadline.after(seconds: archiveSeconds), interruptible: true)
        let stat: ContainerPathStat
        do { stat = try pathStat(exchange, ref: ref, path: path) } catch {
            exchange.abort()
            throw error
        }
        let idle = archiveSeconds
        let read: () throws -> [UInt8]? = {
            exchange.bound(by: Deadline.after(seconds: idle), timeoutMessage: "copying \(path) out of \(ref): no data for \(Int(idle))s")
            do { return try exchange.body.next() } catch {
                throw DockerHTTPClient.mapParseError(error, endpoint: exchange.connection.endpointName)
            }
        }
        do { try consume(stat, read) } catch {
            exchange.abort()
            throw error
        }
        // What follows the archive's end blocks (record padding) is drained so the connection can be reused.
        var drained = 0
        while !exchange.body.isComplete && drained < 1 << 20, let piece = try? read() { drained += piece.count }
        if exchange.body.isComplete { exchange.finish() } else { exchange.abort() }
    }

    public func copyIn(_ ref: String, path: String, produce: (([UInt8]) throws -> Void) throws -> Void) throws {
        var req = DockerRequest(method: "PUT", path: try containerPath(ref, "/archive"),
                                query: [("path", path), ("noOverwriteDirNonDir", "true")])
        req.contentType = "application/x-tar"
        let exchange = try client.sendStreaming(req, idleSeconds: archiveSeconds, produce: produce)
        _ = try exchange.readAllAndFinish()
    }

    /// The stat document every archive answer carries (base64 JSON in a header).
    private func pathStat(_ exchange: DockerExchange, ref: String, path: String) throws -> ContainerPathStat {
        guard let encoded = exchange.head.header("X-Docker-Container-Path-Stat"),
              let data = Data(base64Encoded: encoded.trimmingCharacters(in: .whitespaces)),
              let json = try? JSON.parse([UInt8](data)), let stat = ContainerPathStat.decode(json) else {
            throw EngineError(.engine, "malformed answer from \(endpoint) about \(ref):\(path): no X-Docker-Container-Path-Stat header")
        }
        return stat
    }
}
