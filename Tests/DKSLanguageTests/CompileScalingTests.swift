// CompileScalingTests: compiling is linear in the program's size for every nesting construct.
// `f(f(...f(1)...))` used to compile each argument once per call shape, doubling the work at each
// level (20 levels: 1.1 s and 275 MB); nested blocks were walked again by every enclosing pre-pass.
// The compiler counts the nodes it compiles and the pre-pass counts the nodes it visits; doubling
// the nesting depth must (about) double that count, for each construct.
import XCTest
@testable import DKSLanguage
import DKSBuiltins

final class CompileScalingTests: XCTestCase {
    /// The compiler's work (nodes compiled + nodes the pre-passes visited) for `code`.
    private func work(_ code: String, file: StaticString = #filePath, line: UInt = #line) -> Int {
        let registry = BuiltinRegistry()
        GeneralBuiltins.register(into: registry)
        let interp = Interpreter(registry: registry, stdout: Output(fd: nil), scriptName: "<test>")
        let source = SourceFile(name: "<test>", text: code)
        do {
            let stmts = try Parser.parse(source)
            return try Compiler.compileCounting(stmts, file: source, interp: interp).nodes
        } catch {
            XCTFail("does not compile: \(error)\n\(code.prefix(300))", file: file, line: line)
            return 0
        }
    }

    /// `body(depth)` nested `depth` levels deep: the work at 2n levels is at most about twice the
    /// work at n levels (linear), never 4x (quadratic) or 2^n x (exponential).
    private func assertLinear(_ name: String, _ body: (Int) -> String, file: StaticString = #filePath, line: UInt = #line) {
        let prelude = "fn f($x) { return $x }\n$x = [1]\n$m = {a: 1}\n$g = f\n"
        let small = work(prelude + body(30), file: file, line: line)
        let large = work(prelude + body(60), file: file, line: line)
        XCTAssertGreaterThan(small, 20, name, file: file, line: line)
        XCTAssertLessThanOrEqual(Double(large), 2.3 * Double(small), "\(name): work \(small) at 30 levels, \(large) at 60", file: file, line: line)
    }

    private func nest(_ n: Int, _ open: String, _ inner: String, _ close: String) -> String {
        String(repeating: open, count: n) + inner + String(repeating: close, count: n)
    }

    func testEveryNestingConstructCompilesInLinearTime() {
        assertLinear("named calls") { self.nest($0, "f(", "1", ")") }
        assertLinear("calls with two arguments") { self.nest($0, "f(1, ", "1", ")") }
        assertLinear("command-form calls") { "echo " + self.nest($0, "(f ", "1", ")") }
        assertLinear("builtin calls") { self.nest($0, "str(", "1", ")") }
        assertLinear("method calls") { self.nest($0, "(", "$x", ").f()") }
        assertLinear("value calls") { self.nest($0, "$g(", "1", ")") }
        assertLinear("index") { "$x" + String(repeating: "[0]", count: $0) + "\n" + self.nest($0, "$x[", "0", "]") }
        assertLinear("binary operators") { self.nest($0, "(1 + ", "1", ")") }
        assertLinear("comparisons") { "if " + self.nest($0, "(1 < ", "1", ")") + " { }" }
        assertLinear("and / or / not") { self.nest($0, "(not ", "true", " or false and true)") }
        assertLinear("unary minus") { self.nest($0, "-(", "1", ")") }
        assertLinear("interpolation") { self.nest($0, "\"a${", "1", "}\"") }
        assertLinear("lists") { self.nest($0, "[1, ", "1", "]") }
        assertLinear("maps") { self.nest($0, "{a: ", "1", "}") }
        assertLinear("ranges") { self.nest($0, "len(0..<", "1", ")") }
        assertLinear("command options") { "echo " + self.nest($0, "(f --x=", "1", ")") }
        assertLinear("blocks") { self.nest($0, "retry 1 { $y = 1\n", "echo $y", "\n}") }
        assertLinear("defer blocks") { self.nest($0, "defer { $y = 1\n", "echo $y", "\n}") }
        assertLinear("closures") { self.nest($0, "$h = fn($a) { $y = $a\n", "return $y", "\n}") }
        assertLinear("if") { self.nest($0, "if true { $y = 1\n", "echo $y", "\n} else { echo 2 }") }
        assertLinear("while") { self.nest($0, "while false { $y = 1\n", "echo $y", "\n}") }
        assertLinear("for") { self.nest($0, "for $i in [1] { $y = $i\n", "echo $y", "\n}") }
        assertLinear("try") { self.nest($0, "try { $y = 1\n", "echo $y", "\n} catch $e { echo $e } finally { echo 1 }") }
    }

    /// The example from the issue, 22 levels deep (it took 3.8 s and 1 GB): compiled once per node.
    func testNestedUserFunctionCallsCompileEachArgumentOnce() {
        let code = "fn f($x) { return $x }\necho (" + nest(22, "f(", "1", ")") + ")"
        XCTAssertLessThan(work(code), 400)
        XCTAssertEqual(runDKS(code).output, "1\n")
    }
}
