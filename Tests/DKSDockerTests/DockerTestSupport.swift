// DockerTestSupport: the shared base of integration tests: daemon check (XCTSkip), the test image,
// labelled containers removed in tearDown, output collection and a tiny tar writer.
import DKSDocker
import DKSEngine
import DKSSupport
import Foundation
import XCTest

class DockerIntegrationCase: XCTestCase {
    static let image = "dks-test/busybox:latest"
    static let endpoint: DockerEndpoint = (try? DockerEndpoint.resolve(hostOverride: nil, environment: ProcessInfo.processInfo.environment))
        ?? .defaultSocket
    static let shared = DockerEngine(endpoint: endpoint)
    static let daemonUp = DockerEngine.ping(endpoint, timeout: 1)
    /// Each test process labels its containers with its own run id, so parallel runs (CI, other
    /// worktrees on the same daemon) never remove each other's containers.
    static let runID = UUID().uuidString.lowercased()
    static let runLabel = ("dks.test.run", runID)

    var engine: DockerEngine { DockerIntegrationCase.shared }
    /// "docker", or "podman" when the tests run against Podman's compatible API (scripts/test-podman).
    static let kind: String = daemonUp ? ((try? shared.info().kind) ?? "docker") : "docker"
    var onPodman: Bool { DockerIntegrationCase.kind == "podman" }

    /// Podman's health checks run from systemd timers, which this machine lacks: no check ever
    /// runs, and inspecting such a container does not answer (docs/containers.md, "Engines").
    func skipHealthChecksOnPodman() throws {
        if onPodman { throw XCTSkip("Podman 4.3 runs health checks through systemd timers, which this machine lacks") }
    }

    override func setUpWithError() throws {
        guard DockerIntegrationCase.daemonUp else {
            throw XCTSkip("no Docker daemon answers at \(DockerIntegrationCase.endpoint); run scripts/docker-up")
        }
        Interruption.clear()
    }

    override func tearDown() {
        Interruption.clear()
        guard DockerIntegrationCase.daemonUp else { return }
        for c in (try? engine.list(all: true, filters: [("label", "dks.test.run=\(DockerIntegrationCase.runID)")])) ?? [] {
            if let id = c["Id"]?.stringValue { try? engine.remove(id, force: true, volumes: true) }
        }
    }

    /// A labelled container of the test image running `cmd`.
    func makeContainer(_ cmd: [String], start: Bool = false, _ configure: (inout ContainerConfig) -> Void = { _ in }) throws -> String {
        var config = ContainerConfig(image: DockerIntegrationCase.image)
        config.cmd = cmd
        config.labels = [("dks.test", "1"), DockerIntegrationCase.runLabel]
        configure(&config)
        let id = try engine.create(config)
        if start { try engine.start(id) }
        return id
    }

    func state(_ id: String) throws -> JSON { try engine.inspect(id)["State"] ?? .null }

    /// Waits until `program` runs in the container (docker top lists it): a signal sent to a
    /// container started with `--init` before docker-init has started its child can find init
    /// without its handlers yet, and is lost.
    func waitForProcess(_ id: String, _ program: String, seconds: Double = 10) throws {
        let deadline = Deadline.after(seconds: seconds)
        while !deadline.hasPassed {
            let rows = try engine.top(id, psArgs: nil)["Processes"]?.arrayValue ?? []
            if rows.contains(where: { row in (row.arrayValue ?? []).contains { $0.stringValue?.contains(program) == true } }) { return }
            usleep(20_000)
        }
        XCTFail("\(program) did not start in \(id.prefix(12)) within \(seconds) s")
    }

    /// stdout and stderr as "O:..." / "E:..." pieces, and the plain texts.
    final class Collected {
        var chunks: [OutputChunk] = []
        var stdout: String { text(.stdout) }
        var stderr: String { text(.stderr) }
        var all: String { String(decoding: chunks.flatMap(\.bytes), as: UTF8.self) }
        func text(_ kind: StreamKind) -> String { String(decoding: chunks.filter { $0.stream == kind }.flatMap(\.bytes), as: UTF8.self) }
    }

    func logs(_ id: String, _ configure: (inout LogOptions) -> Void = { _ in }) throws -> Collected {
        var options = LogOptions()
        configure(&options)
        let collected = Collected()
        try engine.logs(id, options: options) { collected.chunks.append($0); return .more }
        return collected
    }

    func exec(_ id: String, _ cmd: [String], _ configure: (inout ExecConfig) -> Void = { _ in }) throws -> (Int?, Collected) {
        var config = ExecConfig(cmd: cmd)
        configure(&config)
        let collected = Collected()
        let code = try engine.exec(id, config) { collected.chunks.append($0) }
        return (code, collected)
    }

    func assertEngineError(_ kind: EngineError.Kind, file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Void) {
        do {
            try body()
            XCTFail("expected \(kind)", file: file, line: line)
        } catch let error as EngineError {
            XCTAssertEqual(error.kind, kind, "\(error.message)", file: file, line: line)
        } catch {
            XCTFail("unexpected \(error)", file: file, line: line)
        }
    }
}

/// A minimal ustar writer for `copyIn` tests.
enum TinyTar {
    static func archive(_ files: [(name: String, contents: String)]) -> [UInt8] {
        var out: [UInt8] = []
        for file in files {
            let data = Array(file.contents.utf8)
            var header = [UInt8](repeating: 0, count: 512)
            func put(_ text: String, at offset: Int) { for (i, b) in text.utf8.enumerated() { header[offset + i] = b } }
            func octal(_ value: Int, width: Int) -> String {
                let s = String(value, radix: 8)
                return String(repeating: "0", count: width - 1 - s.count) + s
            }
            put(file.name, at: 0)
            put(octal(0o644, width: 8), at: 100)
            put(octal(0, width: 8), at: 108)
            put(octal(0, width: 8), at: 116)
            put(octal(data.count, width: 12), at: 124)
            put(octal(1_700_000_000, width: 12), at: 136)
            put("        ", at: 148)
            header[156] = UInt8(ascii: "0")
            put("ustar", at: 257)
            put("00", at: 263)
            let sum = header.reduce(0) { $0 + Int($1) }
            put(octal(sum, width: 7), at: 148)
            header[155] = 32
            out += header
            out += data
            out += [UInt8](repeating: 0, count: (512 - data.count % 512) % 512)
        }
        out += [UInt8](repeating: 0, count: 1024)
        return out
    }

    /// The contents of `name` in a ustar archive, if present.
    static func extract(_ tar: [UInt8], name: String) -> String? {
        var offset = 0
        while offset + 512 <= tar.count {
            let header = Array(tar[offset..<(offset + 512)])
            if header.allSatisfy({ $0 == 0 }) { return nil }
            let entryName = String(decoding: header[0..<100].prefix { $0 != 0 }, as: UTF8.self)
            let sizeText = String(decoding: header[124..<136].prefix { $0 != 0 && $0 != 32 }, as: UTF8.self)
            let size = Int(sizeText, radix: 8) ?? 0
            let start = offset + 512
            if entryName == name || entryName.hasSuffix("/" + name) {
                return String(decoding: tar[start..<min(tar.count, start + size)], as: UTF8.self)
            }
            offset = start + (size + 511) / 512 * 512
        }
        return nil
    }
}
