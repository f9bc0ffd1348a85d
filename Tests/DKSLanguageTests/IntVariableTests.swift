// IntVariableTests: the int fast paths of slot and global variables (`$i < k`, `$i % k`,
// `$i += e`) must compute exactly what the general path computes, for every kind of value —
// extremes, negatives, zero divisors, floats, strings, lists, unset variables — errors included.
// The reference is the same code on a captured local, which lives in a cell and so never takes
// a fast path.
import XCTest
@testable import DKSLanguage
import DKSBuiltins

final class IntVariableTests: XCTestCase {
    let values = ["-9", "-7", "-1", "0", "1", "7", "9", "9223372036854775807", "-9223372036854775807 - 1",
                  "2.5", "-0.5", "\"s\"", "[1]", "null", "true"]
    let constants = ["-3", "-1", "0", "1", "2", "7", "9223372036854775807"]

    /// Runs `body` (which uses `$v`, set from each value in turn) four ways: `$v` global, a
    /// local slot, a global used in a function (a capture), and a captured local (the
    /// reference); returns the outputs.
    func fourWays(_ body: String) -> (global: String, slot: String, capture: String, reference: String) {
        let list = "[" + values.joined(separator: ", ") + "]"
        let global = runDKS("""
        for $x in \(list) {
          $v = $x
          try { \(body) } catch $e { echo $e.kind $e.message }
        }
        """)
        let slot = runDKS("""
        fn t($x) {
          $v = $x
          try { \(body) } catch $e { echo $e.kind $e.message }
        }
        for $x in \(list) { t($x) }
        """)
        let capture = runDKS("""
        fn t() {
          try { \(body) } catch $e { echo $e.kind $e.message }
        }
        for $x in \(list) {
          $v = $x
          t()
        }
        """)
        let reference = runDKS("""
        fn t($x) {
          $v = $x
          $keep = fn() { return $v }  # captured: $v lives in a cell
          try { \(body) } catch $e { echo $e.kind $e.message }
        }
        for $x in \(list) { t($x) }
        """)
        XCTAssertNil(global.error, body)
        XCTAssertNil(slot.error, body)
        XCTAssertNil(capture.error, body)
        XCTAssertNil(reference.error, body)
        return (global.output, slot.output, capture.output, reference.output)
    }

    func testArithmeticWithAConstantMatchesTheGeneralPath() {
        for op in ["+", "-", "*", "%", "//"] {
            for k in constants {
                let r = fourWays("echo ($v \(op) \(k))")
                XCTAssertEqual(r.global, r.reference, "$v \(op) \(k) (global)")
                XCTAssertEqual(r.slot, r.reference, "$v \(op) \(k) (slot)")
                XCTAssertEqual(r.capture, r.reference, "$v \(op) \(k) (capture)")
            }
        }
        // Floored division and modulo take the divisor's sign, as everywhere else.
        XCTAssertEqual(runDKS("$v = -7; echo ($v % 3) ($v // 2) ($v % 7) ($v // 7)").output, "2 -4 0 -1\n")
    }

    func testComparisonsWithAConstantMatchTheGeneralPath() {
        for op in ["<", "<=", ">", ">=", "==", "!="] {
            for k in constants {
                let r = fourWays("echo ($v \(op) \(k))")
                XCTAssertEqual(r.global, r.reference, "$v \(op) \(k) (global)")
                XCTAssertEqual(r.slot, r.reference, "$v \(op) \(k) (slot)")
                XCTAssertEqual(r.capture, r.reference, "$v \(op) \(k) (capture)")
            }
        }
    }

    func testCompoundAssignmentMatchesTheGeneralPath() {
        for op in ["+=", "-=", "*="] {
            for y in values + ["1"] {
                let r = fourWays("$v \(op) \(y); echo $v")
                XCTAssertEqual(r.global, r.reference, "$v \(op) \(y) (global)")
                XCTAssertEqual(r.slot, r.reference, "$v \(op) \(y) (slot)")
                XCTAssertEqual(r.capture, r.reference, "$v \(op) \(y) (capture)")
            }
        }
    }

    func testTheRightSideRunsOnceAndFirst() {
        // The value is computed before the variable is read, as on the general path.
        let r = runDKS("""
        $n = 1
        $calls = 0
        fn bump() { $n += 10; $calls += 1; return 1 }
        $n += bump()
        echo $n $calls
        $big = 9223372036854775807
        fn one() { $calls += 1; return 1 }
        try { $big += one() } catch $e { echo $e.kind }
        echo $big $calls
        """)
        XCTAssertEqual(r.output, "12 1\nArithmeticError\n9223372036854775807 2\n")
    }

    func testAnUnsetVariableIsStillReported() {
        XCTAssertEqual(runDKS("$u += 1").scriptError?.message, "undefined variable $u")
        XCTAssertEqual(runDKS("echo ($u % 2)").scriptError?.kind, .nameError)
        XCTAssertEqual(runDKS("if $u < 2 { echo no }").scriptError?.kind, .nameError)
        XCTAssertEqual(runDKS("fn t() { if false { $w = 1 }; return $w < 2 }; echo (t())").scriptError?.kind, .nameError)
    }
}

/// The compiled form (`dks --dump`) says which path each node took: the fast paths above are
/// chosen for slots and globals and never for a captured local.
final class CompiledListingTests: XCTestCase {
    func listing(_ code: String) throws -> String {
        let registry = BuiltinRegistry()
        GeneralBuiltins.register(into: registry)
        let interp = Interpreter(registry: registry, stdout: Output(fd: nil), scriptName: "<t>")
        return try interp.compiledListing(SourceFile(name: "<t>", text: code))
    }

    func testEachNodeSaysWhichPathItTook() throws {
        let text = try listing("""
        $g = 1
        fn t($s) {
          $c = 2
          $keep = fn() { return $c }
          return [$g % 3, $s < 4, $c + 5]
        }
        $g += 2
        """)
        let lines = text.split(separator: "\n").map(String.init)
        XCTAssert(lines.contains("   5        %  [int read in place from capture 0, constant 3]"), text)
        XCTAssert(lines.contains("   5        <  [int read in place from slot 0, constant 4]"), text)
        XCTAssert(lines.contains("   5        +  [constant 5 folded in]"), text)
        XCTAssert(lines.contains("   5          $c  [cell 0]"), text)
        XCTAssert(lines.contains("   7  $g +=  [global cell]  [int updated in place in its global cell, constant 2]"), text)
        XCTAssert(lines.contains("   2  fn t  [2 slots, 1 cell, 1 captured; parameters in slots 0..<1]"), text)
    }

    func testASyntaxErrorIsThrownNotListed() {
        XCTAssertThrowsError(try listing("echo ("))
    }
}
