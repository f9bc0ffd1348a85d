// QueryPresentationTests: containers present as a summary line, lists of them as a ps-like table
// (what the prompt echoes and `ps` prints at statement level).
import XCTest
import DKSLanguage
@testable import DKSContainers

/// A container-like host object with a canned inspect document.
final class FakeContainerObject: HostObject {
    let name: String, status: String, exitCode: Int
    init(_ name: String, status: String = "running", exitCode: Int = 0) {
        self.name = name
        self.status = status
        self.exitCode = exitCode
    }
    override var typeName: String { "container" }
    override func member(_ key: String) throws -> Value? {
        switch key {
        case "short_id": return .string("0123456789ab")
        case "attrs":
            func map(_ pairs: [(String, Value)]) -> Value {
                var m = MapStorage()
                for (k, v) in pairs { m[.string(k)] = v }
                return .map(m)
            }
            return map([
                ("Name", .string("/" + name)), ("Path", .string("sleep")), ("Args", .list([.string("300")])),
                ("Config", map([("Image", .string("busybox"))])),
                ("State", map([("Status", .string(status)), ("ExitCode", .int(exitCode))])),
            ])
        default: return nil
        }
    }
}

final class QueryPresentationTests: XCTestCase {
    func testContainerSummary() {
        XCTAssertEqual(QueryPresentation.present(.object(FakeContainerObject("web"))), "<container web 0123456789ab> busybox, running")
        XCTAssertEqual(QueryPresentation.present(.object(FakeContainerObject("job", status: "exited", exitCode: 3))),
                       "<container job 0123456789ab> busybox, exited (3)")
    }

    func testContainerTable() {
        let text = QueryPresentation.present(.list([.object(FakeContainerObject("web")), .object(FakeContainerObject("db"))]))
        XCTAssertEqual(text, """
            CONTAINER ID   IMAGE     COMMAND       STATUS    NAMES
            0123456789ab   busybox   "sleep 300"   running   web
            0123456789ab   busybox   "sleep 300"   running   db
            """)
    }

    func testOtherValuesAreLeftToRepr() {
        XCTAssertNil(QueryPresentation.present(.list([])))
        XCTAssertNil(QueryPresentation.present(.list([.int(1), .object(FakeContainerObject("web"))])))
        XCTAssertNil(QueryPresentation.present(.string("x")))
    }

    func testHumanSize() {
        XCTAssertEqual(QueryPresentation.humanSize(999), "999B")
        XCTAssertEqual(QueryPresentation.humanSize(4_261_000), "4.26MB")
        XCTAssertEqual(QueryPresentation.humanSize(2_000_000_000), "2GB")
    }
}

final class TableTests: XCTestCase {
    func testTable() {
        XCTAssertEqual(formatTable(header: ["NAME", "STATUS"], rows: [["web", "running"]]), "NAME   STATUS\nweb    running")
    }
}
