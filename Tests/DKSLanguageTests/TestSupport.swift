// TestSupport: runs dks source in-process with captured stdout, for the language unit tests.
import XCTest
@testable import DKSLanguage
import DKSBuiltins
import DKSSupport

/// The outcome of running a program: what it printed and the error that escaped, if any.
struct RunResult {
    var output: String
    var error: Error?
    var scriptError: ScriptError? { error as? ScriptError }
    var syntaxErrors: [SyntaxError] { (error as? SyntaxErrors)?.errors ?? [] }
}

func runDKS(_ code: String, name: String = "<test>") -> RunResult {
    let registry = BuiltinRegistry()
    GeneralBuiltins.register(into: registry)
    let out = Output(fd: nil)
    let interp = Interpreter(registry: registry, stdout: out, scriptName: name)
    var err: Error?
    // Like the executable, run on a large stack: deep (bounded) recursion must never overflow.
    let t = JoinableThread.start(stackSize: 1 << 30) {
        do { try interp.run(SourceFile(name: name, text: code)) } catch { err = error }
        do { try interp.finish(pending: err) } catch { err = error }
    }
    t?.join()
    return RunResult(output: out.takeText(), error: err)
}

func tokens(_ code: String) -> [TokenKind] {
    var lx = Lexer(file: SourceFile(name: "<t>", text: code))
    var out: [TokenKind] = []
    while true {
        let t = lx.next()
        if case .eof = t.kind { break }
        out.append(t.kind)
    }
    return out
}
