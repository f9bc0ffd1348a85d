// JSONTestSuiteTests: the JSON parser against JSONTestSuite's parsing cases (Tests/data/JSONTestSuite,
// see its README): y_ parse, n_ are rejected (parse_json: a ValueError), i_ either, never a crash.
// Also the defects found by hand (a surrogate pair decoded to the wrong character, a high surrogate
// swallowing the next escape, `+1`, `01`, raw control characters, `1e400` as inf) and `json()`
// round trips (non-BMP and control characters, floats).
import XCTest
@testable import DKSLanguage
import DKSBuiltins
import DKSSupport

final class JSONTestSuiteTests: XCTestCase {
    private static let dataDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("data/JSONTestSuite")

    /// Every case: its name and bytes (the two large ones generated, see the README).
    private func cases() throws -> [(String, [UInt8])] {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.dataDirectory.path).filter { $0.hasSuffix(".json") }.sorted()
        XCTAssertGreaterThan(names.count, 300)
        var out = try names.map { name -> (String, [UInt8]) in
            (name, Array(try Data(contentsOf: Self.dataDirectory.appendingPathComponent(name))))
        }
        out.append(("n_structure_100000_opening_arrays.json", Array(repeating: UInt8(ascii: "["), count: 100_000)))
        out.append(("n_structure_open_array_object.json", Array(String(repeating: "[{\"\":", count: 50_000).utf8) + [10]))
        return out
    }

    /// `parse_json` on the text (invalid UTF-8 decoded as U+FFFD, as dks strings are).
    private func parseJSONBuiltin(_ bytes: [UInt8]) -> (Value?, ScriptError?) {
        let registry = BuiltinRegistry()
        GeneralBuiltins.register(into: registry)
        let interp = Interpreter(registry: registry, stdout: Output(fd: nil), scriptName: "<test>")
        guard let f = registry.lookup("parse_json") else { XCTFail("no parse_json"); return (nil, nil) }
        do {
            return (try interp.call(FunctionValue(builtin: f), [.string(String(decoding: bytes, as: UTF8.self))], loc: nil), nil)
        } catch {
            return (nil, error as? ScriptError)
        }
    }

    func testJSONTestSuiteParsingCases() throws {
        var counts = ["y": 0, "n": 0, "i": 0]
        for (name, bytes) in try cases() {
            let kind = String(name.prefix(1))
            counts[kind, default: 0] += 1
            let parsed = Result { try JSON.parse(bytes) }
            let (value, error) = parseJSONBuiltin(bytes)
            switch kind {
            case "y":
                if case .failure(let e) = parsed { XCTFail("\(name) must parse: \(e)") }
                XCTAssertNotNil(value, "\(name) must parse with parse_json: \(String(describing: error))")
            case "n":
                if case .success(let v) = parsed { XCTFail("\(name) must be rejected, got \(v)") }
                XCTAssertEqual(error?.kind, .valueError, "\(name): parse_json must raise a ValueError")
                XCTAssert(error?.message.hasPrefix("parse_json: invalid JSON at byte ") ?? false, "\(name): \(String(describing: error?.message))")
            default:
                // Either answer is right; what matters is that it is an answer. Both paths agree
                // when the bytes are UTF-8.
                if String(validatingUTF8: bytes.map { CChar(bitPattern: $0) } + [0]) != nil, !bytes.contains(0) {
                    XCTAssertEqual((try? parsed.get()) != nil, value != nil, "\(name): JSON.parse and parse_json disagree")
                }
            }
        }
        XCTAssertEqual(counts, ["y": 95, "n": 188, "i": 35])
    }

    private func eval(_ code: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        let r = runDKS(code)
        if let e = r.error { XCTFail("\(code): \(e)", file: file, line: line) }
        return r.output
    }

    func testTheDefectsFoundByHand() {
        // A surrogate pair is one character (it used to decode to the wrong one).
        XCTAssertEqual(try JSON.parse(#""\ud83d\ude00""#), .string("😀"))
        XCTAssertEqual(try JSON.parse(#""\uD834\uDD1E""#), .string("\u{1D11E}"))
        // A high surrogate no longer swallows the escape after it: the quote survives.
        XCTAssertEqual(try JSON.parse(#""\ud83d\u0022x""#), .string("\u{FFFD}\"x"))
        XCTAssertEqual(try JSON.parse(#""\ud83dx""#), .string("\u{FFFD}x"))
        XCTAssertEqual(try JSON.parse(#""\ude00\ud83d""#), .string("\u{FFFD}\u{FFFD}"))
        // Not JSON: a plus sign, leading zeros, raw control characters, numbers beyond a double.
        for bad in ["+1", "01", "-01", "[00]", "\"a\u{1}b\"", "\"tab\there\"", "1e400", "-1e400", "[1.]", "[.5]", "[1e]", "\u{FEFF}{}"] {
            XCTAssertThrowsError(try JSON.parse(bad), "\(bad.debugDescription) must be rejected")
        }
        XCTAssertEqual(runDKS("parse_json(\"1e400\")").scriptError?.kind, .valueError)
        XCTAssertEqual(runDKS("parse_json(\"01\")").scriptError?.message, "parse_json: invalid JSON at byte 0: a number must not start with 0 (leading zeros are not JSON)")
        // Numbers: ints that fit are ints, others doubles; an underflow is 0.0.
        XCTAssertEqual(try JSON.parse("[-0, 9223372036854775807, -9223372036854775808, 9223372036854775808, 1E2, 1e-400]"),
                       .array([.int(0), .int(.max), .int(.min), .double(9223372036854775808), .double(100), .double(0)]))
    }

    func testJSONEncodingRoundTrips() {
        // Non-BMP and control characters, quotes and backslashes come back as they were.
        XCTAssertEqual(eval(#"$s = "a😀\u{1D11E}\u{0}\u{1f}\u{7f}\n\t\"\\é"; echo (parse_json(json($s)) == $s) (json("\u{1}\u{1F600}"))"#),
                       "true \"\\u0001😀\"\n")
        // Floats keep their value (shortest round-trip form), ints stay ints.
        XCTAssertEqual(eval("""
        $xs = [0.1, 1.5, -2.0, 1e300, 5e-324, 123456789.125, 1e15, 1e16, 9007199254740993, -9223372036854775807 - 1]
        $back = parse_json(json($xs))
        echo ($back == $xs) (json($xs))
        echo (type($back[2])) (type($back[8]))
        """), "true [0.1,1.5,-2.0,1e+300,5e-324,123456789.125,1000000000000000.0,1e+16,9007199254740993,-9223372036854775808]\nfloat int\n")
        // Maps keep their order; nan and inf have no JSON form.
        XCTAssertEqual(eval(#"echo (json(parse_json("{\"b\": [1, {\"a\": null}], \"a\": true}")))"#), "{\"b\":[1,{\"a\":null}],\"a\":true}\n")
        XCTAssertEqual(runDKS("json(float(\"nan\"))").scriptError?.kind, .valueError)
    }
}
