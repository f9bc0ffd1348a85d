// EndpointTests: host URL parsing, resolution order, docker contexts in a temporary config dir, SHA-256.
import DKSEngine
import Foundation
import XCTest
@testable import DKSDocker
import DKSSupport

final class EndpointTests: XCTestCase {
    var home = ""

    override func setUpWithError() throws {
        home = NSTemporaryDirectory() + "dks-endpoint-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: home + "/.docker", withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: home) }

    func testSHA256KnownVectors() {
        XCTAssertEqual(sha256Hex([]), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(sha256Hex(Array("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(sha256Hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(sha256Hex(Array(repeating: UInt8(ascii: "a"), count: 1000)),
                       "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }

    func testDefaultIsTheLocalSocket() throws {
        let e = try DockerEndpoint.resolve(hostOverride: nil, environment: ["HOME": home])
        XCTAssertEqual(e.description, "unix:///var/run/docker.sock")
        XCTAssertNil(e.tls)
    }

    func testOverrideBeatsDockerHost() throws {
        let env = ["HOME": home, "DOCKER_HOST": "tcp://10.0.0.1:2375"]
        XCTAssertEqual(try DockerEndpoint.resolve(hostOverride: "unix:///tmp/x.sock", environment: env).description, "unix:///tmp/x.sock")
        let e = try DockerEndpoint.resolve(hostOverride: nil, environment: env)
        XCTAssertEqual(e.transport, .tcp(host: "10.0.0.1", port: 2375))
        XCTAssertEqual(e.origin, "DOCKER_HOST")
        XCTAssertFalse(e.isLocal)
    }

    func testTLSFromEnvironment() throws {

        try FileManager.default.createDirectory(atPath: home + "/certs", withIntermediateDirectories: true)
        for f in ["ca.pem", "cert.pem", "key.pem"] { _ = FileManager.default.createFile(atPath: home + "/certs/" + f, contents: Data()) }
        let env = ["HOME": home, "DOCKER_HOST": "tcp://example.com", "DOCKER_TLS_VERIFY": "1", "DOCKER_CERT_PATH": home + "/certs"]
        let e = try DockerEndpoint.resolve(hostOverride: nil, environment: env)
        XCTAssertEqual(e.transport, .tcp(host: "example.com", port: 2376))
        XCTAssertEqual(e.tls?.caFile, home + "/certs/ca.pem")
        XCTAssertEqual(e.tls?.keyFile, home + "/certs/key.pem")
        XCTAssertEqual(e.tls?.verify, true)
    }

    func testParsingVariantsAndErrors() throws {
        XCTAssertEqual(try DockerEndpoint.parse("tcp://[::1]:1234", environment: [:], origin: "t").transport, .tcp(host: "::1", port: 1234))
        XCTAssertEqual(try DockerEndpoint.parse("/run/docker.sock", environment: [:], origin: "t").transport, .unix(path: "/run/docker.sock"))
        XCTAssertEqual(try DockerEndpoint.parse("tcp://127.0.0.1:2375", environment: [:], origin: "t").isLocal, true)
        XCTAssertThrowsError(try DockerEndpoint.parse("tcp://host:99999", environment: [:], origin: "t"))
        XCTAssertThrowsError(try DockerEndpoint.parse("ftp://x", environment: [:], origin: "t"))
        XCTAssertThrowsError(try DockerEndpoint.parse("ssh://me@host", environment: [:], origin: "t")) { error in
            XCTAssertEqual((error as? EngineError)?.kind, .unsupported)
        }
    }

    private func writeContext(_ name: String, host: String) throws {
        let dir = home + "/.docker/contexts/meta/" + sha256Hex(Array(name.utf8))
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let meta = #"{"Name":"\#(name)","Metadata":{},"Endpoints":{"docker":{"Host":"\#(host)","SkipTLSVerify":false}}}"#
        try meta.write(toFile: dir + "/meta.json", atomically: true, encoding: .utf8)
    }

    func testCurrentContextFromConfigJSON() throws {
        try writeContext("remote", host: "tcp://192.0.2.7:2375")
        try #"{"auths":{},"currentContext":"remote"}"#.write(toFile: home + "/.docker/config.json", atomically: true, encoding: .utf8)
        let e = try DockerEndpoint.resolve(hostOverride: nil, environment: ["HOME": home])
        XCTAssertEqual(e.transport, .tcp(host: "192.0.2.7", port: 2375))
        XCTAssertEqual(e.origin, "context remote")
    }

    func testDockerContextEnvBeatsConfigAndDockerHostBeatsBoth() throws {
        try writeContext("a", host: "unix:///tmp/a.sock")
        try writeContext("b", host: "unix:///tmp/b.sock")
        try #"{"currentContext":"a"}"#.write(toFile: home + "/.docker/config.json", atomically: true, encoding: .utf8)
        XCTAssertEqual(try DockerEndpoint.resolve(hostOverride: nil, environment: ["HOME": home, "DOCKER_CONTEXT": "b"]).description, "unix:///tmp/b.sock")
        XCTAssertEqual(try DockerEndpoint.resolve(hostOverride: nil, environment: ["HOME": home]).description, "unix:///tmp/a.sock")
        XCTAssertEqual(try DockerEndpoint.resolve(hostOverride: nil, environment: ["HOME": home, "DOCKER_HOST": "unix:///tmp/c.sock"]).description,
                       "unix:///tmp/c.sock")
        XCTAssertEqual(try DockerEndpoint.resolve(hostOverride: nil, environment: ["HOME": home, "DOCKER_CONTEXT": "default"]).description,
                       "unix:///var/run/docker.sock")
    }

    func testMissingContextIsNotFound() {
        XCTAssertThrowsError(try DockerEndpoint.resolve(hostOverride: nil, environment: ["HOME": home, "DOCKER_CONTEXT": "nope"])) { error in
            XCTAssertEqual((error as? EngineError)?.kind, .notFound)
            XCTAssertTrue((error as? EngineError)?.message.contains("nope") ?? false)
        }
    }

    func testDockerConfigEnvironmentVariable() throws {
        let other = home + "/elsewhere"
        try FileManager.default.createDirectory(atPath: other, withIntermediateDirectories: true)
        let dir = other + "/contexts/meta/" + sha256Hex(Array("x".utf8))
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try #"{"Endpoints":{"docker":{"Host":"unix:///tmp/x.sock"}}}"#.write(toFile: dir + "/meta.json", atomically: true, encoding: .utf8)
        try #"{"currentContext":"x"}"#.write(toFile: other + "/config.json", atomically: true, encoding: .utf8)
        XCTAssertEqual(try DockerEndpoint.resolve(hostOverride: nil, environment: ["HOME": home, "DOCKER_CONFIG": other]).description,
                       "unix:///tmp/x.sock")
    }
}
