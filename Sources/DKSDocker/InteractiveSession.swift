// InteractiveSession: a live two-way stream to a container or exec (`exec -it`, `attach`), for the prompt.
// Owns: the hijacked connection, stdin writes, output reads, resize and the exit code at the end.
// Must not: touch the terminal (raw mode, signals): the prompt does, and drives this from its threads.
import DKSEngine
import DKSSupport
import Foundation

/// A two-way session on a hijacked connection. One thread may `read` while another `write`s;
/// `close` from any thread ends a blocked `read`.
public final class InteractiveSession: @unchecked Sendable {
    /// True when output is a raw terminal stream (all `.stdout`), false when multiplexed.
    public let tty: Bool
    private let exchange: DockerExchange
    private let engine: DockerEngine
    private let target: Target
    private var decoder = FrameDecoder()
    private var pending: [OutputChunk] = []
    private let readLock = NSLock()

    enum Target {
        case exec(id: String)
        case container(ref: String)
    }

    init(engine: DockerEngine, exchange: DockerExchange, target: Target, tty: Bool) {
        self.engine = engine
        self.exchange = exchange
        self.target = target
        self.tty = tty
    }

    /// Sends bytes to the process's stdin.
    public func write(_ bytes: [UInt8]) throws {
        try exchange.connection.write(bytes)
    }

    /// The next piece of output; nil once the process closed its output (or after `close`).
    /// Blocks; Ctrl-C in a raw terminal is a byte to `write`, so `Interruption` is ignored unless asked for.
    public func read(interruptible: Bool = false) throws -> OutputChunk? {
        readLock.lock()
        defer { readLock.unlock() }
        exchange.connection.interruptible = interruptible
        exchange.connection.deadline = .never
        while pending.isEmpty {
            let next: [UInt8]?
            do { next = try exchange.body.next() } catch let error as HTTPParseError {
                exchange.abort()
                throw DockerHTTPClient.mapParseError(error, endpoint: exchange.connection.endpointName)
            }
            guard let piece = next else {
                exchange.finish()
                return nil
            }
            pending = tty ? [OutputChunk(stream: .stdout, bytes: piece)] : decoder.feed(piece)
        }
        return pending.removeFirst()
    }

    /// Tells the process's terminal its new size.
    public func resize(rows: Int, columns: Int) throws {
        let query = [("h", String(rows)), ("w", String(columns))]
        switch target {
        case .exec(let id):
            _ = try engine.client.call(engine.request("POST", try engine.api() + "/exec/\(id)/resize", query: query))
        case .container(let ref):
            _ = try engine.client.call(engine.request("POST", try engine.containerPath(ref, "/resize"), query: query))
        }
    }

    /// Ends stdin (EOF for the process) while output keeps flowing.
    public func closeInput() {
        exchange.connection.shutdownOutput()
    }

    /// Ends the session; a blocked `read` returns nil.
    public func close() {
        exchange.connection.close()
    }

    /// After the output ended: the exec's exit code, or the container's once it stopped (waits up to `deadline`).
    public func exitCode(deadline: Deadline = .after(seconds: 10)) throws -> Int {
        switch target {
        case .exec(let id): return try engine.execExitCode(id)
        case .container(let ref): return try engine.wait(ref, condition: .notRunning, deadline: deadline)
        }
    }
}

extension DockerEngine {
    /// Opens an interactive session: with `exec`, runs that command (stdin attached) in the running
    /// container; without, attaches to the container's own stdin/stdout/stderr (it must have been
    /// created with `openStdin`). The TTY setting comes from `exec.tty` or the container's config.
    public func openInteractive(_ ref: String, exec: ExecConfig? = nil) throws -> InteractiveSession {
        if var config = exec {
            config.interactive = true
            config.detach = false
            let id = try createExec(ref, config)
            var req = request("POST", try api() + "/exec/\(id)/start",
                              body: .object([("Detach", .bool(false)), ("Tty", .bool(config.tty))]))
            req.upgrade = true
            let exchange = try client.send(req)
            return InteractiveSession(engine: self, exchange: exchange, target: .exec(id: id), tty: config.tty)
        }
        let tty = try inspect(ref)["Config"]?["Tty"]?.boolValue ?? false
        var req = request("POST", try containerPath(ref, "/attach"),
                          query: [("stream", "1"), ("stdin", "1"), ("stdout", "1"), ("stderr", "1")])
        req.upgrade = true
        let exchange = try client.send(req)
        return InteractiveSession(engine: self, exchange: exchange, target: .container(ref: ref), tty: tty)
    }
}
