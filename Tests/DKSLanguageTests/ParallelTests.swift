// ParallelTests: `parallel` runs each call on copies of what its function can reach. The copy
// must terminate on any graph of functions and cells (a recursive function's copy used to recurse
// until the stack overflowed: exit 139), keep recursion working in the worker, share nothing
// with the parent or another call, and keep what a `source` inside a call defines in that call.
import XCTest
@testable import DKSLanguage
import DKSSupport

final class ParallelTests: XCTestCase {
    func out(_ code: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        let r = runDKS(code)
        if let e = r.error { XCTFail("unexpected error: \(e)", file: file, line: line) }
        return r.output
    }

    func testRecursiveFunctionsRunInWorkers() {
        // Self recursion, given by name.
        XCTAssertEqual(out("fn fact($n) { if $n <= 1 { return 1 }; return $n * fact($n - 1) }\necho (parallel([1, 5, 10], fact))"),
                       "[1, 120, 3628800]\n")
        // Mutual recursion.
        XCTAssertEqual(out("""
        fn is_even($n) { if $n == 0 { return true }; return is_odd($n - 1) }
        fn is_odd($n) { if $n == 0 { return false }; return is_even($n - 1) }
        echo (parallel([0, 7, 10], is_even, jobs: 3))
        """), "[true, false, true]\n")
        // A worker (a closure) that calls a recursive helper.
        XCTAssertEqual(out("""
        fn fib($n) { if $n < 2 { return $n }; return fib($n - 1) + fib($n - 2) }
        echo (parallel([5, 10, 15], fn($x) { return fib($x) }))
        """), "[5, 55, 610]\n")
        // A local recursive function, and two closures sharing a captured variable.
        XCTAssertEqual(out("""
        fn make() {
          fn down($n) { if $n == 0 { return 0 }; return down($n - 1) + 1 }
          $count = 0
          $bump = fn() { $count += 1 }
          $read = fn() { return $count }
          return fn($x) { $bump(); $bump(); return down($x) + $read() }
        }
        echo (parallel([1, 2, 3], make(), jobs: 2))
        """), "[3, 4, 5]\n")
        // Functions inside the items are copied too; a cycle through a list in a cell terminates.
        XCTAssertEqual(out("""
        $fs = []
        fn loop($n) { if $n == 0 { return len($fs) }; return loop($n - 1) }
        $fs = [loop, {f: loop}]
        echo (parallel([loop, $fs[1].f], fn($g) { return $g(3) }))
        """), "[2, 2]\n")
    }

    func testEachCallHasItsOwnCopy() {
        // Every call starts from the parent's values, whichever worker runs it, and the parent's
        // variables are unchanged afterwards.
        XCTAssertEqual(out("""
        $n = 0
        $seen = parallel([1, 2, 3, 4], fn($x) { $n += $x; return $n }, jobs: 1)
        echo $seen $n
        """), "[1, 2, 3, 4] 0\n")
        // A returned closure keeps its (copied) variables working.
        XCTAssertEqual(out("""
        fn counter($start) { $i = $start; return fn() { $i += 1; return $i } }
        $cs = parallel([10, 20], counter)
        $a = $cs[0]
        $a()
        echo ($a()) ($cs[1]())
        """), "12 21\n")
    }

    func testSourceInsideAWorkerDefinesForThatCallOnly() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dks-parallel-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let lib = dir.appendingPathComponent("lib.dks").path
        try "fn helper($x) { return $x * 100 }\n$loaded = true\n".write(toFile: lib, atomically: true, encoding: .utf8)
        // Each call sources the file (racing calls used to write the shared globals unlocked);
        // what it defines is visible to that call, not to the parent afterwards.
        XCTAssertEqual(out("""
        $r = parallel(range(0, 40), fn($x) { source "\(lib)"; return helper($x) }, jobs: 4)
        echo (len $r) $r[39]
        try { helper(1) } catch $e { echo $e.kind }
        try { echo $loaded } catch $e { echo $e.kind }
        """), "40 3900\nNameError\nNameError\n")
    }

    func testFirstErrorCancelsTheOtherCalls() {
        // The failing call ends first; the others would loop for ever unless cancelled. Their
        // cleanup runs, and the first error is the one raised.
        let r = runDKS("""
        parallel([1, 2, 3], fn($x) {
          if $x == 1 { sleep 50ms; throw "boom" }
          while true { sleep 10ms }
        }, jobs: 3)
        """)
        XCTAssertEqual(r.scriptError?.kind, .thrown)
        XCTAssertEqual(r.scriptError?.message, "boom")
        // The interrupt flag was never raised, and nothing is left cancelled for later polls.
        XCTAssertFalse(Interruption.isRequested)
    }
}
