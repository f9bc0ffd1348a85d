import XCTest
@testable import DKSLanguage

final class LexerTests: XCTestCase {
    func testNumbers() {
        XCTAssertEqual(tokens("42 1_000 0x1f 0b101 0o17"), [.int(42), .int(1000), .int(31), .int(5), .int(15)])
        XCTAssertEqual(tokens("3.14 1e9 2.5e-3"), [.float(3.14), .float(1e9), .float(0.0025)])
        // `1..5` is a range, not the float `1.`.
        XCTAssertEqual(tokens("1..5"), [.int(1), .punct(".."), .int(5)])
        XCTAssertEqual(tokens("1..<5"), [.int(1), .punct("..<"), .int(5)])
    }

    func testOverflowingLiteralIsALexicalError() {
        guard case .invalid(let m)? = tokens("99999999999999999999").first else { return XCTFail("expected an error token") }
        XCTAssertTrue(m.contains("too large"), m)
    }

    func testNamesKeywordsVariables() {
        XCTAssertEqual(tokens("wait-healthy if $x_1"), [.name("wait-healthy"), .keyword("if"), .variable("x_1")])
        // A trailing dash is not part of a name.
        XCTAssertEqual(tokens("a -b"), [.name("a"), .punct("-"), .name("b")])
    }

    func testOperatorsLongestFirst() {
        XCTAssertEqual(tokens("== != <= >= // += -= *= < > / %"),
                       ["==", "!=", "<=", ">=", "//", "+=", "-=", "*=", "<", ">", "/", "%"].map { .punct($0) })
    }

    func testCommentsContinuationsAndSeparators() {
        XCTAssertEqual(tokens("a # comment\nb; c \\\n d"), [.name("a"), .newline, .name("b"), .newline, .name("c"), .name("d")])
    }

    func testStringPartsAndEscapes() {
        guard case .string(let parts)? = tokens(#""a\tb $x.txt ${1 + 2} \$y \u{1F600}""#).first else { return XCTFail() }
        XCTAssertEqual(parts.count, 5)
        if case .text(let t) = parts[0].part { XCTAssertEqual(t, "a\tb ") } else { XCTFail() }
        if case .variable(let v, _) = parts[1].part { XCTAssertEqual(v, "x") } else { XCTFail() }
        if case .text(let t) = parts[2].part { XCTAssertEqual(t, ".txt ") } else { XCTFail() }
        if case .expression = parts[3].part {} else { XCTFail() }
        if case .text(let t) = parts[4].part { XCTAssertEqual(t, " $y 😀") } else { XCTFail() }
    }

    func testSingleQuotesAreRaw() {
        guard case .string(let parts)? = tokens(#"'a\n $x'"#).first, case .text(let t) = parts[0].part else { return XCTFail() }
        XCTAssertEqual(t, #"a\n $x"#)
    }

    func testUnterminatedString() {
        guard case .invalid(let m)? = tokens("\"abc").first else { return XCTFail() }
        XCTAssertTrue(m.hasPrefix("unterminated string"))
    }

    func testPositions() {
        let f = SourceFile(name: "x", text: "ab\ncdé f")
        XCTAssertEqual(f.lineColumn(0).line, 1)
        XCTAssertEqual(f.lineColumn(3).line, 2)
        // Columns count characters, not bytes.
        XCTAssertEqual(f.lineColumn(8).column, 5)
        XCTAssertEqual(f.lineText(4), "cdé f")
    }
}
