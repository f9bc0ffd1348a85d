// DockerEngine+Build: `POST /build` with the classic builder (the one every Docker 20.10 daemon
// has): the context tar streamed up with chunked transfer encoding as the caller writes it,
// then the build's JSON messages handed over as they arrive. Owns: the query parameters as the
// docker CLI spells them. Must not: read the context (the caller's producer does) or decide
// what a failing step means (the caller reads the `error` message).
import DKSEngine
import DKSSupport

extension DockerEngine {
    public func build(_ options: BuildOptions, context: BodyProducer, onMessage: (JSON) throws -> Void) throws {
        // In the order the docker CLI's url.Values sends them (sorted by name).
        var query: [(String, String)] = []
        if !options.buildArgs.isEmpty {
            query.append(("buildargs", JSON.object(options.buildArgs.map { ($0.0, $0.1.map { JSON.string($0) } ?? .null) }).encoded()))
        }
        query.append(("dockerfile", options.dockerfile))
        if options.forceRemove { query.append(("forcerm", "1")) }
        if !options.labels.isEmpty { query.append(("labels", JSON.object(options.labels.map { ($0.0, JSON.string($0.1)) }).encoded())) }
        if options.noCache { query.append(("nocache", "1")) }
        if options.pull { query.append(("pull", "1")) }
        if options.quiet { query.append(("q", "1")) }
        for tag in options.tags { query.append(("t", tag)) }
        if let target = options.target, !target.isEmpty { query.append(("target", target)) }
        query.append(("version", "1"))
        var req = DockerRequest(method: "POST", path: try api() + "/build", query: query)
        req.contentType = "application/x-tar"
        req.headers.append(("X-Registry-Config", options.registryConfig ?? "e30="))
        let exchange = try client.sendStreaming(req, idleSeconds: max(client.requestTimeout, 600), produce: context)
        // A step may run for as long as it likes; Ctrl-C ends it (the daemon cancels the build
        // when the connection closes).
        exchange.bound(by: .never, timeoutMessage: "")
        try JSONMessages.read(exchange) { message in
            try onMessage(message)
            return .more
        }
    }
}
