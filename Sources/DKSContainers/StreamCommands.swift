// StreamCommands: `events [--since T] [--until T] [--filter K=V]...` and `stats C [--stream]`.
// When the value is used they return a `stream` that `for` iterates (event maps; stats samples)
// until `--until`, the end of the stream, `break` or Ctrl-C; at statement level they print one
// line per event as `docker events` does (per sample: a docker stats row). Must not: buffer a
// stream (it is pulled from the engine as the loop asks) or start it before it is iterated.
#if canImport(Glibc)
import Glibc
#endif
import DKSEngine
import DKSLanguage
import DKSSupport
import Foundation

enum StreamCommands {
    static func register(_ r: BuiltinRegistry, _ ctx: ContainerContext) {
        r.register(Signature("events", topic: "containers",
                             [.option("since", "TIME", default: nil, "from TIME (unix seconds, RFC 3339 or a duration ago: 10m)"),
                              .option("until", "TIME", default: nil, "up to TIME, then the stream ends"),
                              .repeated("filter", "KEY=VALUE", "as docker events: type=container, event=start, container=NAME, image=..., label=K=V")],
                             summary: "The engine's events. When the value is used: a stream of maps {type, action, id, name, attributes, time} that 'for' iterates as events happen, until --until, break or Ctrl-C. At statement level: one line per event, as docker events prints them.",
                             example: "for $e in (events --filter type=container --filter event=die) { echo $e.name died; break }\nevents --since 1m --until 0s --filter container=web")) { a in
            var options = EventOptions()
            let now = currentTime()
            options.since = try LogsCommand.timePoint(a, 0, now: now)
            options.until = try LogsCommand.timePoint(a, 1, now: now)
            options.filters = try RunOptions.parseFilters(RunOptions.flatStrings(a[2]), command: "events")
            let stream = StreamObject(context: ctx, command: "events", what: "events") { engine, deliver in
                try engine.events(options) { try deliver(EventFormat.value($0)) }
            }
            if a.valueUsed { return .object(stream) }
            let interp = a.interp
            try interp.flush()
            try ctx.call("events") { engine in
                try engine.events(options) { event in
                    try interp.out.write(bytes: Array(EventFormat.line(event).utf8))
                    try interp.out.flush()
                    return .more
                }
            }
            return .null
        }
        r.register(Signature("stats", topic: "containers",
                             [.arg("container", "a container (object, name or id)"),
                              .flag("stream", "keep sampling (about once a second) instead of taking one sample")],
                             summary: "One resource-usage sample of the container as the engine reports it (memory_stats, cpu_stats, pids_stats, ...), as a map. With --stream: when the value is used, a stream of such samples that 'for' iterates until break or Ctrl-C; at statement level, one docker stats row per sample (CPU %, memory, network and block I/O, pids).",
                             example: "echo (stats $c).memory_stats.usage\nfor $s in (stats $c --stream) { echo $s.memory_stats.usage; break }")) { a in
            let ref = try ctx.ref(a[0], command: "stats")
            guard a.bool(1) else { return JSONValues.value(try ctx.call("stats") { try $0.stats(ref) }) }
            // Resolve now so a bad reference fails here, not at the first iteration.
            _ = try ctx.call("stats") { try $0.inspect(ref) }
            if a.valueUsed {
                return .object(StreamObject(context: ctx, command: "stats", what: "stats of \(ref)") { engine, deliver in
                    try engine.statsStream(ref) { try deliver(JSONValues.value($0)) }
                })
            }
            let interp = a.interp
            try interp.flush()
            try interp.out.write(bytes: Array((StatsFormat.header + "\n").utf8))
            try ctx.call("stats") { engine in
                try engine.statsStream(ref) { sample in
                    try interp.out.write(bytes: Array((StatsFormat.row(sample) + "\n").utf8))
                    try interp.out.flush()
                    return .more
                }
            }
            return .null
        }
    }
}

