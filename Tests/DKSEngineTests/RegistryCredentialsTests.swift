// RegistryCredentialsTests: credentials found and kept where the docker CLI finds and keeps
// them — config.json's auths (and the CLI's hostname fallback), credHelpers and credsStore with
// a real helper program (Tests/helpers/docker-credential-dkstest), saves that keep every other
// key and the file's mode — and the header encodings the daemon takes. Each test has its own
// throwaway DOCKER_CONFIG; nothing touches ~/.docker.
import DKSEngine
import DKSSupport
import Foundation
import XCTest

final class RegistryCredentialsTests: XCTestCase {
    var dir = ""
    let helpers = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("helpers").path

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "dks-creds-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    var env: [String: String] {
        ["DOCKER_CONFIG": dir, "PATH": helpers + ":/usr/bin:/bin", "DKS_TEST_CREDENTIALS_FILE": dir + "/helper.json", "HOME": dir]
    }

    func writeConfig(_ text: String) throws { try text.write(toFile: dir + "/config.json", atomically: true, encoding: .utf8) }
    func config() -> String { (try? String(contentsOfFile: dir + "/config.json", encoding: .utf8)) ?? "" }

    func decode(_ header: String) -> String {
        String(decoding: Base64.decode(header) ?? [], as: UTF8.self)
    }

    func header(_ ref: String) throws -> String {
        let c = try RegistryCredentials(environment: env)
        return decode(RegistryCredentials.encodeHeader(try c.authConfig(for: RegistryCredentials.configKey(forImage: ref))))
    }

    func testAuthsEntriesAsTheCLIReadsThem() throws {
        let auth = Base64.encode(Array("me:s3cr3t:with:colons".utf8))
        let legacy = Base64.encode(Array("old:pw".utf8))
        try writeConfig(#"{"auths":{"registry.example.com":{"auth":"\#(auth)"},"https://index.docker.io/v1/":{"identitytoken":"tok"},"https://legacy.example.com/v1/":{"auth":"\#(legacy)"}}}"#)
        XCTAssertEqual(try header("registry.example.com/team/app:1"),
                       #"{"username":"me","password":"s3cr3t:with:colons","serveraddress":"registry.example.com"}"#)
        XCTAssertEqual(try header("busybox"), #"{"serveraddress":"https://index.docker.io/v1/","identitytoken":"tok"}"#)
        XCTAssertEqual(try header("docker.io/library/busybox"), #"{"serveraddress":"https://index.docker.io/v1/","identitytoken":"tok"}"#)
        // An address stored as a URL serves its host (the CLI's file store fallback).
        XCTAssertEqual(try header("legacy.example.com/x"), #"{"username":"old","password":"pw","serveraddress":"https://legacy.example.com/v1/"}"#)
        XCTAssertEqual(RegistryCredentials.encodeHeader(try RegistryCredentials(environment: env).authConfig(for: "other.example.org")), "e30=")
    }

    func testNoConfigAtAll() throws {
        let c = try RegistryCredentials(environment: env)
        XCTAssertFalse(try c.authConfig(for: "127.0.0.1:5001").hasCredentials)
        XCTAssertEqual(RegistryCredentials.encodeRegistryConfig(try c.allCredentials()), "e30=")
    }

    func testStoreKeepsEverythingElseAndTheMode() throws {
        try writeConfig("{\"psFormat\": \"table {{.ID}}\", \"auths\": {\"a.example\": {\"auth\": \"eDp5\"}}, \"unknownKey\": [1, {\"x\": true}]}")
        chmod(dir + "/config.json", 0o640)
        let c = try RegistryCredentials(environment: env)
        XCTAssertTrue(try c.store(AuthConfig(username: "u", password: "p", serverAddress: "127.0.0.1:5001")), "plain text: the CLI warns")
        XCTAssertEqual(config(), """
            {
            \t"psFormat": "table {{.ID}}",
            \t"auths": {
            \t\t"a.example": {
            \t\t\t"auth": "eDp5"
            \t\t},
            \t\t"127.0.0.1:5001": {
            \t\t\t"auth": "dTpw"
            \t\t}
            \t},
            \t"unknownKey": [
            \t\t1,
            \t\t{
            \t\t\t"x": true
            \t\t}
            \t]
            }
            """)
        var st = stat()
        stat(dir + "/config.json", &st)
        XCTAssertEqual(st.st_mode & 0o777, 0o640)
        try c.erase("127.0.0.1:5001")
        XCTAssertFalse(config().contains("127.0.0.1:5001"))
        XCTAssertTrue(config().contains("a.example"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0 != "config.json" }
        XCTAssertEqual(leftovers, [], "no temporary file stays")
    }

    func testNewConfigIsPrivate() throws {
        let nested = dir + "/new/.docker"
        var e = env
        e["DOCKER_CONFIG"] = nested
        try RegistryCredentials(environment: e).store(AuthConfig(username: "u", password: "p", serverAddress: "r.example"))
        var st = stat()
        stat(nested + "/config.json", &st)
        XCTAssertEqual(st.st_mode & 0o777, 0o600)
        stat(nested, &st)
        XCTAssertEqual(st.st_mode & 0o777, 0o700)
    }

    func testCredsStoreHelperRoundTrip() throws {
        try writeConfig(#"{"auths":{},"credsStore":"dkstest"}"#)
        let c = try RegistryCredentials(environment: env)
        XCTAssertFalse(try c.store(AuthConfig(username: "ci", password: "hunter2-secret", serverAddress: "127.0.0.1:5001")))
        // The file keeps an entry without the secret, as the CLI's native store writes it.
        XCTAssertFalse(config().contains("hunter2"))
        XCTAssertTrue(config().contains("\"127.0.0.1:5001\": {}"))
        let helperFile = try String(contentsOfFile: dir + "/helper.json", encoding: .utf8)
        XCTAssertTrue(helperFile.contains("hunter2-secret"))
        XCTAssertEqual(try header("127.0.0.1:5001/app"), #"{"username":"ci","password":"hunter2-secret","serveraddress":"127.0.0.1:5001"}"#)
        let all = try RegistryCredentials(environment: env).allCredentials()
        XCTAssertEqual(all.map(\.0), ["127.0.0.1:5001"])
        XCTAssertEqual(all.first?.1.password, "hunter2-secret")
        try RegistryCredentials(environment: env).erase("127.0.0.1:5001")
        XCTAssertFalse(try RegistryCredentials(environment: env).authConfig(for: "127.0.0.1:5001").hasCredentials)
        XCTAssertFalse(config().contains("127.0.0.1:5001"))
        // No secret ever reached a helper's argv.
        let argv = try String(contentsOfFile: dir + "/helper.json.argv", encoding: .utf8)
        XCTAssertFalse(argv.contains("hunter2"))
        XCTAssertTrue(argv.contains(#"["store"]"#) || argv.contains(#""store"]"#))
    }

    func testCredHelpersPerRegistryAndIdentityTokens() throws {
        let auth = Base64.encode(Array("fileuser:filepw".utf8))
        try writeConfig(#"{"auths":{"b.example":{"auth":"\#(auth)"}},"credHelpers":{"a.example":"dkstest"}}"#)
        let c = try RegistryCredentials(environment: env)
        var token = AuthConfig(username: "u", serverAddress: "a.example")
        token.identityToken = "id-token"
        try c.store(token)
        XCTAssertEqual(try header("a.example/x"), #"{"serveraddress":"a.example","identitytoken":"id-token"}"#)
        XCTAssertEqual(try header("b.example/x"), #"{"username":"fileuser","password":"filepw","serveraddress":"b.example"}"#)
        let keys = try RegistryCredentials(environment: env).allCredentials().map(\.0).sorted()
        XCTAssertEqual(keys, ["a.example", "b.example"])
    }

    func testMissingHelperIsAnError() throws {
        try writeConfig(#"{"credsStore":"does-not-exist"}"#)
        XCTAssertThrowsError(try RegistryCredentials(environment: env).authConfig(for: "x.example")) { error in
            XCTAssertEqual("\(error)", #"exec: "docker-credential-does-not-exist": executable file not found in $PATH"#)
        }
    }

    func testDefaultStoreOnlyWithoutAnyConfiguration() throws {
        // A platform helper on PATH is used when config.json configures nothing (DetectDefaultStore).
        let bin = dir + "/bin"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: bin + "/docker-credential-secretservice",
                                                   withDestinationPath: helpers + "/docker-credential-dkstest")
        var e = env
        e["PATH"] = bin + ":/usr/bin:/bin"
        XCTAssertEqual(try RegistryCredentials(environment: e).helper(for: "r.example"), "secretservice")
        try writeConfig(#"{"auths":{"r.example":{}}}"#)
        XCTAssertNil(try RegistryCredentials(environment: e).helper(for: "r.example"))
    }

    func testConvertToHostnameAndKeys() {
        XCTAssertEqual(RegistryCredentials.convertToHostname("https://r.example:5000/v2/"), "r.example:5000")
        XCTAssertEqual(RegistryCredentials.convertToHostname("r.example/path"), "r.example")
        XCTAssertEqual(RegistryCredentials.configKey(forImage: "index.docker.io/library/busybox"), RegistryCredentials.indexServer)
        XCTAssertEqual(RegistryCredentials.configKey(forImage: "localhost/x"), "localhost")
        XCTAssertEqual(RegistryCredentials.configKey(forImage: "team/app"), RegistryCredentials.indexServer)
        let all = [("b", AuthConfig(username: "u", password: "p", serverAddress: "b")), ("a", AuthConfig())]
        XCTAssertEqual(String(decoding: Base64.decode(RegistryCredentials.encodeRegistryConfig(all)) ?? [], as: UTF8.self),
                       #"{"a":{},"b":{"username":"u","password":"p","serveraddress":"b"}}"#)
    }
}
