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
