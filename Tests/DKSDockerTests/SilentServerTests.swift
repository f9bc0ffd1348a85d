// SilentServerTests: a loopback listener that accepts nothing and answers nothing must not hang
// ping, plain calls (request timeout, interrupt) or deadline-bound waits.
import DKSEngine
import DKSSupport
import Foundation
import XCTest
@testable import DKSDocker
#if canImport(Glibc)
import Glibc
#endif

final class SilentServerTests: XCTestCase {
    var fd: Int32 = -1
    var port = 0

    override func setUpWithError() throws {
        #if canImport(Glibc)
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw XCTSkip("no sockets") }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        let bound = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard bound == 0, listen(fd, 16) == 0 else { throw XCTSkip("cannot listen on loopback") }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        port = Int(UInt16(bigEndian: addr.sin_port))
        #else
        throw XCTSkip("Linux only")
        #endif
    }

    override func tearDown() { if fd >= 0 { close(fd) } }

    var endpoint: DockerEndpoint { DockerEndpoint(transport: .tcp(host: "127.0.0.1", port: port)) }

    func testPingGivesUpWithinItsTimeout() {
        let start = monotonicNanos()
        XCTAssertFalse(DockerEngine.ping(endpoint, timeout: 1))
        let elapsed = Double(monotonicNanos() - start) / 1e9
        XCTAssertGreaterThan(elapsed, 0.9)
        XCTAssertLessThan(elapsed, 3)
    }

    func testPlainCallTimesOutWithTheEndpointInTheMessage() {
        let engine = DockerEngine(endpoint: endpoint, requestTimeout: 0.5)
        let start = monotonicNanos()
        do {
            _ = try engine.info()
            XCTFail("a silent server answered")
        } catch let error as EngineError {
            XCTAssertEqual(error.kind, .timeout)
            XCTAssertTrue(error.message.contains("tcp://127.0.0.1:\(port)"), error.message)
        } catch {
            XCTFail("unexpected \(error)")
        }
        XCTAssertLessThan(Double(monotonicNanos() - start) / 1e9, 3)
    }

    func testPlainCallsEndAtAnInterrupt() {
        // A plain call is interrupted like any other request (a script's cleanup still works: the
        // flag is lowered once the interrupt became an Interrupted error, see ScriptError.interrupted).
        let engine = DockerEngine(endpoint: endpoint, requestTimeout: 20)
        Interruption.request()
        defer { Interruption.clear() }
        let start = monotonicNanos()
        XCTAssertThrowsError(try engine.info()) { XCTAssertEqual(($0 as? EngineError)?.kind, .interrupted) }
        XCTAssertLessThan(Double(monotonicNanos() - start) / 1e9, 3)
    }
}
