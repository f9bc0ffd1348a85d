// ModelTests: the engine models' own rules — ContainerConfig equality (labels and tmpfs are
// ordered pairs), ContainerPathStat's decoding of Go file modes, and what a cp destination may be.
import DKSEngine
import XCTest

final class ModelTests: XCTestCase {
    func testContainerConfigEqualityCoversEveryField() {
        var a = ContainerConfig(image: "busybox")
        var b = a
        XCTAssertEqual(a, b)
        a.labels = [("x", "1"), ("y", "2")]
        b.labels = [("y", "2"), ("x", "1")]
        XCTAssertNotEqual(a, b, "labels keep their order")
        b.labels = a.labels
        XCTAssertEqual(a, b)
        b.detached = true
        XCTAssertNotEqual(a, b)
        b = a
        b.tmpfs = [("/run", "size=1m")]
        XCTAssertNotEqual(a, b)
        b = a
        var m = Mount(type: "tmpfs", source: "", target: "/t", readOnly: false)
        b.mounts = [m]
        a.mounts = [m]
        XCTAssertEqual(a, b)
        m.tmpfs = Mount.TmpfsOptions()
        m.tmpfs?.mode = 0o700
        b.mounts = [m]
        XCTAssertNotEqual(a, b)
    }

    /// The stat documents below are what Docker 20.10 sent (X-Docker-Container-Path-Stat).
    func testPathStatDecodesGoFileModes() throws {
        let dir = try XCTUnwrap(ContainerPathStat.decode(try JSON.parse(Array(#"{"name":"t","size":4096,"mode":2147484141,"mtime":"2026-11-29T14:57:23.857381647Z","linkTarget":""}"#.utf8))))
        XCTAssertTrue(dir.isDirectory)
        XCTAssertFalse(dir.isSymlink)
        XCTAssertNil(dir.unfitDestination)
        let link = try XCTUnwrap(ContainerPathStat.decode(try JSON.parse(Array(#"{"name":"lnk","size":3,"mode":134218239,"mtime":"","linkTarget":"/t/one"}"#.utf8))))
        XCTAssertTrue(link.isSymlink)
        XCTAssertEqual(link.linkTarget, "/t/one")
        let file = try XCTUnwrap(ContainerPathStat.decode(try JSON.parse(Array(#"{"name":"one","size":4,"mode":420}"#.utf8))))
        XCTAssertTrue(file.isRegular)
        XCTAssertEqual(file.mode & 0o777, 0o644)
        let device = ContainerPathStat(name: "null", mode: ContainerPathStat.modeDevice | ContainerPathStat.modeCharDevice | 0o666)
        XCTAssertEqual(device.unfitDestination, "got a device")
        XCTAssertFalse(device.isRegular)
        XCTAssertNil(ContainerPathStat.decode(try JSON.parse(Array(#"{"name":"x","mode":-1}"#.utf8))))
        XCTAssertNil(ContainerPathStat.decode(try JSON.parse(Array(#"{"mode":420}"#.utf8))))
    }
}
