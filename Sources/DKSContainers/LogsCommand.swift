// LogsCommand: `logs C [-f] [--tail N] [--since T] [--until T] [-t] [--stdout] [--stderr]` —
// streamed at statement level, a string when the value is used, and with -f a stream object
// that `for` iterates line by line. Must not: buffer a followed log (the stream pulls on demand).
#if canImport(Glibc)
import Glibc
#endif
import DKSEngine
import DKSLanguage
import DKSSupport

enum LogsCommand {
    static func register(_ r: BuiltinRegistry, _ ctx: ContainerContext) {
        let sig = Signature("logs", topic: "containers",
                            [.arg("container", "a container (object, name or id)"),
                             .flag("follow", short: "f", "keep following until the container stops"),
                             .option("tail", short: "n", "N", default: nil, "only the last N lines ('all' for all)"),
                             .option("since", "TIME", default: nil, "from TIME (unix seconds, RFC 3339 or a duration ago: 10m)"),
                             .option("until", "TIME", default: nil, "up to TIME"),
                             .flag("timestamps", short: "t", "prefix each line with its RFC 3339 time"),
                             .flag("stdout", "only standard output"),
                             .flag("stderr", "only standard error")],
                            summary: "The container's output. At statement level it is printed (stdout to stdout, stderr to stderr, in order; with -f until the container stops or Ctrl-C). When the value is used it is returned as one string (both streams interleaved), and with -f as a stream: 'for $line in (logs -f $c) { ... }' gets each line without its newline until the container stops or the loop breaks. --stdout and --stderr select streams; with neither, both.",
                            example: "logs $c --tail 5\n$text = logs $c\nfor $line in (logs -f $c) { if \"ready\" in $line { break } }")
        r.register(sig) { a in
            let ref = try ctx.ref(a[0], command: "logs")
            let options = try logOptions(a)
            let timestamps = a.bool(5)
            if options.follow && a.valueUsed {
                // Resolve now so a bad reference fails here, not at the first iteration.
                _ = try ctx.call("logs") { try $0.inspect(ref) }
                return .object(LogStreamObject(context: ctx, ref: ref, options: options, timestamps: timestamps))
            }
            let router = try OutputRouter(streamingTo: a.valueUsed ? nil : a.interp, keepSeparate: false, command: "logs")
            try ctx.call("logs") { engine in
                try engine.logs(ref, options: options) { chunk in
                    try router.deliver(timestamps ? LogFormatting.prefixTimestamp(chunk) : chunk.bytes, stream: chunk.stream)
                    return .more
                }
            }
            return a.valueUsed ? .string(router.capture.text(router.capture.combined)) : .null
        }
    }

    static func logOptions(_ a: Arguments) throws -> LogOptions {
        var o = LogOptions()
        o.follow = a.bool(1)
        if a.isGiven(2) { o.tail = try tail(a[2]) }
        let now = currentTime()
        o.since = try timePoint(a, 3, now: now)
        o.until = try timePoint(a, 4, now: now)
        o.timestamps = a.bool(5)
        let out = a.bool(6), err = a.bool(7)
        o.stdout = out || !err
        o.stderr = err || !out
        return o
    }

    /// `--tail N`: the last N lines; `all` or a negative number means all of them, as in docker.
    static func tail(_ v: Value) throws -> Int? {
        switch v {
        case .int(let n): return n < 0 ? nil : n
        case .string(let s):
            let t = s.trimmingSpaces()
            if t == "all" { return nil }
            if let n = Int(t) { return n < 0 ? nil : n }
        case .null: return nil
        default: break
        }
        throw ScriptError(.valueError, "logs: --tail takes a number of lines or 'all', not \(v.repr)")
    }

    /// A `--since`/`--until` value as the docker CLI sends it: numbers are unix seconds (as
    /// written), strings a duration ago, RFC 3339 or unix seconds (see TimePoint.parse).
    static func timePoint(_ a: Arguments, _ i: Int, now: PreciseTime) throws -> TimePoint? {
        guard a.isGiven(i) else { return nil }
        switch a[i] {
        case .int, .float:
            if let t = TimePoint.parse(a[i].str, now: now) { return t }
            if case .float(let d) = a[i], d.isFinite { return TimePoint(unix: d) }
        default: break
        }
        let s = try a.string(i)
        guard let t = TimePoint.parse(s, now: now) else {
            throw ScriptError(.valueError, "logs: '\(s)' is not a time; write unix seconds, RFC 3339 (2024-01-02T03:04:05Z) or a duration ago (10m)")
        }
        return t
    }
}

/// The wall clock now, to the nanosecond.
func currentTime() -> PreciseTime {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    return PreciseTime(seconds: Int64(ts.tv_sec), nanoseconds: Int32(ts.tv_nsec))
}
