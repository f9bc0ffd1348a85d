// UnexpectedStatusTests: a status the client does not expect is never success (issue 11 item 11).
// The daemon's router answers a path it would spell differently (`/containers/%2Fweb`) with a 301;
// dks used to take every status below 400 for success, so `rm -f "/web"` "worked" and removed
// nothing. Every call against a fake daemon that redirects (or answers another unexpected status)
// must now raise; 304 stays a success only where the API documents it (start, stop).
import DKSEngine
import DKSSupport
import Foundation
import XCTest
@testable import DKSDocker

final class UnexpectedStatusTests: FakeDaemonTestCase {
    override class var directoryPrefix: String { "dks-status-" }

    /// An engine whose daemon answers every route but /version and /_ping with `status` (and an empty body).
    private func engine(answering status: String, extraHeaders: String = "") throws -> DockerEngine {
        let daemon = try FakeDaemon(path: socketPath) { request, fd, _ in
            if request.route == "/version" || request.route == "/_ping" { return nil }
            return FakeDaemon.respond(fd, "HTTP/1.1 \(status)\r\n\(extraHeaders)Content-Length: 0\r\n\r\n")
        }
        daemons.append(daemon)
        return DockerEngine(endpoint: DockerEndpoint(transport: .unix(path: socketPath)), requestTimeout: 2)
    }

    /// Every plain engine call, by name.
    private func calls(_ e: DockerEngine) -> [(String, () throws -> Void)] {
        [
            ("start", { try e.start("web") }),
            ("stop", { try e.stop("web", timeout: 1) }),
            ("restart", { try e.restart("web", timeout: 1) }),
            ("kill", { try e.kill("web", signal: nil) }),
            ("pause", { try e.pause("web") }),
            ("unpause", { try e.unpause("web") }),
            ("rename", { try e.rename("web", to: "w2") }),
            ("remove", { try e.remove("web", force: true, volumes: false) }),
            ("inspect", { _ = try e.inspect("web") }),
            ("list", { _ = try e.list(all: true, filters: []) }),
            ("top", { _ = try e.top("web", psArgs: nil) }),
            ("create", { _ = try e.create(ContainerConfig(image: "busybox")) }),
            ("tag", { try e.tag("busybox", repository: "x", tag: "1") }),
            ("removeImage", { _ = try e.removeImage("busybox", force: false) }),
            ("removeVolume", { try e.removeVolume("v", force: false) }),
            ("removeNetwork", { try e.removeNetwork("n") }),
            ("statPath", { _ = try e.statPath("web", path: "/") }),
            ("copyIn", { try e.copyIn("web", path: "/") { write in try write([UInt8](repeating: 0, count: 1024)) } }),
        ]
    }

    func testRedirectsAreErrorsForEveryCall() throws {
        for status in ["301 Moved Permanently", "302 Found", "307 Temporary Redirect", "308 Permanent Redirect"] {
            let e = try engine(answering: status, extraHeaders: "Location: /v1.41/containers/web\r\n")
            for (name, call) in calls(e) {
                do {
                    try call()
                    XCTFail("\(name) took \(status) for success")
                } catch let error as EngineError {
                    XCTAssertEqual(error.kind, .engine, "\(name): \(error.message)")
                    XCTAssertTrue(error.message.contains(String(status.prefix(3))), "\(name): \(error.message)")
                    XCTAssertTrue(error.message.contains("nothing was done"), "\(name): \(error.message)")
                }
            }
            daemons.last?.stop()
        }
    }

    func testNotModifiedIsSuccessOnlyWhereTheAPISaysSo() throws {
        let e = try engine(answering: "304 Not Modified")
        XCTAssertNoThrow(try e.start("web"))
        XCTAssertNoThrow(try e.stop("web", timeout: 1))
        for (name, call) in calls(e) where !["start", "stop"].contains(name) {
            XCTAssertThrowsError(try call(), "\(name) took 304 for success")
        }
    }

    func testOtherSuccessStatusesStillWork() throws {
        let e = try engine(answering: "204 No Content")
        XCTAssertNoThrow(try e.pause("web"))
        XCTAssertNoThrow(try e.remove("web", force: true, volumes: false))
    }
}
