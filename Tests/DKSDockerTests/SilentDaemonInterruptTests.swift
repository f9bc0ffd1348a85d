// SilentDaemonInterruptTests: a daemon that stops answering must never hold dks longer than the
// user or the script allows. Every kind of request — plain calls, streams, waits, the engine's
// first /version — ends with `.interrupted` once Interruption is requested (SIGINT, SIGTERM and
// SIGHUP all request it), long before the request timeout; every wait ends with `.timeout` at its
// own deadline even when the daemon answers nothing at all (not even /version); a request stuck in
// writing (the daemon reads nothing) is interruptible too; and the interrupted connection never goes
// back to the pool.
import DKSEngine
import DKSSupport
import Foundation
import XCTest
@testable import DKSDocker
#if canImport(Glibc)
import Glibc
#endif

final class SilentDaemonInterruptTests: FakeDaemonTestCase {
    /// Far longer than any bound under test: an operation that ends near it ignored the interrupt.
    static let requestTimeout = 20.0
    override class var directoryPrefix: String { "dks-silent-" }

    /// A daemon that answers /version (and `healthy` routes) and reads, but never answers, everything else.
    func startSilentDaemon(healthy: Set<String> = ["/version"]) throws -> FakeDaemon {
        let daemon = try FakeDaemon(path: socketPath) { request, fd, _ in
            if healthy.contains(request.route) { return FakeDaemon.answerHealthy(request, fd) }
            return true
        }
        daemons.append(daemon)
        return daemon
    }

    func makeEngine() -> DockerEngine {
        DockerEngine(endpoint: DockerEndpoint(transport: .unix(path: socketPath)), requestTimeout: SilentDaemonInterruptTests.requestTimeout)
    }

    /// Every request kind the engine makes once negotiated (the first, GET /version, has its own
    /// test): plain calls of each method, the ones with long limits of
    /// their own (stop's grace, archives), streams (attach, logs, exec, pull) and waits.
    static let operations: [(String, (DockerEngine) throws -> Void)] = [
        ("ps (GET /containers/json)", { _ = try $0.list(all: true, filters: []) }),
        ("get/inspect (GET /containers/c1/json)", { _ = try $0.inspect("c1") }),
        ("create (POST)", { _ = try $0.create(ContainerConfig(image: "img")) }),
        ("start (POST)", { try $0.start("c1") }),
        ("stop (POST, grace + timeout)", { try $0.stop("c1", timeout: 30) }),
        ("kill (POST)", { try $0.kill("c1", signal: nil) }),
        ("rm (DELETE)", { try $0.remove("c1", force: true, volumes: false) }),
        ("top", { _ = try $0.top("c1", psArgs: nil) }),
        ("stats", { _ = try $0.stats("c1") }),
        ("cp: stat (HEAD archive)", { _ = try $0.statPath("c1", path: "/etc") }),
        ("cp out (archive)", { try $0.copyOut("c1", path: "/etc") { _, read in while try read() != nil {} } }),
        ("images", { _ = try $0.images(all: false, filters: []) }),
        ("pull (stream)", { try $0.pull("busybox:latest") { _ in } }),
        ("volume ls", { _ = try $0.volumes(filters: []) }),
        ("prune", { _ = try $0.prune("containers", filters: []) }),
        ("logs (no follow)", { try $0.logs("c1", options: LogOptions()) { _ in .more } }),
        ("logs -f", { var o = LogOptions(); o.follow = true; try $0.logs("c1", options: o) { _ in .more } }),
        ("exec", { _ = try $0.exec("c1", ExecConfig(cmd: ["true"])) { _ in } }),
        ("run attached", { _ = try $0.runAttached("c1") { _ in } }),
        ("wait", { _ = try $0.wait("c1", condition: .notRunning, deadline: .never) }),
        ("wait-healthy", { try $0.waitHealthy("c1", deadline: .never) }),
        ("wait-log", { try $0.waitLog("c1", pattern: "ready", deadline: .never) }),
    ]

