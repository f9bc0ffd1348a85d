import XCTest
final class DKSDockerTestsPlaceholder: XCTestCase { func testNothingYet() {} }
