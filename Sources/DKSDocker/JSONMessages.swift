// JSONMessages: the daemon's streamed JSON answers (pull, push, build, load, events, stats) —
// one JSON document per line — read piece by piece and handed over one document at a time.
// Owns: line splitting across pieces, skipping lines that are not JSON, a bound on one line.
// Must not: interpret the documents (each endpoint does) or hold more than one line.
import DKSEngine
import DKSSupport

enum JSONMessages {
    /// Delivers every document of `exchange`'s body until it ends (true) or `onMessage` says
    /// stop (false; the connection is closed). Reads are bounded by what the exchange is bound to.
    @discardableResult
    static func read(_ exchange: DockerExchange, onMessage: (JSON) throws -> StreamControl) throws -> Bool {
        var line: [UInt8] = []
        var stopped = false
        func deliver() throws {
            defer { line.removeAll(keepingCapacity: true) }
            guard !line.isEmpty, !stopped, let json = try? JSON.parse(line) else { return }
            if try onMessage(json) == .stop { stopped = true }
        }
        let finished = try OutputPump.run(exchange, multiplexed: false, timestamps: false) { chunk in
            for byte in chunk.bytes {
                if byte == 10 {
                    try deliver()
                    if stopped { return .stop }
                } else if line.count < 1 << 22 {
                    line.append(byte)
                }
            }
            return .more
        }
        if finished { try deliver() }
        return finished && !stopped
    }

    /// The kind of a registry failure from its message: a missing repository, tag or manifest
    /// is `.notFound`; anything else (unauthorized, denied, manifest invalid) `.engine`.
    static func registryErrorKind(_ message: String) -> EngineError.Kind {
        let m = message.lowercased()
        let missing = ["not found", "manifest unknown", "does not exist", "name unknown", "repository name not known"]
        return missing.contains { m.contains($0) } ? .notFound : .engine
    }
}
