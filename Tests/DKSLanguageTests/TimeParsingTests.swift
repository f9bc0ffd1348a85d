// TimeParsingTests: RFC 3339 times (`logs --since/--until`, filters) name real dates: the day must
// exist in its month (Feb 31 and Feb 29 of a common year used to be accepted, as Mar 3 or Mar 1),
// the fraction has digits, the offset is a real one; formatting never traps on any double.
import XCTest
import DKSSupport

final class TimeParsingTests: XCTestCase {
    func testDaysMustExistInTheirMonth() {
        for bad in ["2024-02-30", "2024-02-31", "2023-02-29", "1900-02-29", "2100-02-29", "2024-04-31", "2024-06-31",
                    "2024-09-31", "2024-11-31", "2024-01-32", "2024-01-00", "2024-13-01", "2024-00-10",
                    "2024-02-31T10:00:00Z", "2024-01-01T10:00:00.Z", "2024-01-01T10:00:00+24:00", "2024-01-01T10:00:00+01:60"] {
            XCTAssertNil(parseRFC3339(bad), bad)
        }
        XCTAssertEqual(parseRFC3339("2024-02-29"), 1_709_164_800)
        XCTAssertEqual(parseRFC3339("2000-02-29T00:00:00Z"), 951_782_400)
        XCTAssertEqual(parseRFC3339("2023-12-31T23:59:59Z"), 1_704_067_199)
        XCTAssertEqual(parseRFC3339("2024-04-30T12:00:00.5+02:00"), 1_714_471_200.5)
        XCTAssertEqual(daysInMonth(2024, 2), 29)
        XCTAssertEqual(daysInMonth(1900, 2), 28)
        XCTAssertEqual(daysInMonth(2000, 2), 29)
        XCTAssertEqual(daysInMonth(2023, 11), 30)
    }

    func testFormattingAcceptsAnyDouble() {
        XCTAssertEqual(formatRFC3339(0), "1970-01-01T00:00:00.000000000Z")
        XCTAssertEqual(formatRFC3339(.nan), "1970-01-01T00:00:00.000000000Z")
        XCTAssertEqual(formatRFC3339(.infinity).prefix(10), "9999-12-31")
        XCTAssertEqual(formatRFC3339(-1e300).prefix(10), "0001-01-01")
    }
}
