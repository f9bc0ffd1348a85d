// TimeTests: PreciseTime keeps a daemon's nanoseconds digit for digit (issue 11 item 15:
// `.063858568Z` printed as `.063858509Z` after a trip through a Double), and TimePoint sends
// `--since`/`--until` exactly as the docker CLI does (each expected parameter below is what
// docker 28.2 sent to the daemon for the same text, read from its request).
import DKSEngine
import DKSSupport
import XCTest

final class TimeTests: XCTestCase {
    func testRFC3339TextSurvivesParsingAndPrinting() throws {
        for text in ["2026-11-29T14:57:31.063858568Z", "2024-01-02T03:04:05.000000001Z", "1970-01-01T00:00:00.999999999Z",
                     "2038-01-19T03:14:08.123456789Z", "2100-02-28T23:59:59.500000000Z"] {
            let t = try XCTUnwrap(PreciseTime.parseRFC3339(text), text)
            XCTAssertEqual(t.rfc3339, text)
        }
        // Through a Double the same text loses its last digits: the reason this type exists.
        let t = try XCTUnwrap(PreciseTime.parseRFC3339("2026-11-29T14:57:31.063858568Z"))
        XCTAssertEqual(t.nanoseconds, 63_858_568)
        XCTAssertNotEqual(PreciseTime(unix: t.unix).rfc3339, "2026-11-29T14:57:31.063858568Z")
    }

    func testOffsetsShortFractionsAndDates() throws {
        XCTAssertEqual(PreciseTime.parseRFC3339("2024-01-02T05:04:05.5+02:00")?.rfc3339, "2024-01-02T03:04:05.500000000Z")
        XCTAssertEqual(PreciseTime.parseRFC3339("2024-01-02T03:04:05Z")?.apiParameter, "1704164645.000000000")
        XCTAssertEqual(PreciseTime.parseRFC3339("2024-01-02")?.seconds, 1_704_153_600)
        // More than nine digits: the rest are below a nanosecond.
        XCTAssertEqual(PreciseTime.parseRFC3339("2024-01-02T03:04:05.1234567891Z")?.nanoseconds, 123_456_789)
        for bad in ["", "yesterday", "2024-01-02T03:04:05.Z", "2024-13-02", "2024-01-02T25:00:00Z"] {
            XCTAssertNil(PreciseTime.parseRFC3339(bad), bad)
        }
    }

    func testSinceAndUntilParametersAreTheDockerCLIs() throws {
        let now = PreciseTime(seconds: 1_795_965_544, nanoseconds: 900_000_000)
        let expected: [(String, String)] = [
            ("2024-01-02T03:04:05.063858568Z", "1704164645.063858568"),
            ("2024-01-02T03:04:05.1Z", "1704164645.100000000"),
            ("2024-01-02T03:04:05+02:00", "1704157445.000000000"),
            ("1700000000.5", "1700000000.5"),
            ("1700000000", "1700000000"),
            ("0", "0"),
            ("10m", "1795964944"),
            ("1.5h", "1795960144"),
        ]
        for (text, parameter) in expected {
            XCTAssertEqual(TimePoint.parse(text, now: now)?.parameter, parameter, text)
        }
        // The instant matches the parameter.
        XCTAssertEqual(TimePoint.parse("1700000000.5", now: now)?.time, PreciseTime(seconds: 1_700_000_000, nanoseconds: 500_000_000))
        XCTAssertEqual(TimePoint.parse("10m", now: now)?.time, PreciseTime(seconds: 1_795_964_944, nanoseconds: 900_000_000))
        for bad in ["soon", "1e3", "12:00", "2024-01-02T03:04:05.Z", "1.2.3", "-"] {
            XCTAssertNil(TimePoint.parse(bad, now: now), bad)
        }
        // Script numbers are unix seconds.
        XCTAssertEqual(TimePoint(unix: 1_700_000_000).parameter, "1700000000")
        XCTAssertEqual(TimePoint(unix: 1_700_000_000.25).parameter, "1700000000.250000000")
    }
}