    /// Runs `operation` on a thread, requests an interrupt after `after` seconds, and returns the
    /// error and the seconds from the interrupt to the end.
    func interrupt(_ engine: DockerEngine, after: Double = 0.3, _ operation: @escaping (DockerEngine) throws -> Void) -> (Error?, Double) {
        final class Outcome: @unchecked Sendable {
            var failure: Error?
            var ended: UInt64 = 0
        }
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        Thread {
            do { try operation(engine) } catch { outcome.failure = error }
            outcome.ended = monotonicNanos()
            done.signal()
        }.start()
        Thread.sleep(forTimeInterval: after)
        let asked = monotonicNanos()
        Interruption.request(signal: SIGINT)
        XCTAssertEqual(done.wait(timeout: .now() + SilentDaemonInterruptTests.requestTimeout + 10), .success)
        Interruption.clear()
        // The semaphore orders the thread's writes before these reads.
        return (outcome.failure, Double(Int64(bitPattern: outcome.ended &- asked)) / 1e9)
    }

    func testInterruptEndsEveryRequestKindAgainstASilentDaemon() throws {
        _ = try startSilentDaemon()
        var slowest = 0.0
        for (name, operation) in SilentDaemonInterruptTests.operations {
            let engine = makeEngine()
            _ = try engine.info() // negotiated: the operation's own request is what hangs
            let (error, seconds) = interrupt(engine, operation)
            XCTAssertEqual((error as? EngineError)?.kind, .interrupted, "\(name): \(String(describing: error))")
            // Ended by the interrupt, not by the 20 s request timeout (the measured figure is printed).
            XCTAssertLessThan(seconds, 5, "\(name) took \(seconds)s after the interrupt")
            slowest = max(slowest, seconds)
            engine.shutdown()
        }
        print("silent daemon: slowest end after an interrupt: \(String(format: "%.3f", slowest))s")
    }

    func testInterruptEndsTheFirstRequestToo() throws {
        // The very first call negotiates the API version (GET /version): that one hangs here.
        _ = try startSilentDaemon(healthy: [])
        let (error, seconds) = interrupt(makeEngine()) { _ = try $0.list(all: false, filters: []) }
        XCTAssertEqual((error as? EngineError)?.kind, .interrupted, "\(String(describing: error))")
        XCTAssertLessThan(seconds, 5)
    }

    func testInterruptedConnectionIsNeverReused() throws {
        let daemon = try startSilentDaemon(healthy: ["/version", "/containers/json"])
        let engine = makeEngine()
        defer { engine.shutdown() }
        XCTAssertEqual(try engine.list(all: true, filters: []).count, 0)
        XCTAssertEqual(engine.client.pool.connectionsOpened, 1)
        // The inspect goes out on the pooled connection and hangs there until interrupted.
        let (error, _) = interrupt(engine) { _ = try $0.inspect("c1") }
        XCTAssertEqual((error as? EngineError)?.kind, .interrupted)
        // The half-used connection was closed: the next call connects afresh, and its answer is its own.
        XCTAssertEqual(try engine.list(all: true, filters: []).count, 0)
        XCTAssertEqual(engine.client.pool.connectionsOpened, 2)
        XCTAssertEqual(daemon.requests.filter { $0.route == "/containers/json" }.map(\.indexOnConnection), [2, 1])
    }

    func testEveryWaitEndsAtItsDeadlineWhenTheDaemonAnswersNothing() throws {
        // Not even /version is answered: the deadline must bound negotiation and connection too.
        _ = try startSilentDaemon(healthy: [])
        var followed = LogOptions()
        followed.follow = true
        followed.deadline = .after(seconds: 1)
        let waits: [(String, (DockerEngine, Deadline) throws -> Void)] = [
            ("wait", { _ = try $0.wait("c1", condition: .notRunning, deadline: $1) }),
            ("wait-healthy", { try $0.waitHealthy("c1", deadline: $1) }),
            ("wait-log", { try $0.waitLog("c1", pattern: "ready", deadline: $1) }),
            ("logs -f with a deadline", { engine, deadline in
                var o = LogOptions()
                o.follow = true
                o.deadline = deadline
                try engine.logs("c1", options: o) { _ in .more }
            }),
        ]
        for (name, wait) in waits {
            let engine = makeEngine()
            defer { engine.shutdown() }
            let start = monotonicNanos()
            XCTAssertThrowsError(try wait(engine, .after(seconds: 1)), name) { error in
                XCTAssertEqual((error as? EngineError)?.kind, .timeout, "\(name): \(error)")
                print("silent daemon: \(name): \(error)")
            }
            let seconds = Double(monotonicNanos() - start) / 1e9
            XCTAssertLessThan(seconds, 5, "\(name) took \(seconds)s with a 1 s deadline")
        }
    }

