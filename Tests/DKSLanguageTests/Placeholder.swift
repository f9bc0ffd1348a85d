import XCTest
final class DKSLanguageTestsPlaceholder: XCTestCase { func testNothingYet() {} }
