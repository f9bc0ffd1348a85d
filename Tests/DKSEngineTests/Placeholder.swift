import XCTest
final class DKSEngineTestsPlaceholder: XCTestCase { func testNothingYet() {} }
