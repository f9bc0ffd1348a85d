// CandidateColumnsTests: how the prompt lists several completion candidates in columns.
import XCTest
@testable import DKSPrompt

final class CandidateColumnsTests: XCTestCase {
    func testCandidateColumns() {
        XCTAssertEqual(CandidateColumns.displayName("/etc/hosts"), "hosts")
        XCTAssertEqual(CandidateColumns.displayName("./scripts/"), "scripts/")
        XCTAssertEqual(CandidateColumns.layout(["a", "b", "c"], width: 80), "a  b  c\n")
        XCTAssertEqual(CandidateColumns.layout(["aa", "bb", "cc"], width: 8), "aa  cc\nbb\n")
    }
}
