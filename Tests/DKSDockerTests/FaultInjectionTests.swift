// FaultInjectionTests: a fake daemon on a temp unix socket that misbehaves on purpose (never answers,
// answers garbage, cuts a body or a hijacked stream, answers malformed JSON, trickles a body forever).
// Every engine call must end with an EngineError (.engine or .timeout) that names the endpoint, within
// the request timeout; waits and streams must end when the server goes away; the pool must reconnect.
import DKSEngine
import DKSSupport
import Foundation
import XCTest
@testable import DKSDocker
#if canImport(Glibc)
import Glibc
#endif

/// One request the fake daemon received.
struct FakeRequest {
    var method: String
    var target: String
    var headers: [String: String]
    var body: [UInt8]
    /// 1 for the first request on its connection, 2 for the next one (a keep-alive reuse), and so on.
    var indexOnConnection = 1
    /// The path without the query and without the `/v1.xx` prefix.
    var route: String {
        var path = String(target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0])
        if path.hasPrefix("/v1."), let slash = path.dropFirst().firstIndex(of: "/") { path = String(path[slash...]) }
        return path
    }
}

/// A tiny HTTP/1.1 server on a unix socket: threads and POSIX sockets. `handler` answers a request
/// (return true to keep the connection for the next request, false to close it); nil means the
/// default answer of a healthy daemon for the few routes the tests need.
final class FakeDaemon: @unchecked Sendable {
    typealias Handler = (FakeRequest, Int32, FakeDaemon) -> Bool?
    let path: String
    private let handler: Handler
    private let lock = NSLock()
    private var listenFD: Int32 = -1
    private var clients: Set<Int32> = []
    private var stopped = false
    private var received: [FakeRequest] = []
    var requests: [FakeRequest] { lock.withLock { received } }

