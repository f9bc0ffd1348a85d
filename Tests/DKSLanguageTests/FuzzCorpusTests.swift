// FuzzCorpusTests: every committed fuzz regression input (fuzz/corpus/<target>/<file>) still parses,
// or is rejected with syntax errors, within a time bound: a parser hang found by the fuzzer must
// not come back. Must not: run the inputs (some loop forever by design; FuzzRun bounds its steps).
import XCTest
@testable import DKSLanguage
import DKSSupport

final class FuzzCorpusTests: XCTestCase {
    /// Generous for sanitizer builds; a fixed input parses in milliseconds.
    static let limit = 10.0

    static var corpusDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("fuzz/corpus")
    }

    func testEveryCorpusInputParsesOrIsRejectedInTime() throws {
        let fm = FileManager.default
        let root = FuzzCorpusTests.corpusDirectory
        let targets = try fm.contentsOfDirectory(atPath: root.path).filter {
            var isDir: ObjCBool = false
            return fm.fileExists(atPath: root.appendingPathComponent($0).path, isDirectory: &isDir) && isDir.boolValue
        }
        var checked = 0
        for target in targets.sorted() {
            for name in try fm.contentsOfDirectory(atPath: root.appendingPathComponent(target).path).sorted() {
                let path = root.appendingPathComponent(target).appendingPathComponent(name).path
                guard let data = fm.contents(atPath: path) else { XCTFail("cannot read \(path)"); continue }
                // As FuzzParse reads its input: arbitrary bytes, decoded leniently.
                let text = String(decoding: data, as: UTF8.self)
                try checkParsesInTime(text, label: "\(target)/\(name)")
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 0, "no inputs under \(root.path)")
    }

    /// Parses on a thread (a hang must fail the test, not stall it); the outcome must be a program
    /// or syntax errors, nothing else.
    func checkParsesInTime(_ text: String, label: String) throws {
        let done = DispatchSemaphore(value: 0)
        let lock = NSLock()
        var outcome = "unfinished"
        let thread = JoinableThread.start(stackSize: 1 << 30) {
            var result: String
            do {
                _ = try Parser.parse(SourceFile(name: label, text: text))
                result = "parsed"
            } catch is SyntaxErrors {
                result = "syntax errors"
            } catch {
                result = "unexpected error \(type(of: error)): \(error)"
            }
            lock.withLock { outcome = result }
            done.signal()
        }
        guard let thread = thread else { throw XCTSkip("cannot start a thread") }
        if done.wait(timeout: .now() + FuzzCorpusTests.limit) == .timedOut {
            // The parsing thread is left behind (it cannot be stopped); the process ends with the tests.
            XCTFail("\(label): the parser did not finish within \(FuzzCorpusTests.limit)s")
            return
        }
        thread.join()
        let result = lock.withLock { outcome }
        XCTAssertTrue(result == "parsed" || result == "syntax errors", "\(label): \(result)")
    }
}
