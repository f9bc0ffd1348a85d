import XCTest
final class DKSLocalTestsPlaceholder: XCTestCase { func testNothingYet() {} }
