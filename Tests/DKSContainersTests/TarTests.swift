// TarTests: the streaming tar writer and reader (round trips, long names, PAX, pieces of any
// size, malformed input), and extraction against hostile archives: nothing is ever written
// through a link that is on disk, and no member lands outside the destination.
@testable import DKSContainers
import DKSSupport
import Foundation
import XCTest

/// A member for building test archives in memory.
struct Member {
    var header: TarHeader
    var data: [UInt8] = []

    static func file(_ name: String, _ text: String = "", mode: Int = 0o644, mtime: Int64 = 1_700_000_000) -> Member {
        Member(header: TarHeader(name: name, kind: .file, mode: mode, size: Int64(text.utf8.count), mtime: mtime), data: Array(text.utf8))
    }
    static func dir(_ name: String, mode: Int = 0o755) -> Member { Member(header: TarHeader(name: name, kind: .directory, mode: mode)) }
    static func symlink(_ name: String, _ target: String) -> Member {
        Member(header: TarHeader(name: name, kind: .symlink, mode: 0o777, linkTarget: target))
    }
    static func hardLink(_ name: String, _ target: String) -> Member {
        Member(header: TarHeader(name: name, kind: .hardLink, mode: 0o644, linkTarget: target))
    }
}

func archive(_ members: [Member], chunkSize: Int = 64 * 1024) throws -> [UInt8] {
    var out: [UInt8] = []
    let writer = TarWriter(chunkSize: chunkSize) { out += $0 }
    for m in members {
        try writer.append(m.header)
        try writer.write(m.data)
    }
    try writer.finish()
    return out
}

/// Every member of an archive with its data, read from pieces of `piece` bytes.
func members(_ bytes: [UInt8], piece: Int = 1 << 20) throws -> [Member] {
    var offset = 0
    let reader = TarReader(source: {
        guard offset < bytes.count else { return nil }
        let end = min(bytes.count, offset + piece)
        defer { offset = end }
        return Array(bytes[offset..<end])
    })
    var out: [Member] = []
    while let h = try reader.next() {
        var data: [UInt8] = []
        while let p = try reader.read(max: 1000) { data += p }
        out.append(Member(header: h, data: data))
    }
    return out
}

final class TarTests: XCTestCase {
    private var root = ""
    private var outside = ""

    override func setUpWithError() throws {
        let base = NSTemporaryDirectory() + "dks-tar-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        root = base + "/dest"
        outside = base + "/outside"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        _ = chmodTree(GoPath.dir(root))
        try? FileManager.default.removeItem(atPath: GoPath.dir(root))
    }

    private func chmodTree(_ path: String) -> Bool {
        let e = FileManager.default.enumerator(atPath: path)
        chmod(path, 0o755)
        while let p = e?.nextObject() as? String {
            var st = stat()
            if lstat(path + "/" + p, &st) == 0, st.st_mode & S_IFMT == S_IFDIR { chmod(path + "/" + p, 0o755) }
        }
        return true
    }

    private func extract(_ list: [Member], into dir: String? = nil) throws -> ArchiveExtractor {
        let extractor = try ArchiveExtractor(root: dir ?? root)
        try extractor.extract(TarReader(bytes: try archive(list)), rename: { $0 })
        return extractor
    }

