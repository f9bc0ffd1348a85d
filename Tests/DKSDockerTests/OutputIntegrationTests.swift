// OutputIntegrationTests: runAttached, exec and logs against the real daemon: ordering, exit codes,
// demultiplexing, log options, large outputs and interruption.
import DKSDocker
import DKSEngine
import DKSSupport
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

final class OutputIntegrationTests: DockerIntegrationCase {
    func testRunAttachedOrderAndExitCodeWithAutoRemove() throws {
        let id = try makeContainer(["sh", "-c", "echo one; sleep 0.1; echo two >&2; sleep 0.1; echo three; exit 3"]) { $0.autoRemove = true }
        let collected = Collected()
        let code = try engine.runAttached(id) { collected.chunks.append($0) }
        XCTAssertEqual(code, 3)
        XCTAssertEqual(collected.all, "one\ntwo\nthree\n")
        XCTAssertEqual(collected.stdout, "one\nthree\n")
        XCTAssertEqual(collected.stderr, "two\n")
        // Auto-remove happens right after the exit.
        let deadline = Deadline.after(seconds: 10)
        while !deadline.hasPassed, (try? engine.inspect(id)) != nil { try interruptibleSleep(seconds: 0.05) }
        assertEngineError(.notFound) { _ = try engine.inspect(id) }
    }

    func testRunAttachedQuickExitLosesNothing() throws {
        for i in 0..<5 {
            let id = try makeContainer(["echo", "fast \(i)"]) { $0.autoRemove = true }
            let collected = Collected()
            XCTAssertEqual(try engine.runAttached(id) { collected.chunks.append($0) }, 0)
            XCTAssertEqual(collected.stdout, "fast \(i)\n")
        }
    }

    func testRunAttachedWithTTYIsRaw() throws {
        let id = try makeContainer(["sh", "-c", "echo tty; echo err >&2"]) { $0.tty = true }
        let collected = Collected()
        XCTAssertEqual(try engine.runAttached(id) { collected.chunks.append($0) }, 0)
        XCTAssertEqual(collected.stdout.replacingOccurrences(of: "\r\n", with: "\n"), "tty\nerr\n")
    }

    func testExecExitCodes() throws {
        let id = try makeContainer(["sleep", "100"], start: true)
        XCTAssertEqual(try exec(id, ["true"]).0, 0)
        XCTAssertEqual(try exec(id, ["sh", "-c", "exit 42"]).0, 42)
        let (code, out) = try exec(id, ["/no/such/command"])
        XCTAssertEqual(code, 127, out.all)
        XCTAssertEqual(try exec(id, ["sleep", "30"]) { $0.detach = true }.0, nil)
    }

    func testExecEnvWorkdirUserAndDemux() throws {
        let id = try makeContainer(["sleep", "100"], start: true)
        let (code, out) = try exec(id, ["sh", "-c", "echo $GREETING; pwd; id -un; echo oops >&2"]) {
            $0.env = ["GREETING=hello there"]
            $0.workingDir = "/tmp"
            $0.user = "nobody"
        }
        XCTAssertEqual(code, 0)
        XCTAssertEqual(out.stdout, "hello there\n/tmp\nnobody\n")
        XCTAssertEqual(out.stderr, "oops\n")
        let (_, tty) = try exec(id, ["sh", "-c", "echo a; echo b >&2"]) { $0.tty = true }
        XCTAssertEqual(tty.stderr, "")
        XCTAssertEqual(tty.stdout.replacingOccurrences(of: "\r\n", with: "\n"), "a\nb\n")
    }

    func testExecInStoppedContainerIsConflict() throws {
        let id = try makeContainer(["true"])
        assertEngineError(.conflict) { _ = try exec(id, ["true"]) }
    }

    func testLogsTailTimestampsAndStreams() throws {
        let id = try makeContainer(["sh", "-c", "echo a; sleep 0.05; echo b >&2; sleep 0.05; echo c"], start: true)
        XCTAssertEqual(try engine.wait(id, condition: .notRunning, deadline: .after(seconds: 10)), 0)
        XCTAssertEqual(try logs(id).all.split(separator: "\n").sorted(), ["a", "b", "c"])
        XCTAssertEqual(try logs(id) { $0.tail = 0 }.all, "")
        XCTAssertEqual(try logs(id) { $0.tail = 1 }.all, "c\n")
        XCTAssertEqual(try logs(id) { $0.stderr = false }.all, "a\nc\n")
        XCTAssertEqual(try logs(id) { $0.stdout = false }.all, "b\n")
        let stamped = try logs(id) { $0.timestamps = true }
        XCTAssertEqual(stamped.chunks.count, 3)
        let now = Date().timeIntervalSince1970
        for chunk in stamped.chunks {
            XCTAssertEqual(chunk.timestamp ?? 0, now, accuracy: 60)
            XCTAssertEqual(chunk.bytes.count, 2)
        }
    }

