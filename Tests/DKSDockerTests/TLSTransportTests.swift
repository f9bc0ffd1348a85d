// TLSTransportTests: tcp+TLS with verification, against `openssl s_server -HTTP` on loopback with a
// throwaway CA (mutual TLS: the server demands our client certificate). Skipped without openssl.
import DKSEngine
import DKSSupport
import Foundation
import XCTest
@testable import DKSDocker

final class TLSTransportTests: XCTestCase {
    var dir = ""
    var server: Process?
    var port = 0

    @discardableResult
    func run(_ args: [String], in cwd: String? = nil) throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: cwd ?? dir)
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        return p.terminationStatus
    }

    func makeCA(_ name: String) throws {
        try run(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=\(name)",
                 "-keyout", "\(name)-key.pem", "-out", "\(name).pem"])
    }

    func makeCert(_ name: String, ca: String, san: String?) throws {
        try run(["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=\(name)", "-keyout", "\(name)-key.pem", "-out", "\(name).csr"])
        var args = ["x509", "-req", "-in", "\(name).csr", "-CA", "\(ca).pem", "-CAkey", "\(ca)-key.pem", "-CAcreateserial",
                    "-days", "2", "-out", "\(name).pem"]
        if let san = san {
            try "subjectAltName=\(san)\n".write(toFile: dir + "/\(name).ext", atomically: true, encoding: .utf8)
            args += ["-extfile", "\(name).ext"]
        }
        try run(args)
    }

    override func setUpWithError() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl") else { throw XCTSkip("openssl not installed") }
        dir = NSTemporaryDirectory() + "dks-tls-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir + "/www", withIntermediateDirectories: true)
        try makeCA("ca")
        try makeCA("otherca")
        try makeCert("server", ca: "ca", san: "IP:127.0.0.1,DNS:localhost")
        try makeCert("client", ca: "ca", san: nil)
        try "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nOK".write(toFile: dir + "/www/_ping", atomically: true, encoding: .utf8)
        port = Int.random(in: 20000...60000)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        p.arguments = ["s_server", "-accept", "127.0.0.1:\(port)", "-cert", "../server.pem", "-key", "../server-key.pem",
                       "-CAfile", "../ca.pem", "-Verify", "1", "-HTTP", "-quiet"]
        p.currentDirectoryURL = URL(fileURLWithPath: dir + "/www")
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        p.standardInput = FileHandle.nullDevice
        try p.run()
        server = p
        // Wait until it listens.
        let deadline = Deadline.after(seconds: 5)
        let probe = HTTPConnectionPool(endpoint: DockerEndpoint(transport: .tcp(host: "127.0.0.1", port: port)))
        while !deadline.hasPassed {
            if let c = try? probe.acquire(connectTimeout: 0.5) { c.close(); return }
            try interruptibleSleep(seconds: 0.05)
        }
        throw XCTSkip("openssl s_server did not start")
    }

    override func tearDown() {
        if let server = server, server.isRunning { server.terminate(); server.waitUntilExit() }
        try? FileManager.default.removeItem(atPath: dir)
    }

    func endpoint(host: String, ca: String, client: Bool = true) -> DockerEndpoint {
        DockerEndpoint(transport: .tcp(host: host, port: port),
                       tls: DockerTLSSettings(caFile: dir + "/\(ca).pem", certFile: client ? dir + "/client.pem" : nil,
                                              keyFile: client ? dir + "/client-key.pem" : nil))
    }

    func testPingOverVerifiedTLSByIPAndName() {
        XCTAssertTrue(DockerEngine.ping(endpoint(host: "127.0.0.1", ca: "ca"), timeout: 3))
        XCTAssertTrue(DockerEngine.ping(endpoint(host: "localhost", ca: "ca"), timeout: 3))
    }

    func testUntrustedServerIsRefusedWithATLSMessage() {
        let wrong = endpoint(host: "127.0.0.1", ca: "otherca")
        XCTAssertFalse(DockerEngine.ping(wrong, timeout: 3))
        do {
            _ = try DockerEngine(endpoint: wrong).info()
            XCTFail("talked to an untrusted server")
        } catch let error as EngineError {
            XCTAssertTrue(error.message.contains("TLS"), error.message)
            XCTAssertTrue(error.message.contains("tcp://127.0.0.1:\(port)"), error.message)
        } catch {
            XCTFail("unexpected \(error)")
        }
    }

    func testVerificationIsOnUnlessSkippedExplicitly() {
        var skipping = endpoint(host: "127.0.0.1", ca: "otherca")
        XCTAssertEqual(skipping.tls?.verify, true, "verification is the default")
        XCTAssertFalse(DockerEngine.ping(skipping, timeout: 3))
        // Told otherwise (a context's SkipTLSVerify): the untrusted server is accepted.
        skipping.tls?.verify = false
        XCTAssertTrue(DockerEngine.ping(skipping, timeout: 3))
    }

    func testEnvironmentTurnsOnTLS() throws {
        let env = ["DOCKER_HOST": "tcp://127.0.0.1:\(port)", "DOCKER_TLS_VERIFY": "1", "DOCKER_CERT_PATH": dir + "/certs"]
        try FileManager.default.createDirectory(atPath: dir + "/certs", withIntermediateDirectories: true)
        for (from, to) in [("ca.pem", "ca.pem"), ("client.pem", "cert.pem"), ("client-key.pem", "key.pem")] {
            try FileManager.default.copyItem(atPath: dir + "/" + from, toPath: dir + "/certs/" + to)
        }
        let resolved = try DockerEndpoint.resolve(hostOverride: nil, environment: env)
        XCTAssertNotNil(resolved.tls)
        XCTAssertTrue(DockerEngine.ping(resolved, timeout: 3))
    }

    func testPlainTCPToRemoteHostWarns() {
        var warnings: [String] = []
        _ = DockerEngine(endpoint: DockerEndpoint(transport: .tcp(host: "192.0.2.1", port: 2375)), warn: { warnings.append($0) })
        XCTAssertEqual(warnings.count, 1)
        _ = DockerEngine(endpoint: DockerEndpoint(transport: .tcp(host: "127.0.0.1", port: 2375)), warn: { warnings.append($0) })
        XCTAssertEqual(warnings.count, 1)
    }
}
