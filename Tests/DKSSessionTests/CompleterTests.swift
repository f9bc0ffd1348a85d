// CompleterTests: completion as a pure function of the text before the cursor and a fixed context.
import XCTest
import DKSLanguage
@testable import DKSSession

/// A context with fixed names, so tests need no interpreter, engine or file system.
final class FakeContext: CompletionContext {
    var commands = ["echo", "exec", "exit", "len", "logs", "run", "sleep"]
    var signatures: [String: Signature] = [
        "run": Signature("run", [.flag("detach", short: "d"), .option("name"), .flag("rm"), .repeated("env", short: "e"),
                                 .arg("image"), .rest("command")], stopsAtFirstPositional: true),
        "logs": Signature("logs", [.arg("container"), .option("tail"), .flag("follow", short: "f")]),
        "exec": Signature("exec", [.flag("interactive", short: "i"), .flag("tty", short: "t"), .arg("container"), .rest("command")],
                          stopsAtFirstPositional: true),
    ]
    var variables = ["web", "width", "config"]
    var members: [String: [String]] = ["web": ["name", "id", "status"], "config.db": ["host", "port"]]
    var containers = ["web", "worker"]
    var images = ["busybox:latest", "alpine:3.20"]
    var files = ["./script.dks", "./scripts/", "/etc/hosts", "/etc/hostname"]

    var commandNames: [String] { commands }
    func signature(ofCommand name: String) -> Signature? { signatures[name] }
    var variableNames: [String] { variables }
    func memberNames(ofVariable variable: String, path: [String]) -> [String] {
        members[([variable] + path).joined(separator: ".")] ?? []
    }
    func engineNames(forCommand command: String, positionalIndex: Int) -> [String] {
        if command == "logs" || (command == "exec" && positionalIndex == 0) { return containers }
        if command == "run", positionalIndex == 0 { return images }
        return []
    }
    func pathCandidates(_ partial: String) -> [String] { files.filter { $0.hasPrefix(partial) } }
    var programNames: [String] { ["git", "gitk", "gzip", "grep"] }
    var helpTopicNames: [String] { ["if", "interpolation", "else", "pipes"] }
}

final class CompleterTests: XCTestCase {
    let ctx = FakeContext()

    func complete(_ text: String) -> CompletionResult { Completer.complete(text, context: ctx) }

    func testCommandNameAtStatementStart() {
        XCTAssertEqual(complete("sl").candidates, ["sleep"])
        XCTAssertEqual(complete("sl").insertion, "eep ")
        XCTAssertEqual(complete("e").candidates, ["echo", "exec", "exit"])
        XCTAssertEqual(complete("ex").insertion, "")
        XCTAssertEqual(complete("echo 1; sl").candidates, ["sleep"])
        XCTAssertEqual(complete("if true { sl").candidates, ["sleep"])
        XCTAssertEqual(complete("$x = le").candidates, ["len"])
        XCTAssertEqual(complete("return le").candidates, ["len"])
        XCTAssertEqual(complete("echo (le").candidates, ["len"])
        XCTAssertEqual(complete("help lo").candidates, ["logs"])
        XCTAssertEqual(complete("help i").candidates, ["if", "interpolation"], "help completes syntax topics too")
        XCTAssertEqual(complete("help e").candidates, ["echo", "else", "exec", "exit"])
        XCTAssertEqual(complete("tutorial r").candidates, ["reset"])
    }

    func testOptionsOfTheStatementsCommand() {
        XCTAssertEqual(complete("run --n").candidates, ["--name"])
        XCTAssertEqual(complete("run --n").insertion, "ame ")
        XCTAssertEqual(complete("logs web --").candidates, ["--follow", "--tail"])
        XCTAssertEqual(complete("$c = run -d --r").candidates, ["--rm"])
        XCTAssertEqual(complete("nosuch --x").candidates, [])
    }

