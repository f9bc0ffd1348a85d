// GlobTests: glob() against a folder tree made for the test — *, ?, [..], ** and hidden names.
@testable import DKSShell
import Glibc
import XCTest

final class GlobTests: XCTestCase {
    var root = ""

    override func setUp() {
        root = "/tmp/dks-glob-\(getpid())"
        for d in ["", "/a", "/a/b", "/.hidden"] { mkdir(root + d, 0o755) }
        for f in ["/x.txt", "/y.txt", "/z.md", "/.dot.txt", "/a/in.txt", "/a/b/deep.txt", "/.hidden/h.txt"] {
            close(open(root + f, O_CREAT | O_WRONLY, 0o644))
        }
    }

    override func tearDown() {
        for f in ["/x.txt", "/y.txt", "/z.md", "/.dot.txt", "/a/in.txt", "/a/b/deep.txt", "/.hidden/h.txt"] { unlink(root + f) }
        for d in ["/a/b", "/a", "/.hidden", ""] { rmdir(root + d) }
    }

    func testPatterns() {
        XCTAssertEqual(Glob.matches(root + "/*.txt"), [root + "/x.txt", root + "/y.txt"])
        XCTAssertEqual(Glob.matches(root + "/?.md"), [root + "/z.md"])
        XCTAssertEqual(Glob.matches(root + "/[xz].*"), [root + "/x.txt", root + "/z.md"])
        XCTAssertEqual(Glob.matches(root + "/.*.txt"), [root + "/.dot.txt"])
        XCTAssertEqual(Glob.matches(root + "/**/*.txt"), [root + "/a/b/deep.txt", root + "/a/in.txt", root + "/x.txt", root + "/y.txt"])
        XCTAssertEqual(Glob.matches(root + "/*/"), [root + "/a/"])
        XCTAssertEqual(Glob.matches(root + "/nothing*"), [])
    }
}
