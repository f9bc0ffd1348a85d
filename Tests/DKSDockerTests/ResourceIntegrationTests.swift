// ResourceIntegrationTests: volumes, networks, images (pull from the loopback registry, tag, rmi),
// prune and cp, against the real daemon.
import DKSEngine
import DKSSupport
import Foundation
import XCTest
@testable import DKSDocker

final class ResourceIntegrationTests: DockerIntegrationCase {
    func unique(_ prefix: String) -> String { "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())" }

    func testVolumeLifecycleAndUseInContainer() throws {
        let name = unique("dks-test-vol")
        let created = try engine.createVolume(name: name, driver: nil, labels: [("dks.test", "1")])
        XCTAssertEqual(created["Name"]?.stringValue, name)
        defer { try? engine.removeVolume(name, force: true) }
        XCTAssertEqual(try engine.inspectVolume(name)["Labels"]?["dks.test"]?.stringValue, "1")
        XCTAssertTrue(try engine.volumes(filters: [("label", "dks.test=1")]).contains { $0["Name"]?.stringValue == name })
        let writer = try makeContainer(["sh", "-c", "echo persisted > /data/f"]) { $0.binds = ["\(name):/data"] }
        XCTAssertEqual(try engine.runAttached(writer) { _ in }, 0)
        let reader = try makeContainer(["cat", "/data/f"]) { $0.mounts = [Mount(type: "volume", source: name, target: "/data", readOnly: true)] }
        let out = Collected()
        XCTAssertEqual(try engine.runAttached(reader) { out.chunks.append($0) }, 0)
        XCTAssertEqual(out.stdout, "persisted\n")
        try engine.remove(writer, force: true, volumes: false)
        try engine.remove(reader, force: true, volumes: false)
        try engine.removeVolume(name, force: false)
        assertEngineError(.notFound) { _ = try engine.inspectVolume(name) }
    }

    func testNetworkLifecycle() throws {
        let name = unique("dks-test-net")
        let created: JSON
        do {
            created = try engine.createNetwork(name: name, driver: "bridge", labels: [("dks.test", "1")])
        } catch let error as EngineError {
            throw XCTSkip("this daemon cannot create bridge networks: \(error.message)")
        }
        defer { try? engine.removeNetwork(name) }
        XCTAssertNotNil(created["Id"]?.stringValue)
        XCTAssertEqual(try engine.inspectNetwork(name)["Name"]?.stringValue, name)
        XCTAssertTrue(try engine.networks(filters: [("label", "dks.test=1")]).contains { $0["Name"]?.stringValue == name })
        assertEngineError(.conflict) { _ = try engine.createNetwork(name: name, driver: nil, labels: []) }
        try engine.removeNetwork(name)
        assertEngineError(.notFound) { _ = try engine.inspectNetwork(name) }
    }

    func testImagesInspectTagRemove() throws {
        let image = try engine.inspectImage(DockerIntegrationCase.image)
        XCTAssertNotNil(image["Id"]?.stringValue)
        XCTAssertTrue(try engine.images(all: false, filters: [("reference", "dks-test/busybox")]).count >= 1)
        let repo = unique("dks-test/tagged")
        try engine.tag(DockerIntegrationCase.image, repository: repo, tag: "v1")
        XCTAssertEqual(try engine.inspectImage("\(repo):v1")["Id"], image["Id"])
        let removed = try engine.removeImage("\(repo):v1", force: false)
        XCTAssertTrue(removed.contains { $0["Untagged"]?.stringValue == "\(repo):v1" }, "\(removed)")
        assertEngineError(.notFound) { _ = try engine.inspectImage("\(repo):v1") }
        do {
            _ = try engine.inspectImage("dks-test/absent:nope")
        } catch let error as EngineError {
            XCTAssertEqual(error.kind, .notFound)
            XCTAssertTrue(error.message.contains("pull it first"), error.message)
        }
    }

    func testPullFromLoopbackRegistry() throws {
        let registry = "127.0.0.1:5000/dks-test/busybox"
        guard registryAnswers() else {
            throw XCTSkip("no registry on 127.0.0.1:5000; run scripts/docker-up")
        }
        _ = try? engine.removeImage(registry + ":latest", force: true)
        var progress: [JSON] = []
        try engine.pull(registry, onProgress: { progress.append($0) })
        XCTAssertFalse(progress.isEmpty)
        XCTAssertTrue(progress.contains { ($0["status"]?.stringValue ?? "").contains("Status") || ($0["status"]?.stringValue ?? "").contains("Pulling") }, "\(progress)")
        XCTAssertNotNil(try engine.inspectImage(registry + ":latest")["Id"])
        do {
            try engine.pull("127.0.0.1:5000/dks-test/absent:nope", onProgress: { _ in })
            XCTFail("pulled a missing image")
        } catch let error as EngineError {
            XCTAssertEqual(error.kind, .notFound, error.message)
        }
    }

