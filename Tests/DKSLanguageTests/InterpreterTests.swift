import XCTest
import DKSBuiltins
@testable import DKSLanguage

final class InterpreterTests: XCTestCase {
    func out(_ code: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        let r = runDKS(code)
        if let e = r.error { XCTFail("unexpected error: \(e)", file: file, line: line) }
        return r.output
    }

    func kind(_ code: String) -> ErrorKind? { runDKS(code).scriptError?.kind }

    func testArithmetic() {
        XCTAssertEqual(out("echo (7 // 2) (-7 // 2) (7 % -3) (-7 % 3) (7 / 2) (1 + 2.5)"), "3 -4 -2 2 3.5 3.5\n")
        XCTAssertEqual(kind("echo (9223372036854775807 + 1)"), .arithmeticError)
        XCTAssertEqual(kind("echo (1 // 0)"), .arithmeticError)
        XCTAssertEqual(kind("echo (\"a\" + 1)"), .typeError)
        XCTAssertEqual(kind("echo (1 < \"a\")"), .typeError)
    }

    func testValueSemanticsAndInPlaceMutation() {
        XCTAssertEqual(out("$a = [1]; $b = $a; $b += [2]; $b[0] = 9; echo $a $b"), "[1] [9, 2]\n")
        XCTAssertEqual(out("$m = {a: {b: 1}}; $n = $m; $n.a.b = 2; echo $m $n"), "{a: {b: 1}} {a: {b: 2}}\n")
        XCTAssertEqual(out("$xs = []; for $i in 0..<1000 { $xs += [$i] }; echo (len $xs) $xs[-1]"), "1000 999\n")
    }

    func testEquality() {
        XCTAssertEqual(out("echo (1 == 1.0) ({a: 1, b: 2} == {b: 2, a: 1}) ([1, [2]] == [1, [2]]) (1 == \"1\") (null == false)"),
                       "true true true false false\n")
    }

    func testClosuresShareVariables() {
        XCTAssertEqual(out("""
        fn counter() {
          $n = 0
          return fn() { $n += 1; return $n }
        }
        $c = counter()
        $c(); $c()
        echo ($c())
        """), "3\n")
    }

    func testNearestEnclosingScopeRule() {
        XCTAssertEqual(out("$total = 0\nfn add($x) { $total += $x; $tmp = 1 }\nadd 5\nadd(2)\necho $total"), "7\n")
        XCTAssertEqual(kind("fn f() { $local = 1 }\nf\necho $local"), .nameError)
    }

    func testFunctionsBothForms() {
        XCTAssertEqual(out("fn f($a, $b = 1, $loud = false) { return \"$a $b $loud\" }\necho (f 1 --b 2 --loud) (f(3, b: 4))"), "1 2 true 3 4 false\n")
    }

    func testTryCatchFinallyAndDefer() {
        XCTAssertEqual(out("""
        fn f() {
          defer { echo d1 }
          defer { echo d2 }
          throw "boom"
        }
        try { f } catch $e { echo $e.kind $e.message } finally { echo fin }
        """), "d2\nd1\nThrown boom\nfin\n")
    }

    func testTracebackFrames() {
        let r = runDKS("fn inner() {\n  return 1 / 0\n}\nfn outer() {\n  return inner()\n}\nouter")
        guard let e = r.scriptError else { return XCTFail() }
        XCTAssertEqual(e.frames.map { $0.name }, ["inner", "outer"])
        XCTAssertEqual(e.frames.map { $0.loc.line }, [2, 5])
        XCTAssertEqual(ErrorFormatter.format(e), """
        <test>:2:12: error: division by zero
              return 1 / 0
                       ^
          at inner (<test>:2:12)
          at outer (<test>:5:10)

        """)
    }

    func testRecursionLimitIsAnError() {
        XCTAssertEqual(kind("fn f($n) { return f($n + 1) }\nf(0)"), .recursionError)
    }

    func testLoops() {
        XCTAssertEqual(out("for $k, $v in {a: 1, b: 2} { echo $k $v }"), "a 1\nb 2\n")
        XCTAssertEqual(out("for $c in \"héj\" { echo -n $c. }"), "h.é.j.")
        XCTAssertEqual(out("$i = 0; while true { $i += 1; if $i == 3 { continue }; if $i > 5 { break }; echo -n $i }"), "1245")
    }

