// Waits: `wait-healthy` and `wait-log`, written once over the ContainerEngine protocol for every engine.
// Owns: the polling/following loops and their failure kinds (spec §7). Must not: use anything
// engine-specific; only protocol calls (inspect, logs), so the local engine shares them.
import DKSSupport
import Foundation

extension ContainerEngine {
    /// Returns once the container's `State.Health.Status` is `healthy`.
    ///
    /// Throws `.unhealthy` as soon as it is `unhealthy` (message: the last probe's exit code and output),
    /// `.container` if the container exited (with its exit code and last output lines), `.invalidArgument`
    /// if it has no health check, `.timeout` at `deadline` (also while the engine does not answer: the
    /// deadline bounds every request), `.interrupted` on `Interruption`.
    public func waitHealthy(_ ref: String, deadline: Deadline) throws {
        do {
            try Deadline.bounding(deadline) { try pollHealth(ref, deadline: deadline) }
        } catch let error as EngineError where error.kind == .timeout && error.unanswered {
            throw EngineError(.timeout, "container \(ref) not healthy before the deadline: \(error.message)")
        }
    }

    private func pollHealth(_ ref: String, deadline: Deadline) throws {
        while true {
            if Interruption.isRequested { throw EngineError(.interrupted, "interrupted") }
            let doc = try inspect(ref)
            let name = containerName(doc, ref)
            let state = doc["State"] ?? .null
            let test = doc["Config"]?["Healthcheck"]?["Test"]?.arrayValue?.compactMap(\.stringValue) ?? []
            let health = state["Health"].flatMap { $0.objectValue == nil ? nil : $0 }
            // Docker leaves State.Health out when there is no health check (or it is NONE), and also
            // until the container first starts.
            if health == nil && (test.isEmpty || test.first == "NONE") {
                throw EngineError(.invalidArgument, "container \(name) has no health check; add one with --health-cmd")
            }
            let status = health?["Status"]?.stringValue ?? ""
            if status == "healthy" { return }
            // Docker marks a stopped container unhealthy too; the exit is the better explanation.
            if let exited = try exitedError(doc, name: name, ref, what: "while waiting for it to be healthy") { throw exited }
            if state["Status"]?.stringValue == "created" {
                throw EngineError(.container, "container \(name) was never started; start it before waiting for it to be healthy")
            }
            if status == "unhealthy" {
                let last = health?["Log"]?.arrayValue?.last
                let code = last?["ExitCode"]?.intValue.map { String($0) } ?? "?"
                let output = (last?["Output"]?.stringValue ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
                throw EngineError(.unhealthy, "container \(name) is unhealthy: health check exited \(code)"
                                    + (output.isEmpty ? "" : ": \(output)"), output: output)
            }
            if deadline.hasPassed {
                throw EngineError(.timeout, "container \(name) not healthy before the deadline (health: \(status.isEmpty ? "starting" : status))")
            }
            try sleepPolling(deadline)
        }
    }

    /// Returns once the regex `pattern` matched `times` lines of the container's output (stdout and
    /// stderr, from the start). Throws `.container` if the container stops first, `.timeout` at
    /// `deadline` (even while the container is quiet, or the engine silent: the deadline bounds every
    /// request), `.invalidArgument` for a bad pattern, `.captureLimit` for a line (no newline yet)
    /// longer than `CaptureLimit`.
    public func waitLog(_ ref: String, pattern: String, times: Int = 1, deadline: Deadline) throws {
        try Deadline.bounding(deadline) { try followForPattern(ref, pattern: pattern, times: times, deadline: deadline) }
    }

    private func followForPattern(_ ref: String, pattern: String, times: Int, deadline: Deadline) throws {
        let regex: NSRegularExpression
        do { regex = try NSRegularExpression(pattern: pattern) } catch {
            throw EngineError(.invalidArgument, "bad pattern '\(pattern)': \(error.localizedDescription)")
        }
        let wanted = max(1, times)
        var matches = 0
        var partial: [StreamKind: [UInt8]] = [:]
        func matchLine(_ bytes: [UInt8]) {
            var line = String(decoding: bytes, as: UTF8.self)
            if line.hasSuffix("\r") { line.removeLast() }
            let range = NSRange(line.startIndex..<line.endIndex, in: line)
            if regex.firstMatch(in: line, options: [], range: range) != nil { matches += 1 }
        }
        var options = LogOptions()
        options.follow = true
        options.deadline = deadline
        do {
            try logs(ref, options: options) { chunk in
                var pending = partial[chunk.stream] ?? []
                for byte in chunk.bytes {
                    if byte == 10 {
                        matchLine(pending)
                        pending.removeAll(keepingCapacity: true)
                        if matches >= wanted { return .stop }
                    } else {
                        pending.append(byte)
                    }
                }
                if CaptureLimit.exceeded(pending.count) {
                    throw EngineError(.captureLimit, CaptureLimit.message("a line of the output of \(ref) (no newline yet)"))
                }
                partial[chunk.stream] = pending
                return .more
            }
        } catch let error as EngineError where error.kind == .timeout {
            let cause = error.unanswered ? ": \(error.message)" : ""
            throw EngineError(.timeout, "'\(pattern)' matched \(matches) of \(wanted) times in the output of \(ref) before the deadline\(cause)")
        }
        if matches >= wanted { return }
        for (_, rest) in partial where !rest.isEmpty {
            matchLine(rest)
            if matches >= wanted { return }
        }
        // The follow ended: the container stopped without printing enough matches.
        let doc = try inspect(ref)
        let name = containerName(doc, ref)
        if let exited = try exitedError(doc, name: name, ref, what: "before '\(pattern)' matched \(wanted) times (\(matches) so far)") {
            throw exited
        }
        throw EngineError(.container, "the output of container \(name) ended before '\(pattern)' matched \(wanted) times (\(matches) so far)")
    }

    /// `.container` with exit code and output tail when `doc` says the container is no longer running.
    private func exitedError(_ doc: JSON, name: String, _ ref: String, what: String) throws -> EngineError? {
        let state = doc["State"] ?? .null
        let status = state["Status"]?.stringValue ?? ""
        guard status == "exited" || status == "dead" || (state["Running"]?.boolValue == false && status != "created" && status != "paused") else {
            return nil
        }
        let code = Int(state["ExitCode"]?.intValue ?? -1)
        return EngineError(.container, "container \(name) exited with code \(code) \(what)", exitCode: code, output: outputTail(ref, lines: 10))
    }

    private func outputTail(_ ref: String, lines: Int) -> String {
        var options = LogOptions()
        options.tail = lines
        options.deadline = Deadline.after(seconds: 5)
        var bytes: [UInt8] = []
        try? logs(ref, options: options) { chunk in
            bytes.append(contentsOf: chunk.bytes)
            return bytes.count > 1 << 20 ? .stop : .more
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private func containerName(_ doc: JSON, _ ref: String) -> String {
        guard let name = doc["Name"]?.stringValue, !name.isEmpty else { return ref }
        return name.hasPrefix("/") ? String(name.dropFirst()) : name
    }

    private func sleepPolling(_ deadline: Deadline) throws {
        do { try interruptibleSleep(seconds: min(0.075, max(0.001, deadline.remainingSeconds))) } catch {
            throw EngineError(.interrupted, "interrupted")
        }
    }
}
