// OverflowTests: integer overflow is an error, never a trap (SIGILL used to end dks, skipping its
// defers, in ranges and `round`). The issue's examples give their errors; then every operator and
// arithmetic builtin runs on every pair of extreme values (Int.min, Int.max, -1, 0, huge and tiny
// floats, nan, inf): each must return or raise a dks error. A trap here kills the test process.
import XCTest
@testable import DKSLanguage

final class OverflowTests: XCTestCase {
    func testTheIssuesExamplesRaiseInsteadOfTrapping() {
        let cases: [(String, ErrorKind?)] = [
            ("len(range(-2, 9223372036854775807))", .arithmeticError),
            ("(-1..<9223372036854775807)[5]", nil),
            ("5 in range(-9223372036854775807-1, 9223372036854775807, 7)", nil),
            ("round(5, -9223372036854775807 - 1)", nil),
            ("len(range(-9223372036854775807-1, 9223372036854775807))", .arithmeticError),
            ("range(-9223372036854775807-1, 9223372036854775807)[-1]", nil),
            ("0..9223372036854775807", .arithmeticError),
            ("abs(-9223372036854775807 - 1)", .arithmeticError),
            ("-(-9223372036854775807 - 1)", .arithmeticError),
            ("(-9223372036854775807 - 1) // -1", .arithmeticError),
            ("round(9223372036854775807, -1)", .arithmeticError),
            ("round(-9223372036854775807 - 1, -1)", .arithmeticError),
            ("round(-9223372036854775807 - 1, -2)", nil),
            ("round(1e300)", .arithmeticError),
            ("round(float(\"nan\"))", .arithmeticError),
            ("int(1e19)", .valueError),
            ("int(\"-9223372036854775809\")", .valueError),
            ("sorted(range(0, 9223372036854775807))", .valueError),
            // Found by FuzzArith: repeating an empty string or list looped n times (a hang).
            ("\"\" * 9223372036854775807", nil),
            ("[] * 9223372036854775807", nil),
        ]
        for (expr, want) in cases {
            let r = runDKS("echo (\(expr))")
            XCTAssertEqual(r.scriptError?.kind, want, "\(expr): \(r.output) \(String(describing: r.error))")
        }
        XCTAssertEqual(runDKS("""
        echo ((-1..<9223372036854775807)[5]) (5 in range(-9223372036854775807-1, 9223372036854775807, 7))
        echo (6 in range(-9223372036854775807-1, 9223372036854775807, 7)) (range(-9223372036854775807-1, 9223372036854775807)[-1])
        echo (round(5, -9223372036854775807 - 1)) (round(-9223372036854775807 - 1, -2)) (int("-9223372036854775808"))
        echo ((0..<9223372036854775807) == range(0, 9223372036854775807)) (len(range(9223372036854775807, -9223372036854775807-1, -9223372036854775807)))
        """).output, "4 false\ntrue 9223372036854775806\n0 -9223372036854775800 -9223372036854775808\ntrue 3\n")
    }

    func testRoundOfAnIntStaysAnInt() {
        // Halves round away from zero, as `round` does for floats (round(2.5) is 3).
        XCTAssertEqual(runDKS("""
        echo (round(1234, -2)) (round(1250, -2)) (round(-1250, -2)) (round(1249, -2)) (round(7, 2)) (round(7, -1000))
        echo (type(round(1234, -2))) (round(2.5)) (round(-2.5)) (round(1250.0, -2)) (round(5.5, -400))
        """).output, "1200 1300 -1300 1200 7 0\nint 3 -3 1300.0 0.0\n")
    }

    static let extremes = [
        "(-9223372036854775807 - 1)", "9223372036854775807", "-9223372036854775807", "4611686018427387904", "3037000500",
        "-7", "-1", "0", "1", "2", "7",
        "1e308", "-1.7976931348623157e308", "5e-324", "0.5", "-0.0", "float(\"nan\")", "float(\"inf\")", "float(\"-inf\")",
        "\"7\"", "true", "null",
    ]

