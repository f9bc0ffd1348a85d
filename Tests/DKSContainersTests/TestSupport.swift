// TestSupport: runs dks programs against a FakeEngine and returns what they printed.
import DKSBuiltins
@testable import DKSContainers
import DKSEngine
import DKSLanguage
import XCTest

struct Harness {
    let engine = FakeEngine()
    let interp: Interpreter
    var made = 0

    init(scriptName: String = "test.dks") {
        let registry = BuiltinRegistry()
        GeneralBuiltins.register(into: registry)
        let e = engine
        ContainerBuiltins.register(into: registry, engine: EngineProvider(engine: e), sessionID: "sess123")
        interp = Interpreter(registry: registry, stdout: Output(fd: nil), scriptName: scriptName)
    }

    /// Runs `code`; returns its stdout.
    func run(_ code: String) throws -> String {
        try interp.run(SourceFile(name: "test.dks", text: code))
        return interp.stdout.takeText()
    }

    /// Runs `code` expecting a runtime error; returns it.
    func fail(_ code: String, file: StaticString = #filePath, line: UInt = #line) -> ScriptError? {
        do {
            try interp.run(SourceFile(name: "test.dks", text: code))
            XCTFail("expected an error", file: file, line: line)
        } catch let e as ScriptError {
            return e
        } catch {
            XCTFail("unexpected \(error)", file: file, line: line)
        }
        return nil
    }
}
