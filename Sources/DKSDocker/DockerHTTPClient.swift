// DockerHTTPClient: sends one request and hands back the answer as a head plus a pull body.
// Owns: request encoding, keep-alive retry of stale connections, request timeouts, status → EngineError
// mapping, and the trace line. Must not: know endpoint semantics (the DockerEngine extensions do).
import DKSEngine
import DKSSupport
import Foundation

/// One HTTP request to the daemon.
struct DockerRequest {
    var method: String
    /// The full path including any `/v1.41` prefix.
    var path: String
    var query: [(String, String)] = []
    var body: [UInt8]?
    var contentType = "application/json"
    var headers: [(String, String)] = []
    /// Ask for a hijacked raw stream (`Upgrade: tcp`).
    var upgrade = false
    /// The body follows the head in pieces (`Transfer-Encoding: chunked`; `sendStreaming`).
    var chunkedBody = false
    /// `304 Not Modified` is a success (start of a running container, stop of a stopped one).
    var acceptsNotModified = false

    /// Whether `status` is an answer this request expects. Anything else — a redirect the
    /// daemon's router sends for a path it would rather spell differently, an unknown 1xx — is
    /// never taken for success: it means nothing was done.
    func expects(_ status: Int) -> Bool {
        (200...299).contains(status) || (upgrade && status == 101) || (acceptsNotModified && status == 304)
    }

    var target: String {
        let q = QueryEncoding.encode(query)
        return q.isEmpty ? path : path + "?" + q
    }

    func encoded(host: String) -> [UInt8] {
        var text = "\(method) \(target) HTTP/1.1\r\nHost: \(host)\r\nUser-Agent: dks\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        if upgrade { text += "Connection: Upgrade\r\nUpgrade: tcp\r\n" }
        if chunkedBody {
            text += "Content-Type: \(contentType)\r\nTransfer-Encoding: chunked\r\n"
        } else if let body = body {
            text += "Content-Type: \(contentType)\r\nContent-Length: \(body.count)\r\n"
        } else if method == "POST" || method == "PUT" {
            text += "Content-Length: 0\r\n"
        }
        text += "\r\n"
        var bytes = Array(text.utf8)
        if let body = body { bytes.append(contentsOf: body) }
        return bytes
    }
}

/// An answer whose body is being read; `finish` or `abort` it exactly once.
final class DockerExchange {
    let request: DockerRequest
    let head: ResponseHead
    let body: BodyReader
    let connection: HTTPConnection
    private let client: DockerHTTPClient
    private let started: UInt64
    private var done = false

    init(request: DockerRequest, head: ResponseHead, body: BodyReader, connection: HTTPConnection, client: DockerHTTPClient, started: UInt64) {
        self.request = request
        self.head = head
        self.body = body
        self.connection = connection
        self.client = client
        self.started = started
    }

    var status: Int { head.status }

    /// Bounds further reads: a deadline (with its `.timeout` message) and whether Interruption ends them.
    func bound(by deadline: Deadline, timeoutMessage: String, interruptible: Bool = true) {
        connection.deadline = deadline
        connection.timeoutMessage = timeoutMessage
        connection.interruptible = interruptible
    }

    /// Reads the remaining body (plain calls only) and returns the connection to the pool.
    func readAllAndFinish(limit: Int = 256 << 20) throws -> [UInt8] {
        do {
            let bytes = try body.readAll(limit: limit)
            finish()
            return bytes
        } catch {
            abort()
            throw DockerHTTPClient.mapParseError(error, endpoint: connection.endpointName)
        }
    }

    /// Done with a fully read body: the connection goes back to the pool when clean.
    func finish() {
        guard !done else { return }
        done = true
        if body.isComplete && head.status != 101 && head.header("Connection")?.lowercased() != "close" {
            client.pool.release(connection)
        } else {
            connection.close()
        }
        client.emitTrace(request, status: head.status, started: started)
    }

    /// Stops early (deadline, interruption, consumer said stop): closes the connection.
    func abort() {
        guard !done else { return }
        done = true
        connection.close()
        client.emitTrace(request, status: head.status, started: started)
    }

    deinit { if !done { connection.close() } }
}

final class DockerHTTPClient: @unchecked Sendable {
    let pool: HTTPConnectionPool
    let trace: ((String) -> Void)?
    /// Plain calls get this long for their whole answer.
    let requestTimeout: Double
    private let hostHeader: String

    init(endpoint: DockerEndpoint, trace: ((String) -> Void)?, requestTimeout: Double = 30) {
        pool = HTTPConnectionPool(endpoint: endpoint)
        self.trace = trace
        self.requestTimeout = requestTimeout
        switch endpoint.transport {
        case .unix: hostHeader = "docker"
        case .tcp(let host, let port): hostHeader = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        }
    }

