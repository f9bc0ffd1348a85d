// HistoryRedactionTests: a `login` password never reaches the history file, in any spelling;
// everything else in an entry is kept as typed.
import XCTest
#if canImport(Glibc)
import Glibc
#endif
@testable import DKSPrompt

final class HistoryRedactionTests: XCTestCase {
    func testPasswordSpellings() {
        let m = HistoryRedaction.mask
        XCTAssertEqual(HistoryRedaction.redact("login reg:5000 -u ci -p s3cret"), "login reg:5000 -u ci -p \(m)")
        XCTAssertEqual(HistoryRedaction.redact("login -p 's3 cret' -u ci"), "login -p \(m) -u ci")
        XCTAssertEqual(HistoryRedaction.redact("login --password \"a\\\"b\" reg"), "login --password \(m) reg")
        XCTAssertEqual(HistoryRedaction.redact("login --password=s3cret reg"), "login --password=\(m) reg")
        XCTAssertEqual(HistoryRedaction.redact("login -ps3cret -u ci"), "login -p\(m) -u ci")
        XCTAssertEqual(HistoryRedaction.redact("$r = login reg -u ci -p x; echo $r"), "$r = login reg -u ci -p \(m); echo $r")
        XCTAssertEqual(HistoryRedaction.redact("login(\"reg\", username: \"ci\", password: \"s3cret\")"),
                       "login(\"reg\", username: \"ci\", password: \(m))")
        XCTAssertEqual(HistoryRedaction.redact("if true {\n  login reg -u ci -p x\n}"), "if true {\n  login reg -u ci -p \(m)\n}")
    }

    func testOtherEntriesUntouched() {
        for entry in ["run -p 8080:80 nginx", "echo login -p x", "login reg -u ci --password-stdin < pw.txt",
                      "$env.PW | login reg -u ci --password-stdin", "logins -p 1", "echo (len [1, 2])"] {
            XCTAssertEqual(HistoryRedaction.redact(entry), entry)
        }
        XCTAssertEqual(HistoryRedaction.redact("login reg -u ci -p x; run -p 80:80 img"), "login reg -u ci -p ********; run -p 80:80 img")
    }

    func testHistoryFileNeverHoldsThePassword() throws {
        let path = "/tmp/dks-redaction-test-\(getpid())/history"
        defer { _ = system("rm -rf '/tmp/dks-redaction-test-\(getpid())'") }
        let h = try XCTUnwrap(History(path: path))
        h.add("login 127.0.0.1:5001 -u ci -p hunter2-secret\n")
        let saved = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertFalse(saved.contains("hunter2"))
        XCTAssertTrue(saved.contains("login"))
    }

    func testImageCommandsComplete() {
        let hooks = PromptHooks(version: "t")
        for c in ["push", "save", "history", "tag", "pull", "rmi"] { XCTAssertTrue(hooks.engineNameTargets.imageCommands.contains(c), c) }
        XCTAssertTrue(hooks.engineNameTargets.multiImageCommands.contains("save"))
        for c in ["export", "commit", "stats"] { XCTAssertTrue(hooks.engineNameTargets.containerCommands.contains(c), c) }
    }
}
