// ErrorPositionTests: errors raised by a host object while `for` iterates it (a `logs -f` stream
// that fails or is interrupted while waiting for its next line) carry the `for` statement's
// position; they used to have none (`error: ...` with no file:line:col).
import XCTest
@testable import DKSLanguage
import DKSBuiltins
import DKSSupport

/// A stream that yields two lines, then fails the way an engine stream does (no position).
private final class FailingStream: HostObject {
    override var typeName: String { "stream" }
    override func iterate(_ body: (Value) throws -> Bool) throws -> Bool {
        for line in ["a", "b"] { if try !body(.string(line)) { return true } }
        throw ScriptError(.engineError, "the stream broke")
    }
}

final class ErrorPositionTests: XCTestCase {
    private func run(_ code: String) -> (String, ScriptError?) {
        let registry = BuiltinRegistry()
        GeneralBuiltins.register(into: registry)
        let out = Output(fd: nil)
        let interp = Interpreter(registry: registry, stdout: out, scriptName: "t.dks")
        interp.globals.set("s", .object(FailingStream()))
        var err: Error?
        do { try interp.run(SourceFile(name: "t.dks", text: code)) } catch { err = error }
        return (out.takeText(), err as? ScriptError)
    }

    func testAnErrorOfTheIteratedObjectHasTheForPosition() {
        let (out, e) = run("echo start\n  for $line in $s {\n  echo $line\n}\n")
        XCTAssertEqual(out, "start\na\nb\n")
        XCTAssertEqual(e?.kind, .engineError)
        XCTAssertEqual(e.map { ErrorFormatter.format($0) }, "t.dks:2:3: error: the stream broke\n      for $line in $s {\n      ^\n")
    }

    func testAnErrorOfTheLoopBodyKeepsItsOwnPosition() {
        let (_, e) = run("for $line in $s {\n  echo (1 // 0)\n}\n")
        XCTAssertEqual(e?.loc?.description, "t.dks:2:11")
    }
}
