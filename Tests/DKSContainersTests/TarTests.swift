// TarTests: the ustar writer and reader round trip, long names, and hostile archives.
@testable import DKSContainers
import Foundation
import XCTest

final class TarTests: XCTestCase {
    func testRoundTrip() throws {
        let long = String(repeating: "d", count: 80) + "/" + String(repeating: "f", count: 90)
        let entries = [
            TarEntry(name: "dir/", kind: .directory, mode: 0o755),
            TarEntry(name: "dir/a.txt", kind: .file, mode: 0o644, bytes: Array("hello\n".utf8), mtime: 1_700_000_000),
            TarEntry(name: "dir/empty", kind: .file, mode: 0o600),
            TarEntry(name: "dir/big", kind: .file, mode: 0o644, bytes: (0..<2000).map { UInt8($0 % 251) }),
            TarEntry(name: "dir/link", kind: .symlink, mode: 0o777, linkTarget: "a.txt"),
            TarEntry(name: long, kind: .file, mode: 0o644, bytes: [1, 2, 3]),
        ]
        let archive = try Tar.write(entries)
        XCTAssertEqual(archive.count % 512, 0)
        let back = try Tar.read(archive)
        XCTAssertEqual(back, entries)
    }

    func testTooLongNameThrows() {
        XCTAssertThrowsError(try Tar.write([TarEntry(name: String(repeating: "x", count: 120), kind: .file, mode: 0o644)]))
    }

    func testCorruptArchiveThrows() throws {
        var archive = try Tar.write([TarEntry(name: "a", kind: .file, mode: 0o644, bytes: [1])])
        archive[0] = UInt8(ascii: "b")
        XCTAssertThrowsError(try Tar.read(archive))
        let truncated = Array(try Tar.write([TarEntry(name: "a", kind: .file, mode: 0o644, bytes: Array(repeating: 7, count: 1000))]).prefix(700))
        XCTAssertThrowsError(try Tar.read(truncated))
        XCTAssertEqual(try Tar.read([]), [])
    }

    func testExtractRefusesEscapes() throws {
        let root = NSTemporaryDirectory() + "dks-tar-\(getpid())"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        XCTAssertThrowsError(try CopyCommand.extract([TarEntry(name: "../evil", kind: .file, mode: 0o644)], into: root))
        XCTAssertThrowsError(try CopyCommand.extract([TarEntry(name: "/etc/evil", kind: .file, mode: 0o644)], into: root))
        try CopyCommand.extract([TarEntry(name: "d/", kind: .directory, mode: 0o755),
                                 TarEntry(name: "d/f", kind: .file, mode: 0o640, bytes: Array("x".utf8)),
                                 TarEntry(name: "d/l", kind: .symlink, mode: 0o777, linkTarget: "f")], into: root)
        XCTAssertEqual(try String(contentsOfFile: root + "/d/f", encoding: .utf8), "x")
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: root + "/d/l"), "f")
        // Host → archive → host keeps the tree.
        let entries = try CopyCommand.collect(root + "/d", as: "copy")
        XCTAssertEqual(entries.map { $0.name }, ["copy", "copy/f", "copy/l"])
        XCTAssertEqual(try Tar.read(try Tar.write(entries)).map { $0.kind }, [.directory, .file, .symlink])
    }
}