    init(path: String, handler: @escaping Handler) throws {
        self.path = path
        self.handler = handler
        #if canImport(Glibc)
        unlink(path)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw XCTSkip("no unix sockets") }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: addr.sun_path) else { throw XCTSkip("socket path too long") }
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
        }
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else { close(fd); throw XCTSkip("cannot listen on \(path)") }
        listenFD = fd
        let thread = Thread { [self] in acceptLoop(fd) }
        thread.start()
        #else
        throw XCTSkip("Linux only")
        #endif
    }

    /// Stops accepting (later connects are refused) but keeps open connections. Only shuts the
    /// listening socket down (which wakes the accept loop); the loop closes it when it ends, so its
    /// descriptor number cannot be reused by the next fake daemon while the loop may still accept.
    func stopListening() {
        let fd: Int32 = lock.withLock { defer { listenFD = -1 }; return listenFD }
        if fd >= 0 { shutdown(fd, Int32(SHUT_RDWR)) }
    }

    /// Stops accepting and drops every connection (a daemon that died).
    func stop() {
        let first: Bool = lock.withLock { defer { stopped = true }; return !stopped }
        stopListening()
        // Unlink before dropping the connections: a client that sees the drop may start the next
        // fake daemon on the same path at once, and a late unlink would delete that one's socket.
        if first { unlink(path) }
        let all: Set<Int32> = lock.withLock { clients }
        for fd in all { shutdown(fd, Int32(SHUT_RDWR)) }
    }

    var isStopped: Bool { lock.withLock { stopped } }

    private func acceptLoop(_ fd: Int32) {
        defer { close(fd) }
        while true {
            let client = accept(fd, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            let accepted: Bool = lock.withLock {
                if stopped { return false }
                clients.insert(client)
                return true
            }
            if !accepted { close(client); return }
            let thread = Thread { [self] in serve(client) }
            thread.start()
        }
    }

    private func serve(_ fd: Int32) {
        defer {
            lock.withLock { _ = clients.remove(fd) }
            close(fd)
        }
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        var served = 0
        while true {
            // One request: the head up to CRLFCRLF, then Content-Length bytes.
            var headEnd: Int?
            while headEnd == nil {
                if let r = FakeDaemon.find([13, 10, 13, 10], in: buffer) { headEnd = r; break }
                let n = recv(fd, &chunk, chunk.count, 0)
                if n <= 0 { return }
                buffer += chunk[0..<n]
            }
            guard let end = headEnd else { return }
            let headText = String(decoding: buffer[0..<end], as: UTF8.self)
            var lines = headText.components(separatedBy: "\r\n")
            let requestLine = lines.removeFirst().split(separator: " ")
            guard requestLine.count >= 2 else { return }
            var headers: [String: String] = [:]
            for line in lines {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            let length = Int(headers["content-length"] ?? "0") ?? 0
            buffer.removeFirst(end + 4)
            while buffer.count < length {
                let n = recv(fd, &chunk, chunk.count, 0)
                if n <= 0 { return }
                buffer += chunk[0..<n]
            }
            served += 1
            let request = FakeRequest(method: String(requestLine[0]), target: String(requestLine[1]), headers: headers,
                                      body: Array(buffer.prefix(length)), indexOnConnection: served)
            buffer.removeFirst(length)
            lock.withLock { received.append(request) }
            let keep = handler(request, fd, self) ?? FakeDaemon.answerHealthy(request, fd)
            if !keep { shutdown(fd, Int32(SHUT_RDWR)); return }
        }
    }

    /// What a healthy daemon answers for the routes these tests touch.
    static func answerHealthy(_ request: FakeRequest, _ fd: Int32) -> Bool {
        switch request.route {
        case "/version": return json(fd, #"{"ApiVersion":"1.43","Version":"fake-24.0","Components":[]}"#)
        case "/_ping": return respond(fd, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nOK")
        case "/containers/c1/json": return json(fd, #"{"Id":"c1","Name":"/c1","Config":{"Tty":false},"State":{"Running":true}}"#)
        case "/containers/c1/exec": return json(fd, #"{"Id":"e1"}"#, status: "201 Created")
        case "/exec/e1/json": return json(fd, #"{"Running":false,"ExitCode":0}"#)
        case "/containers/json": return json(fd, "[]")
        default: return json(fd, #"{"message":"no such route in the fake daemon"}"#, status: "404 Not Found")
        }
    }

    @discardableResult
    static func json(_ fd: Int32, _ body: String, status: String = "200 OK") -> Bool {
        respond(fd, "HTTP/1.1 \(status)\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
    }

    @discardableResult
    static func respond(_ fd: Int32, _ text: String) -> Bool { write(fd, Array(text.utf8)) }

    @discardableResult
    static func write(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }

    /// A multiplexed stdout frame as the daemon sends it on attach/exec/logs streams.
    static func frame(_ text: String) -> [UInt8] {
        let payload = Array(text.utf8)
        let n = UInt32(payload.count)
        return [1, 0, 0, 0, UInt8(n >> 24), UInt8((n >> 16) & 255), UInt8((n >> 8) & 255), UInt8(n & 255)] + payload
    }

    static func chunk(_ bytes: [UInt8]) -> [UInt8] { Array((String(bytes.count, radix: 16) + "\r\n").utf8) + bytes + [13, 10] }

    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] {
            if Array(haystack[i..<(i + needle.count)]) == needle { return i }
        }
        return nil
    }
}

final class FaultInjectionTests: FakeDaemonTestCase {
    static let timeout = 2.0
    override class var directoryPrefix: String { "dks-faults-" }

    func startDaemon(_ handler: @escaping FakeDaemon.Handler = { _, _, _ in nil }) throws -> FakeDaemon {
        let daemon = try FakeDaemon(path: socketPath, handler: handler)
        daemons.append(daemon)
        return daemon
    }

    func makeEngine(trace: ((String) -> Void)? = nil) -> DockerEngine {
        DockerEngine(endpoint: DockerEndpoint(transport: .unix(path: socketPath)), trace: trace, requestTimeout: FaultInjectionTests.timeout)
    }

    // MARK: The faults

    enum Fault: String, CaseIterable {
        case silent, garbage, cutBody, cutHijack, malformedJSON, slowBody
    }

    /// Misbehaves on requests whose route is `route`; other routes get healthy answers.
    func faulty(_ fault: Fault, on route: String) -> FakeDaemon.Handler {
        return { request, fd, daemon in
            guard request.route == route else { return nil }
            switch fault {
            case .silent:
                // Accepts, reads the request, never answers (the connection stays open).
                return true
            case .garbage:
                FakeDaemon.write(fd, [0, 1, 2] + Array("SSH-2.0-not-http\r\n\r\n".utf8))
                return false
            case .cutBody:
                // A valid head, part of a chunked body, then the server goes away.
                FakeDaemon.respond(fd, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                FakeDaemon.write(fd, Array("40\r\n".utf8) + FakeDaemon.frame("partial output\n"))
                Thread.sleep(forTimeInterval: 0.3)
                daemon.stop()
                return false
            case .cutHijack:
                FakeDaemon.respond(fd, "HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n")
                FakeDaemon.write(fd, FakeDaemon.frame("started\n"))
                Thread.sleep(forTimeInterval: 0.3)
                daemon.stop()
                return false
            case .malformedJSON:
                FakeDaemon.json(fd, #"{"ApiVersion": "1.43", "StatusCode": 0, "Id": [unterminated"#)
                return true
            case .slowBody:
                // A body that never ends: one byte of JSON whitespace every 100 ms.
                FakeDaemon.respond(fd, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                while !daemon.isStopped {
                    guard FakeDaemon.write(fd, FakeDaemon.chunk([32])) else { return false }
                    Thread.sleep(forTimeInterval: 0.1)
                }
                return false
            }
        }
    }

    /// The engine operations under test and the route each one's fault goes on.
    enum Operation: String, CaseIterable {
        case info, inspect, logsFollow, exec, wait

        var route: String {
            switch self {
            case .info: return "/version"
            case .inspect: return "/containers/c1/json"
            case .logsFollow: return "/containers/c1/logs"
            case .exec: return "/exec/e1/start"
            case .wait: return "/containers/c1/wait"
            }
        }

        func run(_ engine: DockerEngine) throws {
            switch self {
            case .info: _ = try engine.info()
            case .inspect: _ = try engine.inspect("c1")
            case .logsFollow:
                var options = LogOptions()
                options.follow = true
                try engine.logs("c1", options: options) { _ in .more }
            case .exec: _ = try engine.exec("c1", ExecConfig(cmd: ["sleep", "1000"])) { _ in }
            case .wait: _ = try engine.wait("c1", condition: .notRunning, deadline: .never)
            }
        }
    }

    /// Runs `operation` against `fault` and checks: an EngineError of kind .engine or .timeout, naming
    /// the endpoint, within the request timeout (plus slack for a loaded machine).
    func check(_ fault: Fault, _ operation: Operation, file: StaticString = #filePath, line: UInt = #line) throws {
        let daemon = try startDaemon(faulty(fault, on: operation.route))
        defer { daemon.stop() }
        let engine = makeEngine()
        defer { engine.shutdown() }
        let start = monotonicNanos()
        let label = "\(fault) during \(operation)"
        do {
            try operation.run(engine)
            XCTFail("\(label): no error", file: file, line: line)
        } catch let error as EngineError {
            print("fault: \(label): \(error.kind.rawValue): \(error.message)")
            XCTAssertTrue(error.kind == .engine || error.kind == .timeout, "\(label): \(error.kind) \(error.message)", file: file, line: line)
            XCTAssertTrue(error.message.contains(socketPath), "\(label): the message names no endpoint: \(error.message)", file: file, line: line)
        } catch {
            XCTFail("\(label): not an EngineError: \(type(of: error)) \(error)", file: file, line: line)
        }
        let elapsed = Double(monotonicNanos() - start) / 1e9
        XCTAssertLessThan(elapsed, FaultInjectionTests.timeout + 2.5, "\(label) took \(elapsed)s", file: file, line: line)
        XCTAssertTrue(daemon.requests.contains { $0.route == operation.route }, "\(label): the faulty route was never asked", file: file, line: line)
    }

    func testServerThatNeverAnswers() throws {
        for operation in Operation.allCases { try check(.silent, operation) }
    }

    func testServerThatAnswersGarbage() throws {
        for operation in Operation.allCases { try check(.garbage, operation) }
    }

    func testServerThatClosesInTheMiddleOfABody() throws {
        // Waits and follows have no request timeout: they must end because the server went away.
        for operation in Operation.allCases { try check(.cutBody, operation) }
    }

    func testServerThatClosesDuringAHijackedStream() throws {
        // The output ends, then the exit code cannot be asked for: the daemon is gone.
        try check(.cutHijack, .exec)
    }

    func testServerThatAnswersMalformedJSON() throws {
        for operation in [Operation.info, .inspect, .wait] { try check(.malformedJSON, operation) }
    }

    func testServerThatNeverEndsItsBody() throws {
        // Plain calls are bounded by the request timeout however slowly bytes keep coming.
        for operation in [Operation.info, .inspect] { try check(.slowBody, operation) }
    }

    func testAttachedRunEndsWhenTheServerDies() throws {
        let daemon = try startDaemon { request, fd, daemon in
            switch request.route {
            case "/containers/c1/wait":
                FakeDaemon.respond(fd, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                return true
            case "/containers/c1/attach":
                FakeDaemon.respond(fd, "HTTP/1.1 101 UPGRADED\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n")
                return true
            case "/containers/c1/start":
                FakeDaemon.respond(fd, "HTTP/1.1 204 No Content\r\n\r\n")
                DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { daemon.stop() }
                return true
            default: return nil
            }
        }
        _ = daemon
        let engine = makeEngine()
        defer { engine.shutdown() }
        let start = monotonicNanos()
        XCTAssertThrowsError(try engine.runAttached("c1") { _ in }) { error in
            XCTAssertEqual((error as? EngineError)?.kind, .engine, "\(error)")
        }
        XCTAssertLessThan(Double(monotonicNanos() - start) / 1e9, 3)
    }

    // MARK: A daemon that comes back

    func testPoolReconnectsToADaemonThatCameBack() throws {
        var daemon = try startDaemon()
        let engine = makeEngine()
        defer { engine.shutdown() }
        XCTAssertEqual(try engine.list(all: true, filters: []).count, 0)
        daemon.stop()
        // Down: a clear connection error, quickly (the idle kept-alive connection is dead).
        let start = monotonicNanos()
        XCTAssertThrowsError(try engine.list(all: true, filters: [])) { error in
            guard let e = error as? EngineError else { return XCTFail("\(error)") }
            XCTAssertEqual(e.kind, .engine)
            XCTAssertTrue(e.message.contains("cannot connect to unix://\(self.socketPath)"), e.message)
        }
        XCTAssertLessThan(Double(monotonicNanos() - start) / 1e9, 3)
        // Back: the same engine works again.
        daemon = try startDaemon()
        XCTAssertEqual(try engine.list(all: true, filters: []).count, 0)
        XCTAssertNoThrow(try engine.inspect("c1"))
    }

    func testIdleConnectionClosedByTheServerIsReplacedSilently() throws {
        // A server that closes every connection after one answer (as a restarted daemon leaves them).
        // The pool can hand out the connection in the instant before it sees the close; the request
        // then fails before any answer byte and, being idempotent, is sent again on a fresh connection.
        let daemon = try startDaemon { request, fd, _ in
            _ = FakeDaemon.answerHealthy(request, fd)
            return false
        }
        let engine = makeEngine()
        defer { engine.shutdown() }
        for _ in 0..<200 { XCTAssertNoThrow(try engine.inspect("c1")) }
        // Each inspect reached the daemon once: a resend happens only when the daemon never read the first try.
        XCTAssertEqual(daemon.requests.filter { $0.route == "/containers/c1/json" }.count, 200)
    }

    // MARK: Resending after a stale keep-alive

    /// A daemon that answers the first request on each connection and drops the connection, without
    /// answering, when a second request arrives on it: the request was written and read, then lost.
    func startDaemonThatDropsReusedConnections(answeringFirst: @escaping (FakeRequest) -> Bool = { _ in true }) throws -> FakeDaemon {
        try startDaemon { request, fd, _ in
            if request.indexOnConnection > 1 || !answeringFirst(request) { return false }
            switch request.route {
            case "/containers/create": return FakeDaemon.json(fd, #"{"Id":"c2"}"#, status: "201 Created")
            default: return FakeDaemon.answerHealthy(request, fd)
            }
        }
    }

    func testIdempotentRequestIsResentOnceOnAFreshConnection() throws {
        let daemon = try startDaemonThatDropsReusedConnections()
        let engine = makeEngine()
        defer { engine.shutdown() }
        XCTAssertNoThrow(try engine.info()) // GET /version: the first request on the first connection
        // Written on the kept-alive connection, dropped unanswered, resent on a new connection.
        XCTAssertNoThrow(try engine.inspect("c1"))
        let inspects = daemon.requests.filter { $0.route == "/containers/c1/json" }
        XCTAssertEqual(inspects.map(\.indexOnConnection), [2, 1])
        XCTAssertEqual(engine.client.pool.connectionsOpened, 2)
    }

    func testIdempotentRequestIsResentAtMostOnce() throws {
        // Only the very first request (GET /version) is ever answered: the resend fails too, and the error is clear.
        let answered = NSLock()
        var first = true
        let daemon = try startDaemonThatDropsReusedConnections { _ in answered.withLock { defer { first = false }; return first } }
        let engine = makeEngine()
        defer { engine.shutdown() }
        XCTAssertNoThrow(try engine.info())
        XCTAssertThrowsError(try engine.inspect("c1")) { error in
            guard let e = error as? EngineError else { return XCTFail("\(error)") }
            XCTAssertEqual(e.kind, .engine)
            XCTAssertTrue(e.message.contains("closed the connection without answering GET"), e.message)
        }
        XCTAssertEqual(daemon.requests.filter { $0.route == "/containers/c1/json" }.map(\.indexOnConnection), [2, 1])
    }

    func testNonIdempotentRequestIsNotResentAfterItWasWritten() throws {
        // The daemon read the create and dropped the connection: it may have created the container,
        // so sending the create again could make a second one. dks reports the failure instead.
        let daemon = try startDaemonThatDropsReusedConnections()
        let engine = makeEngine()
        defer { engine.shutdown() }
        XCTAssertNoThrow(try engine.info())
        XCTAssertThrowsError(try engine.create(ContainerConfig(image: "img"))) { error in
            guard let e = error as? EngineError else { return XCTFail("\(error)") }
            XCTAssertEqual(e.kind, .engine)
            XCTAssertTrue(e.message.contains("closed the connection without answering POST"), e.message)
            XCTAssertTrue(e.message.contains(self.socketPath), e.message)
        }
        let creates = daemon.requests.filter { $0.route == "/containers/create" }
        XCTAssertEqual(creates.count, 1, "the create was sent \(creates.count) times")
        XCTAssertEqual(engine.client.pool.connectionsOpened, 1)
        // The next create goes to a fresh connection (the dropped one is gone) and works.
        XCTAssertEqual(try engine.create(ContainerConfig(image: "img")), "c2")
        XCTAssertEqual(engine.client.pool.connectionsOpened, 2)
    }

    func testNonIdempotentRequestIsResentWhenTheWriteFailed() {
        // Nothing reached the daemon, so any method may be sent again.
        let post = DockerRequest(method: "POST", path: "/v1.43/containers/create", body: [])
        let lost = EngineError(.engine, "cannot send to unix:///x: connection closed")
        XCTAssertTrue(ResendPolicy.mayResend(post, stage: .notWritten, reused: true, firstAttempt: true, error: lost))
        XCTAssertFalse(ResendPolicy.mayResend(post, stage: .writtenNoAnswer, reused: true, firstAttempt: true, error: lost))
        // Only once, only on a reused connection, never after answer bytes, never a timeout.
        let get = DockerRequest(method: "GET", path: "/v1.43/containers/c1/json")
        XCTAssertTrue(ResendPolicy.mayResend(get, stage: .writtenNoAnswer, reused: true, firstAttempt: true, error: lost))
        XCTAssertFalse(ResendPolicy.mayResend(get, stage: .writtenNoAnswer, reused: true, firstAttempt: false, error: lost))
        XCTAssertFalse(ResendPolicy.mayResend(get, stage: .writtenNoAnswer, reused: false, firstAttempt: true, error: lost))
        XCTAssertFalse(ResendPolicy.mayResend(get, stage: .answering, reused: true, firstAttempt: true, error: lost))
        XCTAssertFalse(ResendPolicy.mayResend(get, stage: .writtenNoAnswer, reused: true, firstAttempt: true,
                                              error: EngineError(.timeout, "no complete answer")))
        for method in ["PUT", "DELETE", "HEAD"] {
            XCTAssertTrue(ResendPolicy.mayResend(DockerRequest(method: method, path: "/x"), stage: .writtenNoAnswer,
                                                 reused: true, firstAttempt: true, error: lost), method)
        }
    }

    // MARK: Security: argv lists and trace redaction

    func testExecWordsTravelAsAnArgvList() throws {
        let daemon = try startDaemon()
        let engine = makeEngine()
        defer { engine.shutdown() }
        let words = ["sh", "-c", "echo $HOME; rm -rf /tmp/x && `id`", "two  spaces", "'quoted'"]
        _ = try? engine.exec("c1", ExecConfig(cmd: words)) { _ in }
        var config = ContainerConfig(image: "img")
        config.cmd = words
        config.entrypoint = ["/bin/env", "A B"]
        _ = try? engine.create(config)
        let execBody = daemon.requests.first { $0.route == "/containers/c1/exec" }.map(\.body) ?? []
        XCTAssertEqual(try JSON.parse(execBody)["Cmd"], .array(words.map { .string($0) }))
        let createBody = daemon.requests.first { $0.route == "/containers/create" }.map(\.body) ?? []
        let create = try JSON.parse(createBody)
        XCTAssertEqual(create["Cmd"], .array(words.map { .string($0) }))
        XCTAssertEqual(create["Entrypoint"], .array([.string("/bin/env"), .string("A B")]))
    }

    func testTraceShowsNeitherEnvironmentValuesNorRegistryCredentials() throws {
        let daemon = try startDaemon { request, fd, _ in
            switch request.route {
            case "/images/create": return FakeDaemon.json(fd, #"{"status":"pulled"}"#)
            case "/containers/create": return FakeDaemon.json(fd, #"{"Id":"c2"}"#, status: "201 Created")
            default: return nil
            }
        }
        let config = directory + "/docker-config"
        try FileManager.default.createDirectory(atPath: config, withIntermediateDirectories: true)
        let secret = "s3cr3t-Pa55"
        let auth = Data("alice:\(secret)".utf8).base64EncodedString()
        try Data(#"{"auths":{"registry.example:5000":{"auth":"\#(auth)"}}}"#.utf8).write(to: URL(fileURLWithPath: config + "/config.json"))
        let previous = ProcessInfo.processInfo.environment["DOCKER_CONFIG"]
        setenv("DOCKER_CONFIG", config, 1)
        defer { if let p = previous { setenv("DOCKER_CONFIG", p, 1) } else { unsetenv("DOCKER_CONFIG") } }
        var lines: [String] = []
        let lock = NSLock()
        let engine = makeEngine { line in lock.withLock { lines.append(line) } }
        defer { engine.shutdown() }
        try engine.pull("registry.example:5000/team/app:1") { _ in }
        var c = ContainerConfig(image: "img")
        c.env = ["TOKEN=hunter2-env-value"]
        _ = try engine.create(c)
        // The credentials did reach the daemon (so the trace had something to leak)...
        let sent = daemon.requests.first { $0.route == "/images/create" }?.headers["x-registry-auth"] ?? ""
        XCTAssertFalse(sent.isEmpty)
        // ...but no trace line carries them, nor any environment value.
        let all = lock.withLock { lines.joined(separator: "\n") }
        XCTAssertTrue(all.contains("/images/create"), all)
        for leak in [secret, auth, sent, "hunter2-env-value", "alice"] {
            XCTAssertFalse(all.contains(leak), "the trace shows \(leak): \(all)")
        }
    }
}
