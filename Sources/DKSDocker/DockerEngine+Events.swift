// DockerEngine+Events: the engine's event stream (`GET /events`) and a container's streamed
// stats (`GET /containers/{id}/stats?stream=1`), one JSON document at a time.
// Owns: those endpoints. Must not: format events (the caller prints them as docker events does).
import DKSEngine
import DKSSupport

extension DockerEngine {
    public func events(_ options: EventOptions, onEvent: (JSON) throws -> StreamControl) throws {
        var query: [(String, String)] = []
        if let since = options.since { query.append(("since", since.parameter)) }
        if let until = options.until { query.append(("until", until.parameter)) }
        query += QueryEncoding.filtersItem(options.filters)
        let exchange = try client.send(request("GET", try api() + "/events", query: query), interruptible: true)
        // Quiet for hours is normal for an event stream: only `until`, the consumer or Ctrl-C end it.
        exchange.bound(by: .never, timeoutMessage: "")
        try JSONMessages.read(exchange, onMessage: onEvent)
    }

    public func statsStream(_ ref: String, onSample: (JSON) throws -> StreamControl) throws {
        let exchange = try client.send(request("GET", try containerPath(ref, "/stats"), query: [("stream", "1")]), interruptible: true)
        exchange.bound(by: .never, timeoutMessage: "")
        try JSONMessages.read(exchange, onMessage: onSample)
    }
}
