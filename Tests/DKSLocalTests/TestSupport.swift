// TestSupport: a fresh LocalEngine per test in a private temporary folder, and small helpers.
// Must not: leave processes or folders behind (tearDown shuts the engine down).
import DKSEngine
import DKSLocal
import DKSSupport
import Foundation
import XCTest

class LocalEngineTestCase: XCTestCase {
    // XCTest makes one instance per test method, so each test gets its own folder and engine.
    let stateDirectory = NSTemporaryDirectory() + "dks-local-tests-\(getpid())-\(UUID().uuidString.prefix(8))"
    lazy var engine = LocalEngine(stateDirectory: stateDirectory)

    override func setUp() {
        super.setUp()
        Interruption.clear()
    }

    override func tearDown() {
        engine.shutdown()
        try? FileManager.default.removeItem(atPath: stateDirectory)
        super.tearDown()
    }

    func config(_ argv: [String], name: String? = nil) -> ContainerConfig {
        var c = ContainerConfig(image: "busybox")
        c.cmd = argv
        c.name = name
        return c
    }

    func sh(_ script: String, name: String? = nil) -> ContainerConfig { config(["/bin/sh", "-c", script], name: name) }

    /// Creates and starts; returns the id.
    func started(_ c: ContainerConfig) throws -> String {
        let id = try engine.create(c)
        try engine.start(id)
        return id
    }

    func status(_ ref: String) throws -> String { try engine.inspect(ref)["State"]?["Status"]?.stringValue ?? "?" }
    func exitCode(_ ref: String) throws -> Int64 { try engine.inspect(ref)["State"]?["ExitCode"]?.intValue ?? -999 }
    func pid(_ ref: String) throws -> Int32 { Int32(try engine.inspect(ref)["State"]?["Pid"]?.intValue ?? 0) }

    /// Polls `condition` every 20 ms until it holds or `seconds` pass.
    func eventually(_ seconds: Double = 5, _ what: String = "condition", file: StaticString = #filePath, line: UInt = #line,
                    _ condition: () throws -> Bool) rethrows {
        let deadline = Deadline.after(seconds: seconds)
        while !deadline.hasPassed {
            if try condition() { return }
            usleep(20_000)
        }
        XCTFail("timed out waiting for \(what)", file: file, line: line)
    }

    /// Logs as text, per options.
    func logText(_ ref: String, _ configure: (inout LogOptions) -> Void = { _ in }) throws -> String {
        var options = LogOptions()
        configure(&options)
        var out: [UInt8] = []
        try engine.logs(ref, options: options) { chunk in
            // The engine hands times over in the chunk; callers print them as `docker logs -t` does.
            if options.timestamps {
                guard let t = chunk.timestamp else { XCTFail("a timestamped chunk has no time"); return .stop }
                out += Array((formatRFC3339(t) + " ").utf8)
            }
            out += chunk.bytes
            return .more
        }
        return String(decoding: out, as: UTF8.self)
    }

    func assertEngineError(_ kind: EngineError.Kind, file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Void) {
        do {
            try body()
            XCTFail("expected \(kind.rawValue)", file: file, line: line)
        } catch let e as EngineError {
            XCTAssertEqual(e.kind, kind, "\(e.message)", file: file, line: line)
        } catch {
            XCTFail("unexpected error \(error)", file: file, line: line)
        }
    }

    func processExists(_ pid: Int32) -> Bool { pid > 0 && kill(pid, 0) == 0 }
}
