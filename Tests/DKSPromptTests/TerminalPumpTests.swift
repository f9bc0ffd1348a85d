// TerminalPumpTests: the pump copies keys to the stream and output to the terminal, stops when
// the stream ends, and detaches on Ctrl-P Ctrl-Q (over pipes: no terminal needed).
import XCTest
#if canImport(Glibc)
import Glibc
#endif
import DKSSupport
@testable import DKSPrompt

/// Echoes what it is sent, upper-cased, and ends after it sees "bye".
final class EchoStream: InteractiveStream, @unchecked Sendable {
    private let lock = Lock()
    private var pending: [[UInt8]] = []
    private var ended = false
    private(set) var received: [UInt8] = []
    func write(_ bytes: [UInt8]) throws {
        lock.withLock {
            received += bytes
            pending.append(bytes.map { $0 >= 97 && $0 <= 122 ? $0 - 32 : $0 })
            if String(decoding: received, as: UTF8.self).contains("bye") { ended = true }
        }
    }
    func read() throws -> [UInt8]? {
        while true {
            let next: ([UInt8]?, Bool) = lock.withLock {
                if !pending.isEmpty { return (pending.removeFirst(), false) }
                return (nil, ended)
            }
            if let data = next.0 { return data }
            if next.1 { return nil }
            usleep(5_000)
        }
    }
    func resize(rows: Int, columns: Int) throws {}
    func close() { lock.withLock { ended = true } }
}

final class TerminalPumpTests: XCTestCase {
    func pipePair() -> (read: Int32, write: Int32) {
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        return (fds[0], fds[1])
    }

    func readAvailable(_ fd: Int32) -> String {
        var buf = [UInt8](repeating: 0, count: 4096)
        _ = fcntl(fd, F_SETFL, O_NONBLOCK)
        let n = Glibc.read(fd, &buf, buf.count)
        return n > 0 ? String(decoding: buf[0..<n], as: UTF8.self) : ""
    }

    func testPumpsBothWaysUntilTheStreamEnds() {
        let keys = pipePair(), screen = pipePair()
        let stream = EchoStream()
        _ = Glibc.write(keys.write, "hi bye", 6)
        let outcome = TerminalPump.run(stream, input: keys.read, output: screen.write)
        XCTAssertEqual(outcome, .ended)
        XCTAssertEqual(readAvailable(screen.read), "HI BYE")
        for fd in [keys.read, keys.write, screen.read, screen.write] { close(fd) }
    }

    func testDetachKeysEndThePumpWithoutForwardingThem() {
        let keys = pipePair(), screen = pipePair()
        let stream = EchoStream()
        _ = Glibc.write(keys.write, "ab\u{10}\u{11}cd", 6)
        let outcome = TerminalPump.run(stream, input: keys.read, output: screen.write)
        XCTAssertEqual(outcome, .detached)
        XCTAssertEqual(String(decoding: stream.received, as: UTF8.self), "ab")
        for fd in [keys.read, keys.write, screen.read, screen.write] { close(fd) }
    }
}
