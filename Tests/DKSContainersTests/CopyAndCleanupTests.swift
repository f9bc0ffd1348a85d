// CopyAndCleanupTests: cp in both directions against the fake engine, rm -f of a gone
// container, and an interrupt that still lets cleanup reach the engine.
@testable import DKSContainers
import DKSEngine
import DKSLanguage
import Foundation
import XCTest

final class CopyAndCleanupTests: XCTestCase {
    private func tempDir() throws -> String {
        let d = NSTemporaryDirectory() + "dks-cp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }

    func testCopyOutIntoDirectoryAndAsNewName() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let h = Harness()
        _ = try h.run("$c = run -d --name box busybox sleep 9")
        h.engine.archive = try archive([.file("hostname", "box\n")])
        _ = try h.run("cp box:/etc/hostname \(dir)")
        XCTAssertEqual(try String(contentsOfFile: dir + "/hostname", encoding: .utf8), "box\n")
        _ = try h.run("cp \"$c:/etc/hostname\" \(dir)/renamed")
        XCTAssertEqual(try String(contentsOfFile: dir + "/renamed", encoding: .utf8), "box\n")
    }

    func testCopyInNamesTheEntryAfterTheSource() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "data".write(toFile: dir + "/f.txt", atomically: true, encoding: .utf8)
        let h = Harness()
        h.engine.pathStats["/tmp/"] = ContainerPathStat(name: "tmp", mode: ContainerPathStat.modeDir | 0o755)
        _ = try h.run("run -d --name box busybox sleep 9\ncp \(dir)/f.txt box:/tmp/")
        let (path, tar) = try XCTUnwrap(h.engine.copiedIn.last)
        XCTAssertEqual(path, "/tmp/")
        let entries = try members(tar)
        XCTAssertEqual(entries.map { $0.header.name }, ["f.txt"])
        XCTAssertEqual(entries.first?.data, Array("data".utf8))
        XCTAssertEqual(h.fail("cp \(dir)/f.txt \(dir)/g.txt")?.kind, .valueError)
        XCTAssertEqual(h.fail("cp \(dir)/missing box:/tmp/")?.kind, .ioError)
    }

    /// Podman's PUT /archive into a missing path creates a directory instead of answering 404, so
    /// dks must never find out what the destination is by trying a PUT: it stats first (HEAD), as
    /// the docker CLI does, and then sends one archive to the right directory under the right name.
    func testCopyInStatsTheDestinationFirstAndSendsOneArchive() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/tree/sub", withIntermediateDirectories: true)
        try "data".write(toFile: dir + "/f.txt", atomically: true, encoding: .utf8)
        try "deep".write(toFile: dir + "/tree/sub/deep", atomically: true, encoding: .utf8)
        let h = Harness()
        h.engine.pathStats["/tmp"] = ContainerPathStat(name: "tmp", mode: ContainerPathStat.modeDir | 0o1777)
        h.engine.pathStats["/tmp/file"] = ContainerPathStat(name: "file", mode: 0o644)
        _ = try h.run("run -d --name box busybox sleep 9\ncp \(dir)/f.txt box:/tmp/new.txt\ncp \(dir)/tree box:/tmp/newdir")
        XCTAssertEqual(h.engine.copiedIn.map { $0.0 }, ["/tmp", "/tmp"])
        XCTAssertEqual(try members(h.engine.copiedIn[0].1).map { $0.header.name }, ["new.txt"])
        XCTAssertEqual(try members(h.engine.copiedIn[1].1).map { $0.header.name }, ["newdir", "newdir/sub", "newdir/sub/deep"])
        // A directory onto an existing file is refused before anything is sent (docker: "cannot copy directory").
        XCTAssertEqual(h.fail("cp \(dir)/tree box:/tmp/file")?.kind, .valueError)
        XCTAssertEqual(h.engine.copiedIn.count, 2)
        // A missing container is named as such (docker cp says "no such directory" here).
        let e = h.fail("cp \(dir)/f.txt nosuch:/tmp/")
        XCTAssertEqual(e?.kind, .notFound)
        XCTAssertTrue(e?.message.contains("no such container: nosuch") ?? false, e?.message ?? "")
    }

    func testCopyOutNeverCreatesParentsOrTurnsAFileIntoADirectory() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let h = Harness()
        _ = try h.run("run -d --name box busybox sleep 9")
        h.engine.archive = try archive([.file("hostname", "box\n")])
        XCTAssertEqual(h.fail("cp box:/etc/hostname \(dir)/missing/x/y.txt")?.kind, .ioError)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/missing"))
        XCTAssertEqual(h.fail("cp box:/etc/hostname \(dir)/notadir/")?.kind, .ioError)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/notadir"))
        h.engine.archive = try archive([.dir("t"), .file("t/f", "x"), .hardLink("t/g", "t/f")])
        try "keep".write(toFile: dir + "/file", atomically: true, encoding: .utf8)
        XCTAssertEqual(h.fail("cp box:/t \(dir)/file")?.kind, .valueError)
        XCTAssertEqual(try String(contentsOfFile: dir + "/file", encoding: .utf8), "keep")
        // Hard links in the archive are links on the host (they used to be dropped).
        _ = try h.run("cp box:/t \(dir)/copy")
        var a = stat(), b = stat()
        XCTAssertEqual(stat(dir + "/copy/f", &a), 0)
        XCTAssertEqual(stat(dir + "/copy/g", &b), 0)
        XCTAssertEqual(a.st_ino, b.st_ino)
    }

    func testRmForceIgnoresGoneContainers() throws {
        let h = Harness()
        _ = try h.run("$c = run -d busybox sleep 9\nrm -f $c\nrm -f $c")
        XCTAssertEqual(h.fail("rm $c")?.kind, .notFound)
    }

    func testInterruptedErrorClearsTheFlag() {
        Interruption.request()
        let e = ErrorMapping.map(EngineError(.interrupted, "stop"), command: "wait") as? ScriptError
        XCTAssertEqual(e?.kind, .interrupted)
        XCTAssertFalse(Interruption.isRequested)
    }

    func testGetKeepsTheCollectionsForm() throws {
        let h = Harness()
        XCTAssertEqual(try h.run("echo (get({a: 1}, \"b\", 0)) (get([1, 2], 5, \"none\")) (get(\"abc\", 1))"), "0 none b\n")
    }
}