    func testVariablesAndMembers() {
        XCTAssertEqual(complete("echo $w").candidates, ["$web", "$width"])
        XCTAssertEqual(complete("echo $w").insertion, "")
        XCTAssertEqual(complete("echo $co").insertion, "nfig")
        XCTAssertEqual(complete("$we").candidates, ["$web"])
        XCTAssertEqual(complete("echo $web.st").candidates, ["status"])
        XCTAssertEqual(complete("echo $web.st").insertion, "atus")
        XCTAssertEqual(complete("echo $web.").candidates, ["id", "name", "status"])
        XCTAssertEqual(complete("echo $config.db.p").candidates, ["port"])
        XCTAssertEqual(complete("len($web.na").candidates, ["name"])
    }

    func testEngineNamesByPosition() {
        XCTAssertEqual(complete("logs w").candidates, ["web", "worker"])
        XCTAssertEqual(complete("run -d --name x busy").candidates, ["busybox:latest"])
        XCTAssertEqual(complete("run -d busybox sl").candidates, [])
        XCTAssertEqual(complete("exec -it wo").candidates, ["worker"])
        XCTAssertEqual(complete("exec -it worker s").candidates, [])
    }

    /// `^` + Tab: programs on PATH; after `>`/`<` (attached or not): paths; after `|`: a command.
    func testProgramsRedirectionsAndPipes() {
        XCTAssertEqual(complete("^gi").candidates, ["^git", "^gitk"])
        XCTAssertEqual(complete("echo hi | ^gz").insertion, "ip ")
        XCTAssertEqual(complete("echo hi > /etc/host").candidates, ["/etc/hostname", "/etc/hosts"])
        XCTAssertEqual(complete("echo hi >/etc/hostn").candidates, [">/etc/hostname"])
        XCTAssertEqual(complete("^wc -l < ./scr").candidates, ["./script.dks", "./scripts/"])
        XCTAssertEqual(complete("^git log 2>> /etc/hosts").candidates, ["/etc/hosts"])
        XCTAssertEqual(complete("^git log | ec").candidates, ["echo"])
    }

    func testPaths() {
        XCTAssertEqual(complete("source ./scr").candidates, ["./script.dks", "./scripts/"])
        XCTAssertEqual(complete("source ./scripts").insertion, "/")
        XCTAssertEqual(complete("cat /etc/host").candidates, ["/etc/hostname", "/etc/hosts"])
        XCTAssertEqual(complete("echo \"/etc/hostn").candidates, ["/etc/hostname"])
    }

    func testOptionValueIsNotAPositional() {
        XCTAssertNil(Completer.positionalIndex(["--name"], signature: ctx.signatures["run"]))
        XCTAssertEqual(Completer.positionalIndex(["-d", "--name", "x"], signature: ctx.signatures["run"]), 0)
        XCTAssertEqual(Completer.positionalIndex(["-d", "busybox", "--name"], signature: ctx.signatures["run"]), 2)
        XCTAssertEqual(Completer.positionalIndex(["--name=x", "img"], signature: ctx.signatures["run"]), 1)
    }

    func testCommonPrefix() {
        XCTAssertEqual(commonPrefix(["abc", "abd", "ab"]), "ab")
        XCTAssertEqual(commonPrefix([]), "")
        XCTAssertEqual(commonPrefix(["x"]), "x")
    }

    func testPathCompleterKeepsTildeAndMarksDirectories() {
        let listing: (String) -> [PathCompleter.Entry] = { dir in
            dir == "/home/u/" ? [.init(name: "Documents", isDirectory: true), .init(name: ".hidden", isDirectory: false),
                                 .init(name: "notes.txt", isDirectory: false)] : []
        }
        XCTAssertEqual(PathCompleter.candidates("~/", home: "/home/u", list: listing), ["~/Documents/", "~/notes.txt"])
        XCTAssertEqual(PathCompleter.candidates("~/.h", home: "/home/u", list: listing), ["~/.hidden"])
        XCTAssertEqual(PathCompleter.candidates("~", home: "/home/u", list: listing), ["~/"])
    }
}