    static let unary = [
        "-A", "abs(A)", "round(A)", "round(A, 2)", "round(A, -2)", "round(A, -400)", "round(A, 400)", "int(A)", "float(A)",
        "int(str(A))", "float(str(A))", "json(A)", "parse_json(json(A))", "len(range(A))", "range(A)[-1]", "range(A)[0]",
        "A // -1", "A % -1", "A * -1", "A - 1", "A + 1", "A * A", "A / 3", "-(A // 1)",
        "str(A..<9223372036854775807)", "len(A..<9223372036854775807)", "len(range(A, -9223372036854775807-1, -1))",
        "[1, 2, 3][A]", "\"abc\"[A]", "[1, 2, 3][A..-1]", "\"abc\"[-2..<A]", "\"ab\" * A", "[0] * A", "\"\" * A", "[] * A",
        "sum([A, A, A])", "sum(range(A, 9223372036854775807, 4611686018427387904))", "min(A, 0)",
        "$x = A; $x += 9223372036854775807", "$x = A; $x -= 9223372036854775807", "$x = A; $x *= 3",
        "for $i in A..9223372036854775806 { break }", "for $i in range(A, 9223372036854775807, 9223372036854775807) { }",
        "for $i, $v in range(A, A) { }", "{(A): 1}", "{(A): 1}[A]",
    ]

    static let binary = [
        "A + B", "A - B", "A * B", "A / B", "A // B", "A % B", "A == B", "A < B", "A >= B", "A in [B]", "A..B", "A..<B",
        "len(A..<B)", "len(A..B)", "range(A, B)", "len(range(A, B))", "range(A, B)[0]", "range(A, B)[-1]",
        "range(A, B)[B]", "len(range(0, A, B))", "range(A, B, 7)[-1]", "B in range(A, 9223372036854775807, 3)",
        "B in (A..<0)", "B in range(A, -9223372036854775807 - 1, -2)", "(A..B) == (A..<B)", "{(A..<B): 1}",
        "round(A, B)", "min(A, B)", "max(A, B)", "sum([A, B])", "abs(A) + abs(B)", "int(A) + int(B)",
        "[1, 2, 3][A..B]", "[1, 2, 3][A..<B]", "\"abc\"[A..<B]", "[1, 2, 3, 4][range(A, B, 3)]", "\"abcd\"[range(B, A, -3)]",
        "get(range(A, B), 3)", "json(range(A, B))", "sorted(range(A, B))", "reversed(range(A, B, 2))",
        "for $i in range(A, B, 3) { break }", "for $i in range(B, A, -3) { break }", "for $i, $v in A..<B { break }",
        "{(A): 1, (B): 2}", "$m = {(A): 1}; $m[B] = 2; len($m)",
    ]

    /// Runs every template on `values`, one program per template. Each expression either returns
    /// or raises one of the dks errors that arithmetic and indexing raise.
    private func runTable(_ templates: [String], arity: Int) -> Int {
        let allowed: Set<ErrorKind> = [.arithmeticError, .valueError, .typeError, .indexError, .keyError]
        var count = 0
        for template in templates {
            var program = "$failures = []\n"
            var exprs: [String] = []
            for a in Self.extremes {
                for b in (arity == 2 ? Self.extremes : ["0"]) {
                    let e = template.replacingOccurrences(of: "A", with: a).replacingOccurrences(of: "B", with: b)
                    exprs.append(e)
                    let stmt = e.contains("$") || e.hasPrefix("for ") ? e : "$r = \(e)"
                    program += "try { \(stmt) } catch $e { if not ($e.kind in \(Array(allowed.map { $0.rawValue }).sorted())) { $failures += [\"\(e.replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "$", with: "\\$")): $e.kind $e\"] } }\n"
                }
            }
            count += exprs.count
            program += "echo (len $failures) $failures\n"
            let r = runDKS(program)
            XCTAssertNil(r.error, "\(template): \(String(describing: r.error))")
            XCTAssertEqual(r.output, "0 []\n", template)
        }
        return count
    }

    func testEveryOperatorAndBuiltinOnExtremeValuesRaisesOrReturns() {
        let n = runTable(Self.unary, arity: 1) + runTable(Self.binary, arity: 2)
        XCTAssertGreaterThan(n, 20_000)
    }
}
