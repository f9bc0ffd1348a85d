// CaptureLimit: the one bound on output that dks holds in memory as a value — an exec/run result,
// `logs` as a string, `capture { }`, a line of `for $line in (logs -f ...)`, a host program's
// captured output — so a chatty command raises an error instead of exhausting memory.
// Owns: the limit (env DKS_CAPTURE_LIMIT, default 256 MiB), its parsing and the error message.
// Must not: stop processes or raise dks errors itself (the capturing code does both; it knows what
// runs behind the capture).
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

public enum CaptureLimit {
    /// The limit when `DKS_CAPTURE_LIMIT` is not set: 256 MiB.
    public static let defaultBytes = 256 << 20
    /// The environment variable that sets it (a size: `64m`, `1g`, bytes).
    public static let variable = "DKS_CAPTURE_LIMIT"

    /// The limit in bytes for this process: `DKS_CAPTURE_LIMIT` read once (a bad value gives the
    /// default; `warning` says why), else the default. Tests may replace it with `override`.
    public static var bytes: Int {
        let o = overridden.load(ordering: .relaxed)
        return o > 0 ? o : fromEnvironment.bytes
    }

    /// A warning about a `DKS_CAPTURE_LIMIT` that is not a size (nil when it is fine or unset).
    public static var warning: String? { fromEnvironment.warning }

    /// Replaces the limit for this process (tests, embedding); nil restores the environment's.
    public static func override(_ bytes: Int?) {
        overridden.store(max(0, bytes ?? 0), ordering: .relaxed)
    }

    /// 0: not overridden.
    private static let overridden = Atomic<Int>(0)
    private static let fromEnvironment: (bytes: Int, warning: String?) = {
        let value = getenv(variable).map { String(cString: $0) }
        return limit(fromSetting: value)
    }()

    /// The limit a setting gives: a size like `256m`, `1g` or a number of bytes; nil (unset) or
    /// empty gives the default. A value that is not a positive size gives the default and a warning.
    public static func limit(fromSetting value: String?) -> (bytes: Int, warning: String?) {
        guard let value = value, !value.isEmpty else { return (defaultBytes, nil) }
        if let n = parseSize(value), n > 0, n <= Int64(Int.max) { return (Int(n), nil) }
        return (defaultBytes, "dks: warning: \(variable)='\(value)' is not a size (like 256m or 1g); using \(describe(defaultBytes))")
    }

    /// True when holding `count` bytes would pass the limit.
    @inline(__always)
    public static func exceeded(_ count: Int) -> Bool { count > bytes }

    /// The message of the error a capture over the limit raises: what passed the limit, the limit,
    /// how to raise it, and how to avoid holding the output at all.
    /// `what` names the capture, e.g. "the output of exec" or "a line of logs -f".
    public static func message(_ what: String) -> String {
        "\(what) is larger than the capture limit of \(describe(bytes)); set \(variable) (e.g. \(variable)=1g) to raise it, or stream it at statement level or redirect it to a file instead of holding it in a value"
    }

    /// "256m", "1g", "1500000 bytes".
    public static func describe(_ bytes: Int) -> String {
        if bytes >= 1 << 30 && bytes % (1 << 30) == 0 { return "\(bytes >> 30)g" }
        if bytes >= 1 << 20 && bytes % (1 << 20) == 0 { return "\(bytes >> 20)m" }
        if bytes >= 1 << 10 && bytes % (1 << 10) == 0 { return "\(bytes >> 10)k" }
        return "\(bytes) bytes"
    }
}
