// LogRotationTests: a chatty container's log stays bounded on disk (current + one previous file),
// and readers — including followers caught mid-rotation — see whole lines, in order, once.
import DKSEngine
import DKSLocal
import DKSSupport
import Foundation
import XCTest

final class LogRotationTests: LocalEngineTestCase {
    lazy var small = LocalEngine(stateDirectory: stateDirectory + "-small", maxLogFileBytes: 1 << 16)

    override func tearDown() {
        small.shutdown()
        try? FileManager.default.removeItem(atPath: stateDirectory + "-small")
        super.tearDown()
    }

    func numbers(_ engine: LocalEngine, _ id: String, follow: Bool = false, tail: Int? = nil) throws -> [Int] {
        var options = LogOptions()
        options.follow = follow
        options.tail = tail
        options.deadline = .after(seconds: 20)
        var text: [UInt8] = []
        try engine.logs(id, options: options) { chunk in
            text += chunk.bytes
            return .more
        }
        return String(decoding: text, as: UTF8.self).split(separator: "\n").compactMap { Int($0) }
    }

    func testRotatedLogStaysBoundedAndContiguous() throws {
        let id = try small.create(config(["seq", "1", "20000"]))
        _ = try small.runAttached(id) { _ in }
        let lines = try numbers(small, id)
        XCTAssertEqual(lines.last, 20000)
        XCTAssertLessThan(lines.count, 20000, "older output was rotated away")
        XCTAssertEqual(lines, Array((lines.first ?? 0)...20000), "no gap, no duplicate")
        XCTAssertEqual(try numbers(small, id, tail: 3), [19998, 19999, 20000])
        let folder = try XCTUnwrap(small.inspect(id)["LogPath"]?.stringValue).split(separator: "/").dropLast().joined(separator: "/")
        let files = try FileManager.default.contentsOfDirectory(atPath: "/" + folder).filter { $0.hasPrefix("container.log") }.sorted()
        XCTAssertEqual(files, ["container.log", "container.log.1"])
        for f in files {
            let size = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: "/" + folder + "/" + f)[.size] as? Int)
            XCTAssertLessThanOrEqual(size, 1 << 16)
        }
    }

    func testFollowAcrossRotations() throws {
        let id = try small.create(sh("sleep 0.3; seq 1 30000"))
        try small.start(id)
        let lines = try numbers(small, id, follow: true)
        XCTAssertEqual(lines.last, 30000)
        XCTAssertGreaterThan(lines.count, 1000)
        XCTAssertTrue(zip(lines, lines.dropFirst()).allSatisfy { $0 < $1 }, "in order, no duplicates")
    }
}
