import XCTest
@testable import DKSLanguage

final class BinderTests: XCTestCase {
    let runSig = Signature("run", [.flag("detach", short: "d"), .option("name"), .repeated("env", short: "e"), .flag("tty", short: "t"),
                                   .flag("interactive", short: "i"), .arg("image"), .rest("cmd")], stopsAtFirstPositional: true)

    func bind(_ sig: Signature, _ shapes: [ArgShape], _ values: [Value]) throws -> [Value] {
        let plan = try Binder.plan(sig, shapes)
        var vals = sig.initialValues
        Binder.apply(plan.steps, values: values, into: &vals)
        return vals
    }

    func testOptionsFlagsRepeatablesAndStopAtFirstPositional() throws {
        let shapes: [ArgShape] = [
            .option(name: "d", isShort: true, hasInline: false, raw: "-d"),
            .option(name: "name", isShort: false, hasInline: false, raw: "--name"), .positional(raw: "web"),
            .option(name: "e", isShort: true, hasInline: false, raw: "-e"), .positional(raw: "A=1"),
            .option(name: "env", isShort: false, hasInline: true, raw: "--env=B=2"),
            .positional(raw: "busybox"), .positional(raw: "sh"),
            .option(name: "c", isShort: true, hasInline: false, raw: "-c"), .positional(raw: "echo hi"),
        ]
        let v = try bind(runSig, shapes, [.string("web"), .string("A=1"), .string("B=2"), .string("busybox"), .string("sh"), .string("echo hi")])
        XCTAssertEqual(v[0], .bool(true))
        XCTAssertEqual(v[1], .string("web"))
        XCTAssertEqual(v[2], .list([.string("A=1"), .string("B=2")]))
        XCTAssertEqual(v[5], .string("busybox"))
        // After the image, `-c` is data for the container's command.
        XCTAssertEqual(v[6], .list([.string("sh"), .string("-c"), .string("echo hi")]))
    }

    /// An option that takes a value takes the next word whatever it looks like, as the docker
    /// CLI's flag parser does: `top C --ps-args -ef`, `logs --tail -1`, `-e -x`, `--opt --`.
    func testAnOptionValueMayLookLikeAnOption() throws {
        let sig = Signature("top", [.arg("container"), .option("ps_args"), .repeated("env", short: "e"), .flag("all", short: "a")])
        let v = try bind(sig, [.positional(raw: "c"), .option(name: "ps-args", isShort: false, hasInline: false, raw: "--ps-args"),
                               .option(name: "ef", isShort: true, hasInline: false, raw: "-ef"),
                               .option(name: "e", isShort: true, hasInline: false, raw: "-e"), .option(name: "a", isShort: true, hasInline: false, raw: "-a"),
                               .option(name: "e", isShort: true, hasInline: false, raw: "-e"), .endOfOptions,
                               .option(name: "a", isShort: true, hasInline: false, raw: "-a")],
                         [.string("c")])
        XCTAssertEqual(v[1], .string("-ef"))
        XCTAssertEqual(v[2], .list([.string("-a"), .string("--")]))
        XCTAssertEqual(v[3], .bool(true))
        // `--x=$v` as the value: its value index is taken (and kept as the whole word).
        let plan = try Binder.plan(sig, [.positional(raw: "c"), .option(name: "ps-args", isShort: false, hasInline: false, raw: "--ps-args"),
                                         .option(name: "o", isShort: false, hasInline: true, raw: "--o=x")])
        XCTAssertEqual(plan.wholeWordValues, [1])
        XCTAssertThrowsError(try Binder.plan(sig, [.positional(raw: "c"), .option(name: "ps-args", isShort: false, hasInline: false, raw: "--ps-args")]))
    }

    func testClusteredShortFlags() throws {
        let v = try bind(runSig, [.option(name: "it", isShort: true, hasInline: false, raw: "-it"), .positional(raw: "img")], [.string("img")])
        XCTAssertEqual(v[3], .bool(true))
        XCTAssertEqual(v[4], .bool(true))
    }

    func testKeywordFormMatchesCommandForm() throws {
        let sig = Signature("logs", [.arg("container"), .option("tail"), .option("health_cmd")])
        let a = try bind(sig, [.positional(raw: nil), .keyword("tail"), .keyword("health_cmd")], [.string("c"), .int(5), .string("x")])
        let b = try bind(sig, [.positional(raw: nil), .option(name: "tail", isShort: false, hasInline: false, raw: "--tail"), .positional(raw: "5"),
                               .option(name: "health-cmd", isShort: false, hasInline: false, raw: "--health-cmd"), .positional(raw: "x")],
                         [.string("c"), .int(5), .string("x")])
        XCTAssertEqual(a, b)
    }

    func testErrorsSayWhatToDo() {
        let sig = Signature("logs", [.arg("container"), .option("tail")])
        XCTAssertThrowsError(try Binder.plan(sig, [.positional(raw: nil), .option(name: "tial", isShort: false, hasInline: false, raw: "--tial")])) { e in
            XCTAssertTrue((e as? BindError)?.message.contains("did you mean --tail?") ?? false)
        }
        XCTAssertThrowsError(try Binder.plan(sig, [.positional(raw: nil), .option(name: "tail", isShort: false, hasInline: false, raw: "--tail")])) { e in
            XCTAssertTrue((e as? BindError)?.message.contains("needs a value") ?? false)
        }
        XCTAssertThrowsError(try Binder.plan(sig, [])) { e in
            XCTAssertTrue((e as? BindError)?.message.contains("missing its container") ?? false)
        }
    }

    func testEndOfOptions() throws {
        let sig = Signature("echo", [.flag("n", short: "n"), .rest("values")])
        let v = try bind(sig, [.endOfOptions, .option(name: "n", isShort: true, hasInline: false, raw: "-n")], [])
        XCTAssertEqual(v[0], .bool(false))
        XCTAssertEqual(v[1], .list([.string("-n")]))
    }

    func testClosestName() {
        XCTAssertEqual(closestName("contianer", among: ["container", "count"]), "container")
        XCTAssertNil(closestName("zzz", among: ["container"]))
    }
}