    private func assertRefused(_ list: [Member], _ phrase: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try extract(list), file: file, line: line) { error in
            XCTAssertTrue("\(error)".contains(phrase), "\(error)", file: file, line: line)
        }
    }

    private func outsideIsUntouched(file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: outside), [], file: file, line: line)
        var st = stat()
        XCTAssertEqual(stat(outside, &st), 0)
        XCTAssertEqual(st.st_mode & 0o7777, 0o755, "the outside directory's mode changed", file: file, line: line)
    }

    private func text(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }

    // MARK: Writer and reader

    func testRoundTripKeepsEveryKindAndField() throws {
        let long = String(repeating: "d", count: 80) + "/" + String(repeating: "f", count: 90)
        let veryLong = String(repeating: "x", count: 300) + "/leaf"
        var fifo = TarHeader(name: "dir/fifo", kind: .fifo, mode: 0o600, mtime: 5)
        fifo.uid = 1000
        let list: [Member] = [
            .dir("dir", mode: 0o1777),
            .file("dir/a.txt", "hello\n", mode: 0o4755),
            .file("dir/empty", mode: 0o600),
            Member(header: TarHeader(name: "dir/big", kind: .file, mode: 0o644, size: 2000), data: (0..<2000).map { UInt8($0 % 251) }),
            .symlink("dir/link", "a.txt"),
            .symlink("dir/longlink", String(repeating: "t", count: 150)),
            .hardLink("dir/hard", "dir/a.txt"),
            Member(header: fifo),
            Member(header: TarHeader(name: "dir/null", kind: .charDevice, mode: 0o666, devMajor: 1, devMinor: 3)),
            .file(long, "L"),
            .file(veryLong, "V"),
            .file("dir/ünïcødé ☃.txt", "u"),
        ]
        let bytes = try archive(list)
        XCTAssertEqual(bytes.count % 512, 0)
        for piece in [1, 7, 512, 100_000] {
            let back = try members(bytes, piece: piece)
            XCTAssertEqual(back.map { $0.header }, list.map { $0.header }, "piece \(piece)")
            XCTAssertEqual(back.map { $0.data }, list.map { $0.data }, "piece \(piece)")
        }
    }

    func testWriterStreamsInBoundedPieces() throws {
        var pieces: [Int] = []
        let writer = TarWriter(chunkSize: 4096) { pieces.append($0.count) }
        try writer.append(TarHeader(name: "big", kind: .file, mode: 0o644, size: 1 << 20))
        for _ in 0..<256 { try writer.write([UInt8](repeating: 1, count: 4096)) }
        try writer.finish()
        XCTAssertLessThanOrEqual(pieces.max() ?? 0, 8192)
        XCTAssertEqual(pieces.reduce(0, +), 512 + (1 << 20) + 1024)
    }

    func testWriterRefusesDataThatDoesNotMatchTheSize() throws {
        let w = TarWriter { _ in }
        try w.append(TarHeader(name: "f", kind: .file, mode: 0o644, size: 3))
        XCTAssertThrowsError(try w.write([1, 2, 3, 4]))
        try w.write([1, 2])
        XCTAssertThrowsError(try w.finish())
    }

    func testSizesBeyondUstarUsePAX() throws {
        var bytes: [UInt8] = []
        let w = TarWriter(chunkSize: 512) { bytes += $0 }
        try w.append(TarHeader(name: "huge", kind: .file, mode: 0o644, size: 9 << 30, mtime: 1))
        let header = try TarReader(bytes: bytes).next()
        XCTAssertEqual(header?.size, 9 << 30)
        XCTAssertEqual(header?.name, "huge")
    }

    func testMalformedArchivesThrow() throws {
        var corrupt = try archive([.file("a", "x")])
        corrupt[0] = UInt8(ascii: "b")
        XCTAssertThrowsError(try members(corrupt))
        let truncated = Array(try archive([.file("a", String(repeating: "7", count: 1000))]).prefix(700))
        XCTAssertThrowsError(try members(truncated))
        XCTAssertEqual(try members([]).count, 0)
        // An extended header claiming gigabytes is refused before anything is read into memory.
        var pax = try archive([.file("a", "x")])
        let hugePax = header(name: "p", type: UInt8(ascii: "x"), size: 1 << 30)
        pax.replaceSubrange(0..<512, with: hugePax)
        XCTAssertThrowsError(try members(pax)) { XCTAssertTrue("\($0)".contains("too large"), "\($0)") }
        // Garbage that is not a tar at all.
        XCTAssertThrowsError(try members([UInt8](repeating: 65, count: 2048)))
    }

    /// A raw header block (for archives our writer would never produce).
    private func header(name: String, type: UInt8, size: Int64, link: String = "") -> [UInt8] {
        var h = [UInt8](repeating: 0, count: 512)
        for (i, b) in name.utf8.enumerated() { h[i] = b }
        for (i, b) in "0000644\0".utf8.enumerated() { h[100 + i] = b }
        let sizeText = String(size, radix: 8)
        for (i, b) in (String(repeating: "0", count: 11 - sizeText.count) + sizeText).utf8.enumerated() { h[124 + i] = b }
        h[156] = type
        for (i, b) in link.utf8.enumerated() { h[157 + i] = b }
        for (i, b) in "ustar\u{0}00".utf8.enumerated() { h[257 + i] = b }
        for i in 148..<156 { h[i] = 32 }
        let sum = String(h.reduce(0) { $0 + Int($1) }, radix: 8)
        for (i, b) in (String(repeating: "0", count: 6 - sum.count) + sum).utf8.enumerated() { h[148 + i] = b }
        h[154] = 0
        return h
    }

    private func rawArchive(_ blocks: [[UInt8]]) -> [UInt8] { blocks.flatMap { $0 } + [UInt8](repeating: 0, count: 1024) }

    // MARK: Extraction: links already on disk (issue 11 item 1)

    /// The first repro: an earlier copy left `d/abs -> OUTSIDE`; the container then made `/d/abs` a
    /// setuid directory with a file in it. The second copy must refuse, as `docker cp` does
    /// ("cannot overwrite non-directory"), and write and chmod nothing outside.
    func testSecondCopyDoesNotWriteThroughAnAbsoluteLinkLeftByTheFirst() throws {
        _ = try extract([.dir("d"), .symlink("d/abs", outside)])
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: root + "/d/abs"), outside)
        assertRefused([.dir("d"), .dir("d/abs", mode: 0o4777), .file("d/abs/file", "pwned")], "cannot overwrite non-directory")
        outsideIsUntouched()
    }

    func testSecondCopyDoesNotWriteThroughARelativeLinkLeftByTheFirst() throws {
        // docker refuses such a link in the first copy already ("invalid symlink"); a link made on
        // the host by anyone else must not be followed either.
        try FileManager.default.createDirectory(atPath: root + "/d", withIntermediateDirectories: true)
        symlink("../../outside", root + "/d/rel")
        XCTAssertThrowsError(try extract([.dir("d"), .symlink("d/rel", "../../outside")])) {
            XCTAssertTrue("\($0)".contains("invalid symlink"), "\($0)")
        }
        assertRefused([.dir("d"), .dir("d/rel", mode: 0o4777), .file("d/rel/file", "pwned")], "cannot overwrite non-directory")
        // Without a directory member for it, the link is refused as a parent.
        assertRefused([.file("d/rel/file", "pwned")], "not a directory")
        outsideIsUntouched()
    }

    func testAFileMemberReplacesALinkInsteadOfWritingThroughIt() throws {
        let target = outside + "/victim"
        try "original".write(toFile: target, atomically: false, encoding: .utf8)
        symlink(target, root + "/f")
        _ = try extract([.file("f", "new", mode: 0o4777)])
        XCTAssertEqual(text(target), "original")
        var st = stat()
        XCTAssertEqual(lstat(root + "/f", &st), 0)
        XCTAssertEqual(st.st_mode & S_IFMT, S_IFREG)
        XCTAssertEqual(text(root + "/f"), "new")
        XCTAssertEqual(stat(target, &st), 0)
        XCTAssertEqual(st.st_mode & 0o7777, 0o644)
        try FileManager.default.removeItem(atPath: target)
        outsideIsUntouched()
    }

    func testALinkMadeByAnEarlierMemberIsNeverFollowed() throws {
        assertRefused([.symlink("a", outside), .file("a/evil", "x")], "not a directory")
        assertRefused([.symlink("b", outside), .dir("b/sub")], "not a directory")
        assertRefused([.symlink("c", "."), .file("c/../../outside/evil", "x")], "outside of")
        outsideIsUntouched()
    }

    // MARK: Extraction: names, links and kinds

    func testNamesOutsideTheDestinationAreRefused() throws {
        assertRefused([.file("../evil", "x")], "outside of")
        assertRefused([.file("a/../../evil", "x")], "outside of")
        assertRefused([.file("/../../evil", "x")], "outside of")
        outsideIsUntouched()
        // Absolute names are inside the destination, as docker (filepath.Join) reads them.
        _ = try extract([.file("/etc/passwd", "mine"), .file("./x/./y", "y")])
        XCTAssertEqual(text(root + "/etc/passwd"), "mine")
        XCTAssertEqual(text(root + "/x/y"), "y")
    }

    func testSymlinksPointingOutAreRefusedAsDockerDoes() throws {
        assertRefused([.dir("a"), .symlink("a/up", "../../x")], "invalid symlink")
        // Inside, and absolute targets (inside the destination for docker too), are created as links, never followed.
        _ = try extract([.dir("a"), .symlink("a/up", "../x"), .symlink("a/abs", "/etc/shadow")])
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: root + "/a/up"), "../x")
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: root + "/a/abs"), "/etc/shadow")
    }

    func testHardLinksOnlyToEarlierMembersOfTheSameArchive() throws {
        try "secret".write(toFile: outside + "/secret", atomically: false, encoding: .utf8)
        try "mine".write(toFile: root + "/preexisting", atomically: false, encoding: .utf8)
        assertRefused([.hardLink("h1", "../outside/secret")], "invalid hardlink")
        assertRefused([.hardLink("h2", outside + "/secret")], "invalid hardlink")
        assertRefused([.hardLink("h3", "preexisting")], "invalid hardlink")
        XCTAssertFalse(FileManager.default.fileExists(atPath: root + "/h1"))
        _ = try extract([.file("f", "data", mode: 0o640), .hardLink("g", "f")])
        var a = stat(), b = stat()
        XCTAssertEqual(stat(root + "/f", &a), 0)
        XCTAssertEqual(stat(root + "/g", &b), 0)
        XCTAssertEqual(a.st_ino, b.st_ino)
        XCTAssertEqual(a.st_nlink, 2)
    }

    func testModesWithSetuidSetgidStickyAndMtimesAreKeptAsDockerKeepsThem() throws {
        _ = try extract([.dir("d", mode: 0o1777), .file("d/suid", "x", mode: 0o6755, mtime: 1_000_000_000),
                         .dir("ro", mode: 0o555), .file("ro/inside", "y", mode: 0o444)])
        var st = stat()
        XCTAssertEqual(stat(root + "/d/suid", &st), 0)
        XCTAssertEqual(st.st_mode & 0o7777, 0o6755)
        XCTAssertEqual(st.st_mtim.tv_sec, 1_000_000_000)
        XCTAssertEqual(stat(root + "/d", &st), 0)
        XCTAssertEqual(st.st_mode & 0o7777, 0o1777)
        // A read-only directory still gets its contents (its mode is applied at the end).
        XCTAssertEqual(text(root + "/ro/inside"), "y")
        XCTAssertEqual(stat(root + "/ro", &st), 0)
        XCTAssertEqual(st.st_mode & 0o7777, 0o555)
    }

    func testDevicesAreLeftOutAndFifosCreated() throws {
        let list = [Member(header: TarHeader(name: "null", kind: .charDevice, mode: 0o666, devMajor: 1, devMinor: 3)),
                    Member(header: TarHeader(name: "disk", kind: .blockDevice, mode: 0o666, devMajor: 8, devMinor: 0)),
                    Member(header: TarHeader(name: "pipe", kind: .fifo, mode: 0o640))]
        let extractor = try extract(list)
        XCTAssertEqual(extractor.skippedDevices, [root + "/null", root + "/disk"])
        var st = stat()
        XCTAssertNotEqual(lstat(root + "/null", &st), 0)
        XCTAssertEqual(lstat(root + "/pipe", &st), 0)
        XCTAssertEqual(st.st_mode & S_IFMT, S_IFIFO)
        XCTAssertEqual(st.st_mode & 0o7777, 0o640)
    }

    func testDirectoryAndFileConflictsAsDocker() throws {
        _ = try extract([.dir("d"), .file("f", "x")])
        assertRefused([.file("d", "x")], "cannot overwrite directory")
        assertRefused([.dir("f")], "cannot overwrite non-directory")
        // A directory merges with an existing one; a file replaces a file.
        _ = try extract([.dir("d"), .file("d/new", "n"), .file("f", "y")])
        XCTAssertEqual(text(root + "/d/new"), "n")
        XCTAssertEqual(text(root + "/f"), "y")
    }

    func testUnknownTypesAreRefused() throws {
        let bytes = rawArchive([header(name: "odd", type: UInt8(ascii: "Z"), size: 0)])
        let extractor = try ArchiveExtractor(root: root)
        XCTAssertThrowsError(try extractor.extract(TarReader(bytes: bytes), rename: { $0 })) {
            XCTAssertTrue("\($0)".contains("unhandled tar header type"), "\($0)")
        }
    }

    func testHostTreeArchiverStreamsATreeWithLinksAndHardLinks() throws {
        let src = GoPath.dir(root) + "/src"
        try FileManager.default.createDirectory(atPath: src + "/sub", withIntermediateDirectories: true)
        try "one".write(toFile: src + "/one", atomically: false, encoding: .utf8)
        try "deep".write(toFile: src + "/sub/deep", atomically: false, encoding: .utf8)
        link(src + "/one", src + "/two")
        symlink("one", src + "/lnk")
        mkfifo(src + "/fifo", 0o600)
        chmod(src + "/one", 0o4750)
        var bytes: [UInt8] = []
        let w = TarWriter { bytes += $0 }
        try HostTreeArchiver.archive(path: src, as: "copy", into: w)
        try w.finish()
        let back = try members(bytes, piece: 333)
        XCTAssertEqual(back.map { $0.header.name }, ["copy", "copy/fifo", "copy/lnk", "copy/one", "copy/sub", "copy/sub/deep", "copy/two"])
        XCTAssertEqual(back.map { $0.header.kind }, [.directory, .fifo, .symlink, .file, .directory, .file, .hardLink])
        XCTAssertEqual(back[3].header.mode, 0o4750)
        XCTAssertEqual(back[3].data, Array("one".utf8))
        XCTAssertEqual(back[6].header.linkTarget, "copy/one")
        // And back onto the host: the same tree.
        let again = try ArchiveExtractor(root: root)
        try again.extract(TarReader(bytes: bytes), rename: { $0 })
        XCTAssertEqual(text(root + "/copy/sub/deep"), "deep")
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: root + "/copy/lnk"), "one")
    }
}
