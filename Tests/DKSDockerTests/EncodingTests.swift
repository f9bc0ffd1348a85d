// EncodingTests: query escaping, filter documents, image reference splitting, time parameters.
import DKSEngine
import XCTest
@testable import DKSDocker

final class EncodingTests: XCTestCase {
    func testFiltersGroupByKeyInOrder() {
        let json = QueryEncoding.filtersJSON([("label", "a=b"), ("status", "running"), ("label", "dks.test=1"), ("label", "a=b")])
        XCTAssertEqual(json, #"{"label":{"a=b":true,"dks.test=1":true},"status":{"running":true}}"#)
    }

    func testNoFiltersNoItem() {
        XCTAssertTrue(QueryEncoding.filtersItem([]).isEmpty)
    }

    func testQueryValuesAreEscaped() {
        let q = QueryEncoding.encode([("filters", #"{"label":{"a=b":true}}"#), ("name", "x y&z")])
        XCTAssertEqual(q, "filters=%7B%22label%22%3A%7B%22a%3Db%22%3Atrue%7D%7D&name=x%20y%26z")
        XCTAssertEqual(QueryEncoding.escape("é"), "%C3%A9")
    }

    func testImageReferenceSplitting() {
        XCTAssertTrue(DockerEngine.splitImageReference("busybox") == ("busybox", "latest"))
        XCTAssertTrue(DockerEngine.splitImageReference("busybox:1.36") == ("busybox", "1.36"))
        XCTAssertTrue(DockerEngine.splitImageReference("127.0.0.1:5000/dks-test/busybox") == ("127.0.0.1:5000/dks-test/busybox", "latest"))
        XCTAssertTrue(DockerEngine.splitImageReference("127.0.0.1:5000/a/b:v2") == ("127.0.0.1:5000/a/b", "v2"))
        XCTAssertTrue(DockerEngine.splitImageReference("a/b@sha256:abc") == ("a/b@sha256:abc", nil))
    }

    func testRequestEncodingCarriesLengthAndUpgrade() {
        var r = DockerRequest(method: "POST", path: "/v1.41/exec/x/start", query: [("a", "1")], body: Array("{}".utf8))
        r.upgrade = true
        let text = String(decoding: r.encoded(host: "docker"), as: UTF8.self)
        XCTAssertTrue(text.hasPrefix("POST /v1.41/exec/x/start?a=1 HTTP/1.1\r\nHost: docker\r\n"))
        XCTAssertTrue(text.contains("Connection: Upgrade\r\nUpgrade: tcp\r\n"))
        XCTAssertTrue(text.hasSuffix("Content-Length: 2\r\n\r\n{}"))
    }

    func testErrorMappingAndAdvice() {
        let r = DockerRequest(method: "POST", path: "/v1.41/containers/create")
        let e = DockerErrors.map(status: 404, message: "No such image: foo:latest", request: r)
        XCTAssertEqual(e.kind, .notFound)
        XCTAssertEqual(e.message, "no such image: foo:latest; pull it first with 'pull foo:latest'")
        XCTAssertEqual(DockerErrors.map(status: 409, message: "x", request: r).kind, .conflict)
        XCTAssertEqual(DockerErrors.map(status: 400, message: "x", request: r).kind, .invalidArgument)
        XCTAssertEqual(DockerErrors.map(status: 500, message: "x", request: r).kind, .engine)
    }

    /// Docker 20.10 answers `unpause` of a running container with 500 where the other verbs on the
    /// wrong state get 409: every one of them is a Conflict in dks (issue 11 item 20).
    func testWrongStateIsAConflictWhateverTheStatus() {
        let r = DockerRequest(method: "POST", path: "/v1.41/containers/web/unpause")
        for message in ["Container 4bdd7c92 is not paused", "Container 4bdd7c92 is not running", "Container 4bdd7c92 is already paused",
                        "cannot start a paused container, try unpause instead", "Container 4bdd7c92 is restarting, wait until the container is running"] {
            XCTAssertEqual(DockerErrors.map(status: 500, message: message, request: r).kind, .conflict, message)
            XCTAssertEqual(DockerErrors.map(status: 409, message: message, request: r).kind, .conflict, message)
        }
        XCTAssertEqual(DockerErrors.map(status: 500, message: "driver failed", request: r).kind, .engine)
    }

    /// docker exec reports 126 for every exec it cannot start; dks keeps 127 for a missing command
    /// (as shells and docker run do), but a missing working directory is not that: 126.
    func testExecStartFailureExitCodes() {
        let prefix = "OCI runtime exec failed: exec failed: unable to start container process: "
        XCTAssertEqual(DockerEngine.startFailureExitCode(prefix + "chdir to cwd (\"/missing\") set in config.json failed: no such file or directory: unknown"), 126)
        XCTAssertEqual(DockerEngine.startFailureExitCode(prefix + "exec: \"nosuch\": executable file not found in $PATH: unknown"), 127)
        XCTAssertEqual(DockerEngine.startFailureExitCode(prefix + "exec: \"/etc/passwd\": permission denied: unknown"), 126)
        XCTAssertNil(DockerEngine.startFailureExitCode("something else"))
    }
}