/// A `stream` value: iterating it runs `source`, which delivers each item until the loop breaks.
final class StreamObject: HostObject {
    let context: ContainerContext
    let command: String
    let what: String
    /// Runs the engine call; `deliver` hands one item to the loop and says whether to go on.
    let source: (ContainerEngine, _ deliver: (Value) throws -> StreamControl) throws -> Void

    init(context: ContainerContext, command: String, what: String,
         source: @escaping (ContainerEngine, _ deliver: (Value) throws -> StreamControl) throws -> Void) {
        self.context = context
        self.command = command
        self.what = what
        self.source = source
    }

    override var typeName: String { "stream" }
    override var description: String { "<stream \(what)>" }

    override func iterate(_ body: (Value) throws -> Bool) throws -> Bool {
        // Script errors from the loop body pass through unchanged; engine errors are mapped.
        var bodyError: Error?
        do {
            try context.call(command) { engine in
                try source(engine) { item in
                    do { return try body(item) ? .more : .stop } catch {
                        bodyError = error
                        return .stop
                    }
                }
            }
        } catch {
            if let e = bodyError { throw e }
            throw error
        }
        if let e = bodyError { throw e }
        return true
    }
}

/// Events as values and as `docker events` lines.
enum EventFormat {
    /// {type, action, id, name, attributes, time}: time in unix seconds (with a fraction).
    static func value(_ e: JSON) -> Value {
        let attributes = e["Actor"]?["Attributes"]?.objectValue ?? []
        var time: Value = .null
        if let nanos = e["timeNano"]?.intValue { time = .float(Double(nanos) / 1e9) } else if let s = e["time"]?.intValue { time = .float(Double(s)) }
        return JSONValues.map([
            ("type", JSONValues.value(e["Type"] ?? e["type"])),
            ("action", JSONValues.value(e["Action"] ?? e["status"])),
            ("id", JSONValues.value(e["Actor"]?["ID"] ?? e["id"])),
            ("name", attributes.first(where: { $0.0 == "name" }).map { JSONValues.value($0.1) } ?? .null),
            ("attributes", JSONValues.stringMap(e["Actor"]?["Attributes"])),
            ("time", time),
        ])
    }

    /// `2024-01-02T03:04:05.123456789Z container start ID (image=x, name=y)`, as docker events
    /// prints it (the time in the local zone; attributes sorted by name).
    static func line(_ e: JSON) -> String {
        var out = ""
        if let nanos = e["timeNano"]?.intValue, nanos != 0 {
            out += localTime(seconds: nanos / 1_000_000_000, nanos: nanos % 1_000_000_000) + " "
        } else if let s = e["time"]?.intValue, s != 0 {
            out += localTime(seconds: s, nanos: 0) + " "
        }
        let type = e["Type"]?.stringValue ?? ""
        let action = e["Action"]?.stringValue ?? e["status"]?.stringValue ?? ""
        let id = e["Actor"]?["ID"]?.stringValue ?? e["id"]?.stringValue ?? ""
        out += "\(type) \(action) \(id)"
        let attributes = (e["Actor"]?["Attributes"]?.objectValue ?? []).sorted { Array($0.0.utf8).lexicographicallyPrecedes(Array($1.0.utf8)) }
        if !attributes.isEmpty {
            out += " (" + attributes.map { "\($0.0)=\($0.1.stringValue ?? $0.1.encoded())" }.joined(separator: ", ") + ")"
        }
        return out + "\n"
    }

    /// Go's RFC3339NanoFixed in the local zone: `2006-01-02T15:04:05.000000000Z07:00`.
    static func localTime(seconds: Int64, nanos: Int64) -> String {
        var t = time_t(seconds)
        var parts = tm()
        localtime_r(&t, &parts)
        let offset = parts.tm_gmtoff
        var zone = "Z"
        if offset != 0 {
            let sign = offset < 0 ? "-" : "+"
            let m = abs(offset) / 60
            zone = String(format: "%@%02d:%02d", sign, m / 60, m % 60)
        }
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%09lld", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
                      Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), nanos) + zone
    }
}

