// HistoryPathTests: where history lives, and that its directory gets created.
import XCTest
#if canImport(Glibc)
import Glibc
#endif
@testable import DKSPrompt

final class HistoryPathTests: XCTestCase {
    func testXDGStateHomeWins() {
        XCTAssertEqual(HistoryPath.choose(environment: ["XDG_STATE_HOME": "/s/", "HOME": "/h"]), "/s/dks/history")
    }

    func testHomeFallbackAndRelativeXDGIgnored() {
        XCTAssertEqual(HistoryPath.choose(environment: ["HOME": "/h"]), "/h/.dks_history")
        XCTAssertEqual(HistoryPath.choose(environment: ["XDG_STATE_HOME": "rel", "HOME": "/h/"]), "/h/.dks_history")
        XCTAssertNil(HistoryPath.choose(environment: [:]))
    }

    func testParentDirectoriesAreCreatedAndHistoryRoundTrips() throws {
        let base = "/tmp/dks-history-test-\(getpid())"
        let path = base + "/a/b/dks/history"
        XCTAssertTrue(HistoryPath.makeParentDirectories(of: path))
        var st = stat()
        XCTAssertEqual(stat(base + "/a/b/dks", &st), 0)
        let h = try XCTUnwrap(History(path: path))
        h.add("echo one\n")
        h.add("if true {\n  echo two\n}\n")
        let again = try XCTUnwrap(History(path: path))
        XCTAssertEqual(again.count, 2)
        _ = system("rm -rf '\(base)'")
    }
}
