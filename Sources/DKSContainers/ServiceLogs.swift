// ServiceLogs: `service logs S [-f] [--tail N] [--since T] [-t] [--raw]` — every task's output,
// each line prefixed with its task as `docker service logs` does (`web.2.TASKID@HOST    | `),
// streamed at statement level, a string as a value, and with -f a stream that `for` iterates.
// Owns: reading the engine's per-line task context and naming tasks and nodes (looked up once,
// and again for a task that appears later). Must not: buffer a followed log.
import DKSEngine
import DKSLanguage
import DKSSupport

enum ServiceLogs {
    static func run(_ a: Arguments, _ t: Target, _ command: String) throws -> Value {
        let sig = a.signature
        func index(_ name: String) -> Int { sig.index(of: name) ?? 0 }
        var options = LogOptions()
        options.follow = a.bool(index("follow"))
        if a.isGiven(index("tail")) { options.tail = try LogsCommand.tail(a[index("tail")]) }
        options.since = try LogsCommand.timePoint(a, index("since"), now: currentTime())
        options.timestamps = a.bool(index("timestamps"))
        let raw = a.bool(index("raw"))
        let s = try ServiceCommands.swarm(t.engine, command)
        let service = try t.engine.call(command) { _ in try s.inspectService(t.ref) }
        let formatter = raw ? nil : TaskPrefixes(service: service, swarm: s)
        let timestamps = options.timestamps
        let fetch: LogStreamObject.Fetch = { onOutput in
            try t.engine.call(command) { _ in
                try s.serviceLogs(t.ref, options: options, details: formatter != nil) { chunk in
                    try onOutput(formatter?.format(chunk, timestamps: timestamps) ?? chunk)
                }
            }
        }
        if options.follow && a.valueUsed {
            // The stream keeps each line's prefix in its text (timestamps are already in it).
            return .object(LogStreamObject(what: "service \(t.ref)", timestamps: false, fetch: fetch))
        }
        let router = try OutputRouter(streamingTo: a.valueUsed ? nil : a.interp, keepSeparate: false, command: command)
        try fetch { chunk in
            try router.deliver(chunk.bytes, stream: chunk.stream)
            return .more
        }
        return a.valueUsed ? .string(router.capture.text(router.capture.combined)) : .null
    }
}

/// Turns `com.docker.swarm.node.id=N,com.docker.swarm.service.id=S,com.docker.swarm.task.id=T message`
/// into `NAME.SLOT.TASKID@HOSTNAME    | message`, as the docker CLI formats service logs.
final class TaskPrefixes {
    private let swarm: SwarmEngine
    private let serviceID: String
    private let serviceName: String
    /// Digits of the replica count: lower slots are padded to line up (as the docker CLI does).
    private let width: Int
    private var slots: [String: Int] = [:]
    private var hosts: [String: String] = [:]
    private var cache: [String: String] = [:]

    init(service: JSON, swarm: SwarmEngine) {
        self.swarm = swarm
        serviceID = service["ID"]?.stringValue ?? ""
        serviceName = service["Spec"]?["Name"]?.stringValue ?? serviceID
        width = String(service["Spec"]?["Mode"]?["Replicated"]?["Replicas"]?.intValue ?? 1).count
        refresh()
    }

    private func refresh() {
        for task in (try? swarm.tasks(filters: [("service", serviceID)])) ?? [] {
            if let id = task["ID"]?.stringValue { slots[id] = task["Slot"]?.intValue.map { Int($0) } ?? 0 }
        }
        for node in (try? swarm.nodes(filters: [])) ?? [] {
            if let id = node["ID"]?.stringValue { hosts[id] = node["Description"]?["Hostname"]?.stringValue ?? id }
        }
    }

    /// One message of the engine, prefixed with its task (a line the engine sent without a
    /// context passes through as it is).
    func format(_ chunk: OutputChunk, timestamps: Bool) -> OutputChunk {
        let bytes = chunk.bytes
        guard let space = bytes.firstIndex(of: 32) else { return chunk }
        let details = Self.details(String(decoding: bytes[..<space], as: UTF8.self))
        guard let task = details["com.docker.swarm.task.id"] else { return chunk }
        let node = details["com.docker.swarm.node.id"] ?? ""
        let prefix = name(task: task, node: node)
        var out: [UInt8] = []
        if timestamps, let time = chunk.timestampText { out += Array((time + " ").utf8) }
        out += Array((prefix + "    | ").utf8)
        out += bytes[(space + 1)...]
        return OutputChunk(stream: chunk.stream, bytes: out, timestamp: chunk.timestamp, timestampText: chunk.timestampText)
    }

    private func name(task: String, node: String) -> String {
        let key = task + "@" + node
        if let known = cache[key] { return known }
        if slots[task] == nil || hosts[node] == nil { refresh() }
        let slot = slots[task] ?? 0
        // A global service's tasks have no slot: the docker CLI prints 0 for them too.
        let padding = String(repeating: " ", count: max(0, width - String(slot).count))
        let text = "\(serviceName).\(slot).\(task.prefix(12))@\(hosts[node] ?? node)" + padding
        cache[key] = text
        return text
    }

    /// `k=v,k=v` with the values URL-encoded, as the engine writes a log line's details.
    static func details(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for pair in text.split(separator: ",") {
            guard let eq = pair.firstIndex(of: "=") else { continue }
            let key = String(pair[..<eq])
            let value = String(pair[pair.index(after: eq)...])
            out[key] = value.removingPercentEncoding ?? value
        }
        return out
    }
}
