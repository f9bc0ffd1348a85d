// DurationText: a number of seconds written the way Go (and so Docker) prints durations, for
// messages that name a timeout or a window: "500ms", "1s", "2.5s", "90s".
// Owns: that spelling. Must not: parse durations (Units.swift does).

/// `seconds` as a short duration: milliseconds below one second, whole seconds as "Ns",
/// otherwise at most three decimals ("2.5s", "0.333s" is written "333ms").
public func durationText(seconds: Double) -> String {
    guard seconds.isFinite, seconds >= 0 else { return "\(seconds)s" }
    if seconds < 1 { return "\(Int((seconds * 1000).rounded()))ms" }
    if seconds >= 1e15 { return "\(seconds)s" }
    if seconds == seconds.rounded() { return "\(Int(seconds))s" }
    var text = String((seconds * 1000).rounded() / 1000)
    if text.hasSuffix(".0") { text.removeLast(2) }
    return text + "s"
}