    func testLogsSinceUntil() throws {
        let id = try makeContainer(["sh", "-c", "echo early; sleep 1.5; echo late"], start: true)
        XCTAssertEqual(try engine.wait(id, condition: .notRunning, deadline: .after(seconds: 10)), 0)
        let stamped = try logs(id) { $0.timestamps = true }
        guard stamped.chunks.count == 2, let t0 = stamped.chunks[0].timestamp, let t1 = stamped.chunks[1].timestamp else {
            return XCTFail("expected two stamped lines, got \(stamped.all)")
        }
        let middle = TimePoint(unix: (t0 + t1) / 2)
        XCTAssertEqual(try logs(id) { $0.since = middle }.all, "late\n")
        XCTAssertEqual(try logs(id) { $0.until = middle }.all, "early\n")
        // The daemon's own timestamp text, nanoseconds and all, comes back as it was sent.
        let text = try XCTUnwrap(stamped.chunks[1].timestampText)
        XCTAssertEqual(text.count, 30, text)
        let exact = try XCTUnwrap(PreciseTime.parseRFC3339(text))
        XCTAssertEqual(exact.rfc3339, text)
        XCTAssertEqual(try logs(id) { $0.since = TimePoint(time: exact, parameter: exact.apiParameter) }.all, "late\n")
    }

    func testLogsFollowUntilExitAndStopEarly() throws {
        let id = try makeContainer(["sh", "-c", "for i in 1 2 3; do echo $i; sleep 0.2; done"], start: true)
        let followed = try logs(id) { $0.follow = true }
        XCTAssertEqual(followed.all, "1\n2\n3\n")
        let forever = try makeContainer(["sh", "-c", "while true; do echo tick; sleep 0.05; done"], start: true)
        var seen = 0
        var options = LogOptions()
        options.follow = true
        try engine.logs(forever, options: options) { _ in seen += 1; return seen >= 3 ? .stop : .more }
        XCTAssertEqual(seen, 3)
        // The pool must still work after a stream was cut short.
        XCTAssertEqual(try state(forever)["Running"]?.boolValue, true)
    }

    func testFollowOnQuietContainerEndsAtDeadline() throws {
        let id = try makeContainer(["sleep", "100"], start: true)
        let started = monotonicNanos()
        assertEngineError(.timeout) { _ = try logs(id) { $0.follow = true; $0.deadline = .after(seconds: 0.5) } }
        XCTAssertLessThan(Double(monotonicNanos() - started) / 1e9, 3)
    }

    func testInterruptionEndsFollowPromptly() throws {
        let id = try makeContainer(["sleep", "100"], start: true)
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { Interruption.request() }
        let started = monotonicNanos()
        assertEngineError(.interrupted) { _ = try logs(id) { $0.follow = true } }
        XCTAssertLessThan(Double(monotonicNanos() - started) / 1e9, 3)
        Interruption.clear()
        XCTAssertEqual(try state(id)["Running"]?.boolValue, true)
    }

    /// Resident memory in bytes (Linux), for the bounded-memory check.
    func residentBytes() -> Int {
        // Under AddressSanitizer (scripts/sanitize sets DKS_SANITIZER=address) freed blocks stay in
        // ASan's quarantine (256 MiB), so resident memory stops measuring what is held: use the live
        // heap bytes ASan reports instead. Normal runs measure resident memory.
        if let live = sanitizerLiveHeapBytes() { return live }
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kb = Int(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kb * 1024
    }

    func testHundredMegabytesOfLogsStreamWithBoundedMemory() throws {
        let size = 100 << 20
        let id = try makeContainer(["sh", "-c", "head -c \(size) /dev/zero | tr '\\0' 'x'"], start: true)
        XCTAssertEqual(try engine.wait(id, condition: .notRunning, deadline: .after(seconds: 120)), 0)
        var total = 0
        var largest = 0
        let before = residentBytes()
        var peak = before
        var options = LogOptions()
        options.stderr = false
        try engine.logs(id, options: options) { chunk in
            total += chunk.bytes.count
            largest = max(largest, chunk.bytes.count)
            // A slow consumer: without backpressure the daemon would fill our memory meanwhile.
            if total == chunk.bytes.count { Thread.sleep(forTimeInterval: 1); peak = max(peak, self.residentBytes()) }
            if total % (8 << 20) < chunk.bytes.count { peak = max(peak, self.residentBytes()) }
            return .more
        }
        XCTAssertEqual(total, size)
        XCTAssertLessThanOrEqual(largest, 1 << 20)
        XCTAssertLessThan(peak - before, 40 << 20, "resident memory grew by \((peak - before) >> 20) MiB while streaming")
    }
}

final class StartFailureIntegrationTests: DockerIntegrationCase {
    func testRunAttachedMissingCommandGives127WithMessage() throws {
        let id = try makeContainer(["/no/such/binary"]) { $0.autoRemove = false }
        let collected = Collected()
        XCTAssertEqual(try engine.runAttached(id) { collected.chunks.append($0) }, 127)
        XCTAssertTrue(collected.stderr.contains("no such file"), collected.stderr)
    }
}

/// The heap bytes allocated and not yet freed, under AddressSanitizer only (nil otherwise).
func sanitizerLiveHeapBytes() -> Int? {
    guard ProcessInfo.processInfo.environment["DKS_SANITIZER"] == "address",
          let symbol = dlsym(nil, "__sanitizer_get_current_allocated_bytes") else { return nil }
    return unsafeBitCast(symbol, to: (@convention(c) () -> Int).self)()
}
