// ShellPiecesTests: the shell layer's pure pieces — value stages chunked without holding the
// bytes of a big list or range, lines split from a descriptor as they arrive (CR LF, a last line
// without newline), and the runner's results through a real interpreter.
import DKSBuiltins
import DKSLanguage
@testable import DKSShell
import Glibc
import XCTest

final class ShellPiecesTests: XCTestCase {
    func drain(_ next: () -> [UInt8]?) -> (bytes: [UInt8], chunks: Int, largest: Int) {
        var out: [UInt8] = []
        var chunks = 0
        var largest = 0
        while let c = next() {
            out += c
            chunks += 1
            largest = max(largest, c.count)
        }
        return (out, chunks, largest)
    }

    func testValueStagesAreChunked() {
        XCTAssertEqual(drain(ShellRunner.valueChunks(.string("abc"))).bytes, Array("abc".utf8))
        XCTAssertEqual(drain(ShellRunner.valueChunks(.list([.string("a"), .int(1)]))).bytes, Array("a\n1\n".utf8))
        XCTAssertEqual(drain(ShellRunner.valueChunks(.null)).chunks, 0)
        let big = drain(ShellRunner.valueChunks(.range(RangeValue(start: 0, end: 1_000_000, step: 1))))
        XCTAssertGreaterThan(big.chunks, 50)
        XCTAssertLessThan(big.largest, 70_000)
        XCTAssertEqual(big.bytes.suffix(7), Array("999999\n".utf8))
    }

    func testLineReaderSplitsAsBytesArrive() throws {
        var fds: [Int32] = [-1, -1]
        XCTAssertEqual(pipe(&fds), 0)
        defer { close(fds[0]) }
        let reader = FDLineReader(fd: fds[0])
        _ = Array("one\r\ntw".utf8).withUnsafeBytes { write(fds[1], $0.baseAddress, $0.count) }
        XCTAssertEqual(try reader.next(), "one")
        _ = Array("o\nlast".utf8).withUnsafeBytes { write(fds[1], $0.baseAddress, $0.count) }
        XCTAssertEqual(try reader.next(), "two")
        close(fds[1])
        XCTAssertEqual(try reader.next(), "last")
        XCTAssertNil(try reader.next())
    }

    func testRunnerResultsInAnInterpreter() throws {
        let registry = BuiltinRegistry()
        GeneralBuiltins.register(into: registry)
        ShellBuiltins.register(into: registry)
        let interp = Interpreter(registry: registry, stdout: Output(fd: nil))
        var env = MapStorage()
        env[.string("PATH")] = .string("/usr/bin:/bin")
        interp.globals.set("env", .map(env))
        interp.pushCapture()
        _ = try interp.run(SourceFile(name: "t", text: """
            $r = ^sh -c 'echo out; exit 3' | ^cat
            echo $r.exit_code $r.exit_codes (trim $r.stdout) (type $r)
            $env.DKS_SHELL_TEST = "exported"
            echo (trim((^sh -c 'echo $DKS_SHELL_TEST').stdout))
            fn up() { echo (upper(trim(input()))) }
            echo (trim(("quiet" | up).stdout))
            """))
        XCTAssertEqual(interp.popCapture(), "3 [3, 0] out process_result\nexported\nQUIET\n")
    }
}