    var endpoint: DockerEndpoint { pool.endpoint }

    /// Sends `request` and reads the head within `headDeadline` (default: the request timeout), and
    /// never past the thread's `Deadline.ambient` (a wait's deadline bounds every request it makes:
    /// connecting, writing, the answer). Error statuses (>= 400) are thrown as `EngineError`s unless
    /// `acceptErrors`. The body is not read yet.
    ///
    /// Every request is `interruptible` unless the caller says otherwise: SIGINT/SIGTERM/SIGHUP end it
    /// within a poll step (`.interrupted`), whatever the daemon does, and its connection is closed
    /// (a half-used connection never goes back to the pool). A script's cleanup still reaches the
    /// engine while an interrupt unwinds it: the flag is lowered once the interrupt became an
    /// `Interrupted` error. Only the engine's own clean-up after an interrupt (stopping an exec it
    /// started) passes false, with a short deadline.
    func send(_ request: DockerRequest, headDeadline: Deadline? = nil, connectTimeout: Double = 2,
              acceptErrors: Bool = false, interruptible: Bool = true) throws -> DockerExchange {
        let ambient = Deadline.ambient
        let deadline = min(headDeadline ?? Deadline.after(seconds: requestTimeout), ambient)
        let limit = String(format: "%.1f", deadline.remainingSeconds)
        let bytes = request.encoded(host: hostHeader)
        var attempt = 0
        while true {
            attempt += 1
            let started = monotonicNanos()
            // A resend goes to a fresh connection: the other idle ones may be just as stale.
            let connection = try pool.acquire(connectTimeout: connectTimeout, fresh: attempt > 1, deadline: deadline,
                                              interruptible: interruptible)
            connection.deadline = deadline
            connection.timeoutMessage = ambient <= deadline
                ? "no answer from \(endpoint) to \(request.method) \(request.path) before the deadline"
                : "no complete answer from \(endpoint) to \(request.method) \(request.path) within \(limit)s"
            connection.interruptible = interruptible
            connection.markRequestStart()
            let reused = connection.useCount > 1
            var stage = ResendPolicy.Stage.notWritten
            let exchange: DockerExchange
            do {
                try connection.write(bytes)
                stage = .writtenNoAnswer
                guard var head = try ResponseHead.read(from: connection.reader) else {
                    throw EngineError(.engine, "\(endpoint) closed the connection without answering \(request.method) \(request.path)")
                }
                while head.status == 100, let next = try ResponseHead.read(from: connection.reader) { head = next }
                let framing = try BodyFraming.of(head, requestMethod: request.method)
                exchange = DockerExchange(request: request, head: head, body: BodyReader(reader: connection.reader, framing: framing),
                                          connection: connection, client: self, started: started)
            } catch let error as EngineError {
                connection.close()
                if stage == .writtenNoAnswer && connection.receivedAnswerBytes { stage = .answering }
                if ResendPolicy.mayResend(request, stage: stage, reused: reused, firstAttempt: attempt == 1, error: error) { continue }
                throw error
            } catch {
                connection.close()
                throw DockerHTTPClient.mapParseError(error, endpoint: endpoint.description)
            }
            // Reads the error body and returns the connection to the pool, so errors cost no reconnect.
            if !request.expects(exchange.status) && !acceptErrors { throw errorFromAnswer(exchange) }
            return exchange
        }
    }

    /// Sends `request` with a body that `produce` writes in pieces (chunked transfer encoding, so
    /// a body of any size passes through without being held), then reads the answer's head.
    /// Every write must finish within `idleSeconds` and ends at an interrupt. Never resent: the
    /// body cannot be replayed, so it always goes on a fresh connection.
    func sendStreaming(_ request: DockerRequest, idleSeconds: Double,
                       produce: (_ write: ([UInt8]) throws -> Void) throws -> Void) throws -> DockerExchange {
        var request = request
        request.body = nil
        request.chunkedBody = true
        let started = monotonicNanos()
        let connection = try pool.acquire(fresh: true, deadline: min(Deadline.after(seconds: requestTimeout), Deadline.ambient))
        connection.markRequestStart()
        let what = "\(request.method) \(request.path)"
        func send(_ bytes: [UInt8]) throws {
            try connection.write(bytes, deadline: Deadline.after(seconds: idleSeconds), interruptible: true,
                                 timeoutMessage: "\(endpoint) took no data for \(Int(idleSeconds))s while sending \(what)")
        }
        do {
            try send(request.encoded(host: hostHeader))
            try produce { piece in
                guard !piece.isEmpty else { return }
                var framed = Array(String(piece.count, radix: 16).utf8) + [13, 10]
                framed.reserveCapacity(piece.count + 16)
                framed += piece
                framed += [13, 10]
                try send(framed)
            }
            try send(Array("0\r\n\r\n".utf8))
        } catch let error as EngineError where error.kind == .engine && !connection.closed {
            // The daemon may have refused the body and answered already: its answer says why.
            if let answer = try? readHead(request, connection, deadline: Deadline.after(seconds: 2), started: started),
               !request.expects(answer.status) {
                let refusal = errorFromAnswer(answer)
                connection.close()
                throw refusal
            }
            connection.close()
            throw error
        } catch {
            connection.close()
            throw error
        }
        let exchange: DockerExchange
        do {
            exchange = try readHead(request, connection, deadline: Deadline.after(seconds: max(requestTimeout, idleSeconds)), started: started)
        } catch {
            connection.close()
            throw DockerHTTPClient.mapParseError(error, endpoint: endpoint.description)
        }
        if !request.expects(exchange.status) { throw errorFromAnswer(exchange) }
        return exchange
    }