    private func registryAnswers() -> Bool {
        let client = DockerHTTPClient(endpoint: DockerEndpoint(transport: .tcp(host: "127.0.0.1", port: 5000)), trace: nil, requestTimeout: 2)
        defer { client.pool.shutdown() }
        return (try? client.call(DockerRequest(method: "GET", path: "/v2/")).status) == 200
    }

    func testPruneContainersKeepsRunningOnes() throws {
        let run = DockerIntegrationCase.runID
        let running = try makeContainer(["sleep", "100"], start: true) { $0.labels.append(("dks.prune", run)) }
        let stopped = try makeContainer(["true"]) { $0.labels.append(("dks.prune", run)) }
        let result = try engine.prune("containers", filters: [("label", "dks.prune=\(run)")])
        XCTAssertTrue(result.deleted.contains(stopped))
        XCTAssertFalse(result.deleted.contains(running))
        XCTAssertEqual(try state(running)["Running"]?.boolValue, true)
        XCTAssertGreaterThanOrEqual(result.spaceReclaimed, 0)
        _ = try engine.prune("volumes", filters: [("label", "dks.prune=nothing")])
        _ = try engine.prune("networks", filters: [("label", "dks.prune=nothing")])
        _ = try engine.prune("images", filters: [("label", "dks.prune=nothing")])
        assertEngineError(.invalidArgument) { _ = try engine.prune("everything", filters: []) }
    }

    func testCopyInAndOut() throws {
        let id = try makeContainer(["sleep", "100"], start: true)
        // The archive goes in pieces (chunked transfer encoding): split it at awkward places.
        let archive = TinyTar.archive([("hello.txt", "hello from the host\n")])
        try engine.copyIn(id, path: "/tmp") { write in
            try write(Array(archive[0..<7]))
            try write(Array(archive[7..<600]))
            try write(Array(archive[600...]))
        }
        let (_, out) = try exec(id, ["cat", "/tmp/hello.txt"])
        XCTAssertEqual(out.stdout, "hello from the host\n")
        _ = try exec(id, ["sh", "-c", "echo made inside > /tmp/inside.txt"])
        var received: [UInt8] = []
        var seen: ContainerPathStat?
        try engine.copyOut(id, path: "/tmp/inside.txt") { stat, read in
            seen = stat
            while let piece = try read() { received += piece }
        }
        XCTAssertEqual(TinyTar.extract(received, name: "inside.txt"), "made inside\n")
        XCTAssertEqual(seen?.name, "inside.txt")
        XCTAssertEqual(seen?.isRegular, true)
        assertEngineError(.notFound) { try engine.copyOut(id, path: "/no/such/path") { _, _ in XCTFail("no archive expected") } }
    }

    func testStatPathDescribesWithoutFollowingAndNamesWhatIsMissing() throws {
        let id = try makeContainer(["sleep", "100"], start: true)
        _ = try exec(id, ["sh", "-c", "mkdir -p /tmp/d && ln -s /tmp/d /tmp/l"])
        let dir = try engine.statPath(id, path: "/tmp/d")
        XCTAssertTrue(dir.isDirectory)
        let link = try engine.statPath(id, path: "/tmp/l")
        XCTAssertTrue(link.isSymlink)
        XCTAssertFalse(link.isDirectory)
        XCTAssertEqual(link.linkTarget, "/tmp/d")
        do {
            _ = try engine.statPath(id, path: "/tmp/none")
            XCTFail("expected NotFound")
        } catch let e as EngineError {
            XCTAssertEqual(e.kind, .notFound)
            XCTAssertTrue(e.message.contains("could not find the file /tmp/none"), e.message)
        }
        do {
            _ = try engine.statPath("dks-no-such-container-\(getpid())", path: "/")
            XCTFail("expected NotFound")
        } catch let e as EngineError {
            XCTAssertEqual(e.kind, .notFound)
            XCTAssertTrue(e.message.lowercased().contains("no such container"), e.message)
        }
    }

    func testCopyInRefusedByTheDaemonReportsItsMessage() throws {
        let id = try makeContainer(["sleep", "100"], start: true)
        let archive = TinyTar.archive([("x.txt", "x\n")])
        do {
            try engine.copyIn(id, path: "/no/such/dir") { write in try write(archive) }
            XCTFail("expected an error")
        } catch let e as EngineError {
            XCTAssertEqual(e.kind, .notFound, e.message)
        }
    }
}