    func testAWriteTheDaemonNeverReadsIsInterruptible() throws {
        // The daemon answers /version, then never reads that connection again: the next request's
        // bytes fill the socket buffers and the write waits. Only the interrupt can end it. The same
        // for a streamed request body (cp into a container).
        let daemon = try FakeDaemon(path: socketPath) { request, fd, daemon in
            _ = FakeDaemon.answerHealthy(request, fd)
            while !daemon.isStopped { Thread.sleep(forTimeInterval: 0.05) }
            return false
        }
        daemons.append(daemon)
        let engine = makeEngine()
        defer { engine.shutdown() }
        _ = try engine.info()
        var config = ContainerConfig(image: "img")
        config.env = (0..<4096).map { "V\($0)=" + String(repeating: "x", count: 4096) } // a 16 MB body
        let (error, seconds) = interrupt(engine) { _ = try $0.create(config) }
        XCTAssertEqual((error as? EngineError)?.kind, .interrupted, "\(String(describing: error))")
        XCTAssertLessThan(seconds, 5)
        XCTAssertEqual(engine.client.pool.connectionsOpened, 1, "the create went out on the connection that stopped reading")

        // A streamed body (cp into a container) to a listener that never accepts: the kernel queues
        // the connection, the chunks fill its buffers, and the write waits.
        daemon.stop()
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        XCTAssertGreaterThanOrEqual(fd, 0)
        defer { close(fd) }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in Array(socketPath.utf8).enumerated() { raw[i] = b }
        }
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        XCTAssertEqual(bound, 0)
        XCTAssertEqual(listen(fd, 4), 0)
        let piece = [UInt8](repeating: 0, count: 64 << 10)
        let (streamError, streamSeconds) = interrupt(engine) { engine in
            try engine.copyIn("c1", path: "/tmp") { write in for _ in 0..<256 { try write(piece) } }
        }
        XCTAssertEqual((streamError as? EngineError)?.kind, .interrupted, "\(String(describing: streamError))")
        XCTAssertLessThan(streamSeconds, 5)
    }

    func testAConnectThatHangsIsInterruptible() throws {
        // A loopback listener whose accept queue is full: the kernel drops further SYNs, so a
        // connect hangs (until the client's connect timeout, here 10 s). The interrupt ends it.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        XCTAssertGreaterThanOrEqual(fd, 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        XCTAssertEqual(bound, 0)
        XCTAssertEqual(listen(fd, 0), 0)
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        // Fill the accept queue with connections nobody accepts.
        var fillers: [Int32] = []
        defer { for f in fillers { close(f) } }
        for _ in 0..<8 {
            let c = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(c, $0, len) } }
            fillers.append(c)
        }
        let port = Int(UInt16(bigEndian: addr.sin_port))
        let client = DockerHTTPClient(endpoint: DockerEndpoint(transport: .tcp(host: "127.0.0.1", port: port)), trace: nil,
                                      requestTimeout: SilentDaemonInterruptTests.requestTimeout)
        defer { client.pool.shutdown() }
        let engine = makeEngine()
        defer { engine.shutdown() }
        let (error, seconds) = interrupt(engine) { _ in
            _ = try client.send(DockerRequest(method: "GET", path: "/_ping"), connectTimeout: 10)
        }
        XCTAssertEqual((error as? EngineError)?.kind, .interrupted, "\(String(describing: error))")
        XCTAssertTrue((error as? EngineError)?.message.contains("while connecting") ?? false, "\(String(describing: error))")
        XCTAssertLessThan(seconds, 5)
        print("silent daemon: a hanging connect ended \(String(format: "%.3f", seconds))s after the interrupt")
    }
}
