// Units: parsing of durations ("1m30s"), sizes ("512m") and times ("2024-01-02T03:04:05Z"),
// as the docker CLI accepts them. Must not: know about dks values (callers convert).

/// Parses a duration: a number of seconds ("1.5"), or Go-style units "500ms", "30s", "1m30s", "2h", "1us", "10ns".
/// Returns seconds, or nil when the text is not a duration.
public func parseDuration(_ text: String) -> Double? {
    let s = text.trimmingSpaces()
    if s.isEmpty { return nil }
    if let plain = Double(s), plain.isFinite, plain >= 0 { return plain }
    var total = 0.0
    var chars = Array(s.unicodeScalars)
    var i = 0
    var sawUnit = false
    if chars.first == "+" { chars.removeFirst() }
    while i < chars.count {
        let start = i
        while i < chars.count, (chars[i] >= "0" && chars[i] <= "9") || chars[i] == "." { i += 1 }
        guard i > start, let number = Double(String(String.UnicodeScalarView(chars[start..<i]))) else { return nil }
        let unitStart = i
        while i < chars.count, chars[i].properties.isAlphabetic || chars[i] == "µ" { i += 1 }
        let unit = String(String.UnicodeScalarView(chars[unitStart..<i]))
        let scale: Double
        switch unit {
        case "ns": scale = 1e-9
        case "us", "µs": scale = 1e-6
        case "ms": scale = 1e-3
        case "s": scale = 1
        case "m": scale = 60
        case "h": scale = 3600
        case "d": scale = 86400
        default: return nil
        }
        total += number * scale
        sawUnit = true
    }
    return sawUnit && total.isFinite ? total : nil
}

/// Parses a size: bytes ("1048576"), or with a unit "512k", "512m", "1g", "1.5g", "100mb", "2KiB" (binary multiples, as docker).
public func parseSize(_ text: String) -> Int64? {
    let s = text.trimmingSpaces().lowercased()
    if s.isEmpty { return nil }
    var digits = s
    var unit = ""
    while let last = digits.last, last.isLetter { unit.insert(last, at: unit.startIndex); digits.removeLast() }
    guard let n = Double(digits), n >= 0, n.isFinite else { return nil }
    let scale: Double
    switch unit {
    case "", "b": scale = 1
    case "k", "kb", "kib": scale = 1024
    case "m", "mb", "mib": scale = 1024 * 1024
    case "g", "gb", "gib": scale = 1024 * 1024 * 1024
    case "t", "tb", "tib": scale = 1024 * 1024 * 1024 * 1024
    default: return nil
    }
    let bytes = n * scale
    guard bytes < 9.2e18 else { return nil }
    return Int64(bytes)
}

/// Parses a point in time for `--since`/`--until`: unix seconds ("1700000000.5"), RFC 3339
/// ("2024-01-02T03:04:05Z", "2024-01-02T03:04:05.123+02:00"), or a duration meaning "that long ago"
/// ("10m"), as `docker logs` accepts. Returns unix seconds.
public func parseTimePoint(_ text: String, now: Double) -> Double? {
    let s = text.trimmingSpaces()
    if let unix = Double(s), unix.isFinite { return unix }
    if let ago = parseDuration(s) { return now - ago }
    return parseRFC3339(s)
}

/// Parses RFC 3339 / ISO 8601 date-times (also "YYYY-MM-DD" alone, as midnight UTC). Returns unix seconds.
public func parseRFC3339(_ text: String) -> Double? {
    let u = Array(text.utf8)
    func num(_ from: Int, _ len: Int) -> Int? {
        guard from + len <= u.count else { return nil }
        var v = 0
        for k in from..<(from + len) {
            let c = u[k]
            guard c >= 48 && c <= 57 else { return nil }
            v = v * 10 + Int(c - 48)
        }
        return v
    }
    guard let year = num(0, 4), u.count >= 10, u[4] == 45, let month = num(5, 2), u[7] == 45, let day = num(8, 2),
          (1...12).contains(month), day >= 1, day <= daysInMonth(year, month) else { return nil }
    var hour = 0, minute = 0, second = 0
    var frac = 0.0
    var offset = 0
    var i = 10
    if i < u.count {
        guard u[i] == 84 || u[i] == 116 || u[i] == 32, let h = num(i + 1, 2), u.count > i + 3, u[i + 3] == 58,
              let m = num(i + 4, 2) else { return nil }
        hour = h; minute = m; i += 6
        if i < u.count, u[i] == 58 { guard let sec = num(i + 1, 2) else { return nil }; second = sec; i += 3 }
        if i < u.count, u[i] == 46 {
            var j = i + 1
            var scale = 0.1
            while j < u.count, u[j] >= 48, u[j] <= 57 { frac += Double(u[j] - 48) * scale; scale /= 10; j += 1 }
            guard j > i + 1 else { return nil }
            i = j
        }
        if i < u.count {
            if u[i] == 90 || u[i] == 122 { i += 1 } else if u[i] == 43 || u[i] == 45 {
                guard let oh = num(i + 1, 2), u.count >= i + 6, u[i + 3] == 58, let om = num(i + 4, 2), oh < 24, om < 60 else { return nil }
                offset = (oh * 3600 + om * 60) * (u[i] == 43 ? 1 : -1)
                i += 6
            } else { return nil }
        }
        guard i == u.count, hour < 24, minute < 60, second < 61 else { return nil }
    }
    // Days from civil (Howard Hinnant's algorithm).
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = (month + 9) % 12
    let doy = (153 * mp + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    let days = era * 146097 + doe - 719468
    return Double(days * 86400 + hour * 3600 + minute * 60 + second - offset) + frac
}

/// The days in `month` (1...12) of `year` (proleptic Gregorian: leap years are divisible by 4,
/// except centuries not divisible by 400).
public func daysInMonth(_ year: Int, _ month: Int) -> Int {
    switch month {
    case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
}

/// Formats unix seconds as RFC 3339 with nanoseconds in UTC, as Docker writes timestamps.
public func formatRFC3339(_ unix: Double) -> String { PreciseTime(unix: unix).rfc3339 }

extension String {
    /// The string without leading and trailing spaces, tabs and newlines (no Foundation needed).
    public func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\n" || f == "\r" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\n" || l == "\r" { s.removeLast() }
        return String(s)
    }
}
