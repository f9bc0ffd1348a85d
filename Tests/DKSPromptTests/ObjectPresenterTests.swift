// ObjectPresenterTests: containers echo as a summary line, lists of them as a ps-like table.
import XCTest
import DKSLanguage
@testable import DKSPrompt

/// A container-like host object with a canned inspect document.
final class FakeContainer: HostObject {
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

final class ObjectPresenterTests: XCTestCase {
    func testContainerSummary() {
        XCTAssertEqual(ObjectPresenter().present(.object(FakeContainer("web"))), "<container web 0123456789ab> busybox, running")
        XCTAssertEqual(ObjectPresenter().present(.object(FakeContainer("job", status: "exited", exitCode: 3))),
                       "<container job 0123456789ab> busybox, exited (3)")
    }

    func testContainerTable() {
        let text = ObjectPresenter().present(.list([.object(FakeContainer("web")), .object(FakeContainer("db"))]))
        XCTAssertEqual(text, """
            CONTAINER ID   IMAGE     COMMAND       STATUS    NAMES
            0123456789ab   busybox   "sleep 300"   running   web
            0123456789ab   busybox   "sleep 300"   running   db
            """)
    }

    func testOtherValuesAreLeftToRepr() {
        XCTAssertNil(ObjectPresenter().present(.list([])))
        XCTAssertNil(ObjectPresenter().present(.list([.int(1), .object(FakeContainer("web"))])))
        XCTAssertNil(ObjectPresenter().present(.string("x")))
    }

    func testHumanSize() {
        XCTAssertEqual(ObjectPresenter.humanSize(999), "999B")
        XCTAssertEqual(ObjectPresenter.humanSize(4_261_000), "4.26MB")
        XCTAssertEqual(ObjectPresenter.humanSize(2_000_000_000), "2GB")
    }
}
