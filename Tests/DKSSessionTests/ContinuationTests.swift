// ContinuationTests: which entries continue on `...> ` and which run (and maybe fail) at once.
import XCTest
@testable import DKSSession

final class ContinuationTests: XCTestCase {
    func testCompleteEntries() {
        for text in ["echo hi\n", "$x = [1, 2]\n", "if true { echo 1 }\n", "\n", "echo \"a\\\\\"\n", "echo )\n", "echo 'it''s'\n"] {
            XCTAssertFalse(Continuation.needsMore(text), text)
        }
    }

    func testUnfinishedEntries() {
        for text in ["$x = [1,\n", "if true {\n", "fn f($a) {\n  echo $a\n", "echo \"abc\n", "echo 'abc\n", "len(\n",
                     "echo a \\\n", "$m = {a: 1,\n", "echo \"${1 +\n"] {
            XCTAssertTrue(Continuation.needsMore(text), text)
        }
    }

    func testEscapedBackslashIsNotAContinuation() {
        XCTAssertFalse(Continuation.endsWithLineContinuation("echo a\\\\\n"))
        XCTAssertTrue(Continuation.endsWithLineContinuation("echo a\\\n"))
    }
}
