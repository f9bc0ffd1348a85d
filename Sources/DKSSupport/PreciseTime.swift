// PreciseTime: a point in time as whole seconds and nanoseconds, so a daemon's
// `2024-01-02T03:04:05.063858568Z` survives parsing and printing digit for digit (a Double
// holds about 7 digits after the point at today's dates); and TimePoint, a `--since`/`--until`
// value as the docker CLI turns it into an API parameter (its timetypes.GetTimestamp).
// Owns: RFC 3339 text ↔ seconds + nanoseconds, docker's since/until rules. Must not: read a clock.
#if canImport(Glibc)
import Glibc
#endif

/// Seconds since the Unix epoch plus nanoseconds (0 ..< 1e9), without floating point.
public struct PreciseTime: Comparable, Hashable, Sendable {
    public var seconds: Int64
    public var nanoseconds: Int32

    public init(seconds: Int64, nanoseconds: Int32 = 0) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }

    /// From unix seconds in a Double (a clock reading or a script's float): as close as the float allows.
    public init(unix: Double) {
        guard unix.isFinite else {
            self.init(seconds: unix > 0 ? 253_402_300_799 : 0)
            return
        }
        let clamped = min(max(unix, -62_135_596_800), 253_402_300_799)
        let whole = clamped.rounded(.down)
        self.init(seconds: Int64(whole), nanoseconds: Int32(min(999_999_999, ((clamped - whole) * 1e9).rounded())))
    }

    public var unix: Double { Double(seconds) + Double(nanoseconds) / 1e9 }

    public static func < (a: PreciseTime, b: PreciseTime) -> Bool {
        a.seconds != b.seconds ? a.seconds < b.seconds : a.nanoseconds < b.nanoseconds
    }

    /// `2024-01-02T03:04:05.063858568Z`: UTC with nine fraction digits (Docker's RFC3339NanoFixed).
    public var rfc3339: String {
        var days = seconds / 86400
        var rem = seconds % 86400
        if rem < 0 { rem += 86400; days -= 1 }
        // Civil from days (Howard Hinnant's algorithm).
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        func pad(_ v: Int64, _ w: Int) -> String { let s = String(v); return String(repeating: "0", count: max(0, w - s.count)) + s }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(rem / 3600, 2)):\(pad(rem % 3600 / 60, 2)):\(pad(rem % 60, 2))."
            + pad(Int64(nanoseconds), 9) + "Z"
    }

    /// `1704164645.063858568`: the form the Engine API's `since`/`until` take.
    public var apiParameter: String {
        let n = String(nanoseconds)
        return "\(seconds)." + String(repeating: "0", count: 9 - n.count) + n
    }

    /// Parses RFC 3339 (`2024-01-02T03:04:05.063858568Z`, `+02:00` offsets, a date alone) to the
    /// nanosecond; nil when it is not such a time. Without a zone the time is UTC, unless
    /// `zoneless` says otherwise (seconds to add to read it as UTC).
    public static func parseRFC3339(_ text: String, zoneless: ((Int64) -> Int64)? = nil) -> PreciseTime? {
        var whole = text
        var nanos: Int64 = 0
        // The fraction is read here as digits; the rest (whole seconds, exact in a Double) by parseRFC3339.
        if let dot = text.firstIndex(of: "."), text[..<dot].contains(":") {
            var end = text.index(after: dot)
            var digits = 0
            while end < text.endIndex, let d = text[end].wholeNumberValue, text[end].isASCII {
                if digits < 9 { nanos = nanos * 10 + Int64(d) }
                digits += 1
                end = text.index(after: end)
            }
            guard digits > 0 else { return nil }
            if digits < 9 { for _ in digits..<9 { nanos *= 10 } }
            whole = String(text[..<dot]) + String(text[end...])
        }
        guard let unix = DKSSupport.parseRFC3339(whole), unix.isFinite, abs(unix) < 1e15 else { return nil }
        var seconds = Int64(unix)
        if let adjust = zoneless, !hasZone(whole) { seconds += adjust(seconds) }
        return PreciseTime(seconds: seconds, nanoseconds: Int32(nanos))
    }

    private static func hasZone(_ text: String) -> Bool {
        guard text.count > 10 else { return false }
        let time = text.dropFirst(10)
        return time.contains("Z") || time.contains("z") || time.contains("+") || time.contains("-")
    }
}

