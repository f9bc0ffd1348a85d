import XCTest
@testable import DKSLanguage

final class ParserTests: XCTestCase {
    func parse(_ s: String) throws -> [Stmt] { try Parser.parse(SourceFile(name: "<t>", text: s)) }

    func errors(_ s: String) -> [SyntaxError] {
        do { _ = try parse(s); return [] } catch let e as SyntaxErrors { return e.errors } catch { return [] }
    }

    func testCommandVersusCall() throws {
        let stmts = try parse("echo (1)\necho(1)")
        guard case .command(let c) = stmts[0] else { return XCTFail("a name then space is a command") }
        XCTAssertEqual(c.name, "echo")
        guard case .expression(.namedCall("echo", _, _)) = stmts[1] else { return XCTFail("name( is a call") }
    }

    func testCommandWords() throws {
        guard case .command(let c) = try parse("run -d --name=web -e A=1 -- busybox sleep 300 $x.y \"q\" 1m30s").first else { return XCTFail() }
        XCTAssertEqual(c.args.count, 11)
        if case .option(let n, let short, nil, _, _) = c.args[0] { XCTAssertEqual(n, "d"); XCTAssertTrue(short) } else { XCTFail() }
        if case .option(let n, false, .some, _, _) = c.args[1] { XCTAssertEqual(n, "name") } else { XCTFail() }
        if case .endOfOptions = c.args[4] {} else { XCTFail() }
        if case .value(.literal(.int(300), _), _, _) = c.args[7] {} else { XCTFail("exact number words are numbers") }
        if case .value(.member(.variable("x", _), "y", _), _, _) = c.args[8] {} else { XCTFail() }
        if case .value(.literal(.string("1m30s"), _), _, _) = c.args[10] {} else { XCTFail("other words are strings") }
    }

    func testAssignmentTakesACommand() throws {
        guard case .assign(let lv, .set, .command(let c), _) = try parse("$web = run -d busybox").first else { return XCTFail() }
        XCTAssertEqual(lv.variable, "web")
        XCTAssertEqual(c.name, "run")
    }

    func testPrecedence() throws {
        guard case .expression(.or(.and(_, .not(_, _), _), _, _)) = try parse("1 and not 2 or 3").first else { return XCTFail() }
        guard case .expression(.binary(.add, .literal, .binary(.mul, _, _, _), _)) = try parse("1 + 2 * 3").first else { return XCTFail() }
        guard case .expression(.binary(.lt, .binary(.rangeIncl, _, _, _), _, _)) = try parse("1..2 < 3").first else { return XCTFail() }
    }

    func testNewlinesInsideBracketsAreIgnored() throws {
        XCTAssertEqual(try parse("$x = [1,\n 2,\n 3]\n$m = {\n a: 1,\n b: 2\n}").count, 2)
    }

    func testUnterminatedConstructsPointAtTheirStart() {
        let e = errors("echo 1\nif true {\n echo 2\n")
        XCTAssertEqual(e.count, 1)
        XCTAssertEqual(e.first?.loc.line, 2)
        XCTAssertEqual(e.first?.loc.column, 9)
        XCTAssertEqual(errors("$x = [1, 2").first?.loc.column, 6)
    }

    func testEveryErrorIsReported() {
        XCTAssertEqual(errors("$x = )\n$y = ]\necho ok").count, 2)
    }

    func testDeepNestingIsAnErrorNotACrash() {
        let deep = String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000)
        XCTAssertTrue(errors("$x = " + deep).first?.message.contains("nested too deeply") ?? false)
    }

    func testElifElseOnFollowingLines() throws {
        guard case .ifElse(let b, let e, _) = try parse("if 1 { }\nelif 2 { }\nelse { }").first else { return XCTFail() }
        XCTAssertEqual(b.count, 2)
        XCTAssertNotNil(e)
    }

    /// Found by FuzzParse: a backslash before a lone CR made the command parser add empty words forever.
    func testBackslashBeforeALoneCarriageReturnTerminates() throws {
        // A lone CR is a blank, so this is two words: `a\` and `b`.
        guard case .command(let c) = try parse("echo a\\\rb\n").first else { return XCTFail() }
        XCTAssertEqual(c.args.count, 2)
        XCTAssertFalse(errors("echo \\\r\"x\n").isEmpty)
        // A real continuation (backslash, CR LF) still joins the lines.
        guard case .command(let d) = try parse("echo a \\\r\n b\n").first else { return XCTFail() }
        XCTAssertEqual(d.args.count, 2)
    }
}