    /// Reads an answer's head from `connection` (after the request was written).
    private func readHead(_ request: DockerRequest, _ connection: HTTPConnection, deadline: Deadline, started: UInt64) throws -> DockerExchange {
        connection.deadline = deadline
        connection.timeoutMessage = "no answer from \(endpoint) to \(request.method) \(request.path) in time"
        connection.interruptible = true
        guard var head = try ResponseHead.read(from: connection.reader) else {
            throw EngineError(.engine, "\(endpoint) closed the connection without answering \(request.method) \(request.path)")
        }
        while head.status == 100, let next = try ResponseHead.read(from: connection.reader) { head = next }
        let framing = try BodyFraming.of(head, requestMethod: request.method)
        return DockerExchange(request: request, head: head, body: BodyReader(reader: connection.reader, framing: framing),
                              connection: connection, client: self, started: started)
    }

    /// A plain call: the whole body, bounded by the request timeout (or `deadline`, when given).
    func call(_ request: DockerRequest, deadline: Deadline? = nil, interruptible: Bool = true) throws -> (status: Int, body: [UInt8]) {
        let exchange = try send(request, headDeadline: deadline, interruptible: interruptible)
        return (exchange.status, try exchange.readAllAndFinish())
    }

    /// A plain call whose answer is JSON (an empty body gives `.null`).
    func callJSON(_ request: DockerRequest, deadline: Deadline? = nil, interruptible: Bool = true) throws -> JSON {
        let (_, body) = try call(request, deadline: deadline, interruptible: interruptible)
        if body.isEmpty { return .null }
        do { return try JSON.parse(body) } catch {
            throw EngineError(.engine, "malformed answer from \(endpoint) to \(request.method) \(request.path): \(error)")
        }
    }

    /// Reads an error answer's `message` and maps its status to an error kind; a status that is
    /// not an error but not expected either (a redirect, say) becomes an EngineError naming it.
    func errorFromAnswer(_ exchange: DockerExchange) -> EngineError {
        if exchange.status < 400 {
            exchange.abort()
            var text = "\(endpoint) answered \(exchange.request.method) \(exchange.request.path) with \(exchange.status) \(exchange.head.reason)"
            if let location = exchange.head.header("Location") { text += " (to \(location))" }
            return EngineError(.engine, text + ", which dks does not expect; nothing was done", status: exchange.status)
        }
        exchange.bound(by: min(Deadline.after(seconds: 5), Deadline.ambient), timeoutMessage: "timed out reading an error answer",
                       interruptible: exchange.connection.interruptible)
        let body = (try? exchange.body.readAll(limit: 1 << 20)) ?? []
        exchange.finish()
        var message = String(decoding: body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if let json = try? JSON.parse(body), let text = json["message"]?.stringValue { message = text }
        if message.isEmpty { message = "\(exchange.status) \(exchange.head.reason)" }
        return DockerErrors.map(status: exchange.status, message: message, request: exchange.request)
    }

    static func mapParseError(_ error: Error, endpoint: String) -> Error {
        if error is EngineError { return error }
        if let parse = error as? HTTPParseError, parse.reason.hasPrefix("connection closed") {
            // What a daemon that stops (or restarts) in the middle of a wait or a stream looks like.
            return EngineError(.engine, "\(endpoint) closed the connection in the middle of an answer (\(parse.reason)); did the daemon stop?")
        }
        return EngineError(.engine, "malformed answer from \(endpoint): \(error)")
    }

    func emitTrace(_ request: DockerRequest, status: Int, started: UInt64) {
        guard let trace = trace else { return }
        let millis = Double(monotonicNanos() &- started) / 1e6
        trace("\(request.method) \(request.target) \(status) \(String(format: "%.1f", millis))ms")
    }
}
