// PumpTests: the detach-key detector and the echo/table helpers.
import XCTest
import DKSLanguage
@testable import DKSPrompt
import DKSSession

final class PumpTests: XCTestCase {
    func testDetachSequence() {
        var d = DetachDetector()
        XCTAssertEqual(d.feed([0x61, 0x10]).forward, [0x61])
        let r = d.feed([0x11, 0x62])
        XCTAssertEqual(r.forward, [])
        XCTAssertTrue(r.detach)
    }

    func testPartialMatchIsForwarded() {
        var d = DetachDetector()
        XCTAssertEqual(d.feed([0x10]).forward, [])
        let r = d.feed([0x61])
        XCTAssertEqual(r.forward, [0x10, 0x61])
        XCTAssertFalse(r.detach)
        XCTAssertEqual(d.feed([0x10, 0x10]).forward, [0x10])
    }

    func testEcho() {
        XCTAssertNil(Echo.text(for: nil, presenter: ReprPresenter()))
        XCTAssertNil(Echo.text(for: .null, presenter: ReprPresenter()))
        XCTAssertEqual(Echo.text(for: .string("a"), presenter: ReprPresenter()), "\"a\"")
        struct Upper: ValuePresenter {
            func present(_ value: Value) -> String? { if case .int = value { return "INT" }; return nil }
        }
        XCTAssertEqual(Echo.text(for: .int(3), presenter: PresenterChain([Upper()])), "INT")
        XCTAssertEqual(Echo.text(for: .list([.int(1)]), presenter: PresenterChain([Upper()])), "[1]")
    }

}