    func testInterpolation() {
        XCTAssertEqual(out("$file = \"a\"; echo \"$file.txt ${1 + 2} \\$x\""), "a.txt 3 $x\n")
    }

    func testPrinting() {
        XCTAssertEqual(out("echo 2.0 0.1 [\"a\", 1.5, null] ({a: 1, \"b c\": \"x\"})"), "2.0 0.1 [\"a\", 1.5, null] {a: 1, \"b c\": \"x\"}\n")
    }

    func testSyntaxErrorMeansNothingRuns() {
        let r = runDKS("echo first\n$x = (")
        XCTAssertEqual(r.output, "")
        XCTAssertEqual(r.syntaxErrors.count, 1)
    }

    func testMethodsAreUniformCalls() {
        XCTAssertEqual(out("echo (\"a,b\".split(\",\")) ([3, 1].sorted()) (\"x\".upper())"), "[\"a\", \"b\"] [1, 3] X\n")
    }

    func testCaptureAndRetry() {
        XCTAssertEqual(out("$n = 0\n$v = retry 3 { $n += 1; if $n < 3 { throw \"no\" }; return $n }\necho $v (capture { echo hi })"), "3 hi\n\n")
        XCTAssertEqual(kind("retry 2 { throw \"always\" }"), .thrown)
    }

    func testParallelKeepsOrderAndRaisesFirstError() {
        XCTAssertEqual(out("echo (parallel([1, 2, 3, 4], fn($x) { return $x * 10 }, jobs: 2))"), "[10, 20, 30, 40]\n")
        XCTAssertEqual(kind("parallel([1, 2], fn($x) { throw \"bad\" })"), .thrown)
    }

    /// A setting like `use-engine $e`: changed for the rest of the caller's scope.
    final class Setting: PerContextData {
        var value: String
        init(_ v: String) { value = v }
        func copyForWorker() -> AnyObject { Setting(value) }
    }

    func scopedRegistry() -> (BuiltinRegistry, (Interpreter) -> Setting) {
        let registry = BuiltinRegistry()
        GeneralBuiltins.register(into: registry)
        func setting(_ interp: Interpreter) -> Setting {
            if let s = interp.hostData["t"] as? Setting { return s }
            let s = Setting("outer")
            interp.hostData["t"] = s
            return s
        }
        let sig = Signature("set-it", [.arg("value")])
        sig.usesCallerScope = true
        registry.register(sig) { a in
            let s = setting(a.interp)
            let previous = s.value
            try a.interp.deferInCallerScope("set-it") { s.value = previous }
            s.value = try a.string(0)
            return .null
        }
        registry.register(Signature("get-it", [])) { a in .string(setting(a.interp).value) }
        return (registry, setting)
    }

    func testABuiltinCanChangeItsCallersScopeUntilItEnds() throws {
        let (registry, _) = scopedRegistry()
        let out = Output(fd: nil)
        let interp = Interpreter(registry: registry, stdout: out)
        try interp.run(SourceFile(name: "t", text: """
        fn f() { set-it inner; echo (get-it); if true { set-it deeper }; echo (get-it) }
        f()
        echo (get-it)
        fn g() { set-it failing; throw "x" }
        try { g() } catch $e { echo (get-it) }
        echo (parallel([1, 2], fn($i) { set-it "w$i"; return get-it() }, jobs: 2)) (get-it)
        set-it top
        echo (get-it)
        """))
        XCTAssertEqual(out.takeText(), "inner\ndeeper\nouter\nouter\n[\"w1\", \"w2\"] outer\ntop\n")
        try interp.finish()
        try interp.run(SourceFile(name: "t", text: "echo (get-it)"))
        XCTAssertEqual(out.takeText(), "outer\n")
    }

    func testACallerScopeBuiltinThroughAValueIsAnError() {
        let (registry, _) = scopedRegistry()
        let interp = Interpreter(registry: registry, stdout: Output(fd: nil))
        XCTAssertThrowsError(try interp.run(SourceFile(name: "t", text: "fn call($f) { return $f(\"x\") }\ncall(set-it)"))) { e in
            XCTAssertTrue((e as? ScriptError)?.message.contains("must be called directly") ?? false, "\(e)")
        }
    }
}
