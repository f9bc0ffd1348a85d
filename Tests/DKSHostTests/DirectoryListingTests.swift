// DirectoryListingTests: every directory walk reads readdir's records in place. A walk that
// copied the fixed 256-byte `d_name` read past the last record of glibc's buffer; these tests
// list directories whose last record is short (and names of every length up to 255 bytes), so
// under scripts/sanitize (AddressSanitizer) the old code fails them, and they check the names.
import DKSHost
@testable import DKSSupport
import Glibc
import XCTest

final class DirectoryListingTests: XCTestCase {
    var dir = ""

    override func setUpWithError() throws {
        var template = Array("/tmp/dks-dirlist.XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw XCTSkip("mkdtemp failed") }
        dir = String(cString: made)
    }

    override func tearDown() {
        for name in DirectoryListing.names(dir) { unlink(dir + "/" + name) }
        rmdir(dir)
    }

    private func touch(_ name: String, mode: mode_t = 0o644) {
        let fd = open(dir + "/" + name, O_CREAT | O_WRONLY, mode)
        XCTAssertGreaterThanOrEqual(fd, 0, "create \(name)")
        close(fd)
    }

    func testNamesOfEveryLengthAreReadWhole() {
        var expected: [String] = []
        for length in [1, 2, 7, 8, 100, 200, 254, 255] {
            let name = String(repeating: "n", count: length - 1) + "\(length % 10)"
            touch(name)
            expected.append(name)
        }
        XCTAssertEqual(DirectoryListing.names(dir).sorted(), expected.sorted())
    }

    func testDotEntriesAreLeftOutAndTypesKept() throws {
        touch("a")
        XCTAssertEqual(mkdir(dir + "/sub", 0o755), 0)
        defer { rmdir(dir + "/sub") }
        let entries = try XCTUnwrap(DirectoryListing.entries(dir))
        XCTAssertEqual(entries.map(\.name).sorted(), ["a", "sub"])
        let sub = try XCTUnwrap(entries.first { $0.name == "sub" })
        XCTAssertTrue(sub.type == UInt8(DT_DIR) || sub.type == UInt8(DT_UNKNOWN))
        XCTAssertNil(DirectoryListing.entries(dir + "/missing"))
        XCTAssertEqual(DirectoryListing.entries(dir, limit: 1)?.count, 1)
    }

    /// The callers: PATH scans (the crash ASan found), /proc, archives.
    func testWalksThatUseIt() throws {
        touch("x", mode: 0o755)
        touch("short-tail", mode: 0o755)
        XCTAssertEqual(ProgramLookup.allNames(path: dir), ["short-tail", "x"])
        XCTAssertTrue(ProcessTree.tree(of: getpid()).contains(getpid()))
        XCTAssertEqual(try HostTreeArchiver.children(dir), ["short-tail", "x"])
    }
}
