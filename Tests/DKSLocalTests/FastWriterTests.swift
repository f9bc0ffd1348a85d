// FastWriterTests: a container that writes faster than dks reads (`yes`) must not hold `logs -f`
// or `wait-log` past their deadline or an interrupt (they are checked on every record, not only
// once the reader caught up), and its log files never grow past `--log-opt max-size` / `max-file`.
import DKSEngine
import DKSLocal
import DKSSupport
import Foundation
import XCTest

final class FastWriterTests: LocalEngineTestCase {
    /// Small files: the writer rotates them all the time, so a reader is always behind.
    lazy var small = LocalEngine(stateDirectory: stateDirectory + "-small", maxLogFileBytes: 1 << 16)

    override func tearDown() {
        small.shutdown()
        try? FileManager.default.removeItem(atPath: stateDirectory + "-small")
        super.tearDown()
    }

    /// Runs `body` on a thread; returns its error and seconds, failing if it has not ended after `limit`.
    func timed(limit: Double = 20, _ body: @escaping () throws -> Void) -> (Error?, Double) {
        final class Outcome: @unchecked Sendable { var error: Error? }
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        let start = monotonicNanos()
        Thread {
            do { try body() } catch { outcome.error = error }
            done.signal()
        }.start()
        if done.wait(timeout: .now() + limit) == .timedOut {
            XCTFail("still running after \(limit)s")
            Interruption.request() // lets the thread end; tearDown's shutdown stops the writer
            _ = done.wait(timeout: .now() + 10)
            Interruption.clear()
        }
        return (outcome.error, Double(monotonicNanos() - start) / 1e9)
    }

    func testFollowOfAFastWriterEndsAtItsDeadline() throws {
        let id = try small.create(config(["yes"]))
        try small.start(id)
        var options = LogOptions()
        options.follow = true
        options.deadline = .after(seconds: 1)
        // A consumer slower than the writer: without a check per record it would never catch up.
        let (error, seconds) = timed { try self.small.logs(id, options: options) { _ in usleep(50); return .more } }
        XCTAssertEqual((error as? EngineError)?.kind, .timeout, "\(String(describing: error))")
        XCTAssertLessThan(seconds, 5)
        print("fast writer: logs -f with a 1 s deadline ended after \(String(format: "%.2f", seconds))s")
    }

    func testFollowOfAFastWriterEndsOnInterrupt() throws {
        let id = try small.create(config(["yes"]))
        try small.start(id)
        var options = LogOptions()
        options.follow = true
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.5) { Interruption.request() }
        let (error, seconds) = timed { try self.small.logs(id, options: options) { _ in usleep(50); return .more } }
        Interruption.clear()
        XCTAssertEqual((error as? EngineError)?.kind, .interrupted, "\(String(describing: error))")
        XCTAssertLessThan(seconds, 5)
    }

    func testWaitLogOnAFastWriterEndsAtItsDeadline() throws {
        // A pattern that backtracks on every line makes the matcher far slower than `yes`.
        let id = try engine.create(config(["yes", "aaaaaaaaaaaaaaaaaa"]))
        try engine.start(id)
        let (error, seconds) = timed { try self.engine.waitLog(id, pattern: "^(a|a)*c$", deadline: .after(seconds: 1)) }
        XCTAssertEqual((error as? EngineError)?.kind, .timeout, "\(String(describing: error))")
        XCTAssertLessThan(seconds, 5)
        print("fast writer: wait-log with a 1 s deadline ended after \(String(format: "%.2f", seconds))s")
    }

    func testLogFilesNeverExceedTheirCap() throws {
        var c = config(["yes", "a line of about forty bytes, repeated"])
        c.logOptions = [("max-size", "64k"), ("max-file", "3")]
        let id = try engine.create(c)
        try engine.start(id)
        let logPath = try XCTUnwrap(engine.inspect(id)["LogPath"]?.stringValue)
        let folder = URL(fileURLWithPath: logPath).deletingLastPathComponent().path
        XCTAssertEqual(try engine.inspect(id)["HostConfig"]?["LogConfig"]?["Config"]?["max-file"]?.stringValue, "3")
        var seen: Set<String> = []
        let until = Deadline.after(seconds: 1.5)
        while !until.hasPassed {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: folder))?.filter { $0.hasPrefix("container.log") } ?? []
            seen.formUnion(files)
            XCTAssertLessThanOrEqual(files.count, 3, "\(files)")
            for f in files {
                var st = stat()
                if lstat(folder + "/" + f, &st) == 0 { XCTAssertLessThanOrEqual(st.st_size, 64 << 10, f) }
            }
            usleep(5_000)
        }
        XCTAssertEqual(seen, ["container.log", "container.log.1", "container.log.2"], "rotated through three files")
        try engine.remove(id, force: true, volumes: false)
    }

    func testLogOptionsAreChecked() {
        for (key, value) in [("max-size", "lots"), ("max-file", "0"), ("compress", "true")] {
            var c = config(["true"])
            c.logOptions = [(key, value)]
            assertEngineError(.invalidArgument) { _ = try self.engine.create(c) }
        }
    }
}