/// A `--since`/`--until` value: the instant, and the text the docker CLI would send for it.
public struct TimePoint: Equatable, Sendable {
    public var time: PreciseTime
    /// The API parameter, exactly as the docker CLI sends it.
    public var parameter: String

    public init(time: PreciseTime, parameter: String) {
        self.time = time
        self.parameter = parameter
    }

    /// A time given as a number of unix seconds (a script's int or float).
    public init(unix: Double) {
        let t = PreciseTime(unix: unix)
        self.init(time: t, parameter: unix == unix.rounded(.down) && abs(unix) < 1e15 ? String(t.seconds) : t.apiParameter)
    }

    /// The docker CLI's rules (timetypes.GetTimestamp): a duration (`10m`, `1h30m`) means that
    /// long before `now` and is sent as whole seconds; an RFC 3339 time (a zone-less one in the
    /// local time zone, as the CLI reads it) is sent as `SECONDS.NANOSECONDS`; unix seconds
    /// (`1700000000` or `1700000000.5`) are sent as written. nil when `text` is none of these.
    public static func parse(_ text: String, now: PreciseTime) -> TimePoint? {
        let s = text.trimmingSpaces()
        if TimePoint.hasUnits(s), let ago = parseDuration(s), ago.isFinite, ago < 1e12 {
            let nanos = Int64((ago * 1e9).rounded())
            var sec = now.seconds - nanos / 1_000_000_000
            var ns = Int64(now.nanoseconds) - nanos % 1_000_000_000
            if ns < 0 { ns += 1_000_000_000; sec -= 1 }
            return TimePoint(time: PreciseTime(seconds: sec, nanoseconds: Int32(ns)), parameter: String(sec))
        }
        if s.contains("-") || s.contains("T") {
            let local = !s.contains(where: { "zZ+".contains($0) }) && s.filter({ $0 == "-" }).count != 3
            guard let t = PreciseTime.parseRFC3339(s, zoneless: local ? localOffsetToUTC : nil) else { return nil }
            return TimePoint(time: t, parameter: t.apiParameter)
        }
        // Unix seconds, with an optional fraction: both parts plain digits.
        let parts = s.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let first = parts.first, let sec = Int64(first), parts.count == 1 || (parts[1].allSatisfy { $0.isASCII && $0.isNumber } && !parts[1].isEmpty) else {
            return nil
        }
        var nanos: Int64 = 0
        if parts.count == 2 {
            let digits = parts[1].prefix(9)
            nanos = Int64(digits) ?? 0
            for _ in digits.count..<9 { nanos *= 10 }
        }
        return TimePoint(time: PreciseTime(seconds: sec, nanoseconds: Int32(nanos)), parameter: s)
    }

    /// A duration written with units (`10m`, `1h30m`, `1.5h`, `500ms`), as Go's time.ParseDuration
    /// wants it; a bare number is a unix time here, not a duration.
    static func hasUnits(_ s: String) -> Bool {
        var rest = Substring(s)
        guard !rest.isEmpty else { return false }
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard number.contains(where: { $0.isNumber }) else { return false }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { $0.isLetter }
            guard ["ns", "us", "µs", "μs", "ms", "s", "m", "h", "d"].contains(String(unit)) else { return false }
            rest = rest.dropFirst(unit.count)
        }
        return true
    }

    /// Seconds to add to a local wall-clock time read as UTC to get the real instant.
    private static func localOffsetToUTC(_ seconds: Int64) -> Int64 {
        var t = time_t(seconds)
        var parts = tm()
        guard localtime_r(&t, &parts) != nil else { return 0 }
        return -Int64(parts.tm_gmtoff)
    }
}
