// IntVariableTests: the int fast paths of slot and global variables (`$i < k`, `$i % k`,
// `$i += e`) must compute exactly what the general path computes, for every kind of value —
// extremes, negatives, zero divisors, floats, strings, lists, unset variables — errors included.
// The reference is the same code on a captured local, which lives in a cell and so never takes
// a fast path.
import XCTest
@testable import DKSLanguage

final class IntVariableTests: XCTestCase {
    let values = ["-9", "-7", "-1", "0", "1", "7", "9", "9223372036854775807", "-9223372036854775807 - 1",
                  "2.5", "-0.5", "\"s\"", "[1]", "null", "true"]
    let constants = ["-3", "-1", "0", "1", "2", "7", "9223372036854775807"]

    /// Runs `body` (which uses `$v`, set from each value in turn) three ways: `$v` global,
    /// a local slot, and a captured local (the reference); returns the three outputs.
    func threeWays(_ body: String) -> (global: String, slot: String, reference: String) {
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
        XCTAssertNil(reference.error, body)
        return (global.output, slot.output, reference.output)
    }

    func testArithmeticWithAConstantMatchesTheGeneralPath() {
        for op in ["+", "-", "*", "%", "//"] {
            for k in constants {
                let r = threeWays("echo ($v \(op) \(k))")
                XCTAssertEqual(r.global, r.reference, "$v \(op) \(k) (global)")
                XCTAssertEqual(r.slot, r.reference, "$v \(op) \(k) (slot)")
            }
        }
        // Floored division and modulo take the divisor's sign, as everywhere else.
        XCTAssertEqual(runDKS("$v = -7; echo ($v % 3) ($v // 2) ($v % 7) ($v // 7)").output, "2 -4 0 -1\n")
    }

    func testComparisonsWithAConstantMatchTheGeneralPath() {
        for op in ["<", "<=", ">", ">=", "==", "!="] {
            for k in constants {
                let r = threeWays("echo ($v \(op) \(k))")
                XCTAssertEqual(r.global, r.reference, "$v \(op) \(k) (global)")
                XCTAssertEqual(r.slot, r.reference, "$v \(op) \(k) (slot)")
            }
        }
    }

    func testCompoundAssignmentMatchesTheGeneralPath() {
        for op in ["+=", "-=", "*="] {
            for y in values + ["1"] {
                let r = threeWays("$v \(op) \(y); echo $v")
                XCTAssertEqual(r.global, r.reference, "$v \(op) \(y) (global)")
                XCTAssertEqual(r.slot, r.reference, "$v \(op) \(y) (slot)")
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
