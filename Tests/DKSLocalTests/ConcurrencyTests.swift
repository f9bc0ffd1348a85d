// ConcurrencyTests: the engine used from several threads at once (as `parallel` will).
import DKSEngine
import DKSLocal
import DKSSupport
import Foundation
import XCTest

final class ConcurrencyTests: LocalEngineTestCase {
    func testParallelRunsExecsAndRemovals() throws {
        let engine = self.engine
        let failures = NSLock()
        var problems: [String] = []
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            do {
                for round in 0..<5 {
                    var c = ContainerConfig(image: "busybox")
                    c.cmd = ["/bin/sh", "-c", "echo \(worker)-\(round); exit \(round)"]
                    c.name = "w\(worker)-r\(round)"
                    let id = try engine.create(c)
                    var out = ""
                    let code = try engine.runAttached(id) { out += String(decoding: $0.bytes, as: UTF8.self) }
                    if code != round || out != "\(worker)-\(round)\n" { throw EngineError(.engine, "run \(worker)/\(round): \(code) \(out)") }
                    var s = ContainerConfig(image: "busybox")
                    s.cmd = ["sleep", "30"]
                    let sleeper = try engine.create(s)
                    try engine.start(sleeper)
                    var text = ""
                    let e = try engine.exec(sleeper, ExecConfig(cmd: ["echo", "x\(worker)"])) { text += String(decoding: $0.bytes, as: UTF8.self) }
                    if e != 0 || text != "x\(worker)\n" { throw EngineError(.engine, "exec \(worker)/\(round): \(String(describing: e)) \(text)") }
                    _ = try engine.list(all: true, filters: [("name", "w\(worker)")])
                    try engine.remove(sleeper, force: true, volumes: false)
                    try engine.remove(id, force: false, volumes: false)
                }
            } catch {
                failures.lock()
                problems.append("\(error)")
                failures.unlock()
            }
        }
        XCTAssertEqual(problems, [])
        XCTAssertEqual(try engine.list(all: true, filters: []).count, 0)
    }

    func testNoDescriptorOrThreadLeaks() throws {
        func openDescriptors() -> Int { (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0 }
        func threads() -> Int { (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task").count) ?? 0 }
        // Warm up lazily created state (the engine's folder, Foundation's caches).
        _ = try engine.runAttached(try engine.create(config(["true"]))) { _ in }
        usleep(200_000)
        let fdsBefore = openDescriptors()
        let threadsBefore = threads()
        for _ in 0..<10 {
            var c = sh("echo hi; sleep 30")
            c.healthCheck = HealthCheck(test: ["CMD", "true"], interval: 0.05, timeout: 1, retries: 1)
            let id = try started(c)
            _ = try engine.exec(id, ExecConfig(cmd: ["true"])) { _ in }
            _ = try logText(id)
            try engine.stop(id, timeout: 1)
            try engine.remove(id, force: false, volumes: false)
            let once = try engine.create(config(["echo", "x"]))
            _ = try engine.runAttached(once) { _ in }
            try engine.remove(once, force: false, volumes: false)
        }
        usleep(300_000)
        XCTAssertLessThanOrEqual(openDescriptors(), fdsBefore + 2, "descriptors leaked")
        XCTAssertLessThanOrEqual(threads(), threadsBefore + 2, "threads leaked")
    }
}