/// A stats sample as a `docker stats` row, computed as the docker CLI computes it.
enum StatsFormat {
    static let header = pad(["NAME", "CPU %", "MEM USAGE / LIMIT", "MEM %", "NET I/O", "BLOCK I/O", "PIDS"])

    static func row(_ s: JSON) -> String {
        var name = s["name"]?.stringValue ?? String((s["id"]?.stringValue ?? "").prefix(12))
        if name.hasPrefix("/") { name.removeFirst() }
        let cpu = s["cpu_stats"], pre = s["precpu_stats"]
        let cpuDelta = Double(cpu?["cpu_usage"]?["total_usage"]?.intValue ?? 0) - Double(pre?["cpu_usage"]?["total_usage"]?.intValue ?? 0)
        let systemDelta = Double(cpu?["system_cpu_usage"]?.intValue ?? 0) - Double(pre?["system_cpu_usage"]?.intValue ?? 0)
        var online = Double(cpu?["online_cpus"]?.intValue ?? 0)
        if online == 0 { online = Double(cpu?["cpu_usage"]?["percpu_usage"]?.arrayValue?.count ?? 0) }
        let cpuPercent = systemDelta > 0 && cpuDelta > 0 ? cpuDelta / systemDelta * online * 100 : 0
        let mem = s["memory_stats"]
        var usage = Double(mem?["usage"]?.intValue ?? 0)
        // The page cache does not count, as the CLI computes it (cgroup v1 and v2 spellings).
        let stats = mem?["stats"]
        if let v = stats?["total_inactive_file"]?.intValue, Double(v) < usage { usage -= Double(v) }
        else if let v = stats?["inactive_file"]?.intValue, Double(v) < usage { usage -= Double(v) }
        let limit = Double(mem?["limit"]?.intValue ?? 0)
        let memPercent = limit > 0 ? usage / limit * 100 : 0
        var rx: Int64 = 0, tx: Int64 = 0
        for (_, n) in s["networks"]?.objectValue ?? [] {
            rx += n["rx_bytes"]?.intValue ?? 0
            tx += n["tx_bytes"]?.intValue ?? 0
        }
        var readBytes: Int64 = 0, writeBytes: Int64 = 0
        for e in s["blkio_stats"]?["io_service_bytes_recursive"]?.arrayValue ?? [] {
            switch (e["op"]?.stringValue ?? "").lowercased() {
            case "read": readBytes += e["value"]?.intValue ?? 0
            case "write": writeBytes += e["value"]?.intValue ?? 0
            default: break
            }
        }
        let pids = s["pids_stats"]?["current"]?.intValue ?? 0
        return pad([name, String(format: "%.2f%%", cpuPercent),
                    "\(binary(usage)) / \(binary(limit))", String(format: "%.2f%%", memPercent),
                    "\(TransferProgress.size(rx)) / \(TransferProgress.size(tx))",
                    "\(TransferProgress.size(readBytes)) / \(TransferProgress.size(writeBytes))", String(pids)])
    }

    /// Sizes in powers of 1024 (`12.5MiB`), as docker stats shows memory.
    static func binary(_ bytes: Double) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var v = bytes
        var u = 0
        while v >= 1024, u < units.count - 1 { v /= 1024; u += 1 }
        return String(format: "%.4g", v) + units[u]
    }

    static func pad(_ cells: [String]) -> String {
        let widths = [20, 8, 22, 8, 20, 20, 4]
        return zip(cells, widths).map { $0.count >= $1 ? $0 + " " : $0.padding(toLength: $1 + 1, withPad: " ", startingAt: 0) }
            .joined().trimmingCharacters(in: .whitespaces)
    }
}
