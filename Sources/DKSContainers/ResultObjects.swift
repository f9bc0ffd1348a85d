// ResultObjects: values produced by running things — `exec_result` (what `run` and `exec`
// return when their value is used) and the log stream of `logs -f`.
// Must not: start containers or execs (the commands do); a stream only follows logs when iterated.
import DKSEngine
import DKSLanguage
import DKSSupport

/// The outcome of `run` (without -d) or `exec`, with its output captured.
final class ExecResultObject: HostObject {
    let exitCode: Int
    let output: String
    let stdout: String
    let stderr: String

    init(exitCode: Int, capture: OutputCapture) {
        self.exitCode = exitCode
        output = capture.text(capture.combined)
        stdout = capture.text(capture.stdout)
        stderr = capture.text(capture.stderr)
    }

    override var typeName: String { "exec_result" }
    override var memberNames: [String] { ["exit_code", "output", "stdout", "stderr", "ok"] }

    override func member(_ name: String) throws -> Value? {
        switch name {
        case "exit_code": return .int(exitCode)
        case "output": return .string(output)
        case "stdout": return .string(stdout)
        case "stderr": return .string(stderr)
        case "ok": return .bool(exitCode == 0)
        default: return nil
        }
    }

    /// Its output, so `echo (exec $c cat /etc/hostname)` prints what the command printed.
    override var description: String { output }
}

/// `logs -f` whose value is used: `for $line in $stream { ... }` follows the output (of a
/// container, or a service's tasks) line by line, without the newline, until it ends or the loop breaks.
final class LogStreamObject: HostObject {
    /// Calls the engine: delivers output chunks until the log ends or the callback says stop.
    typealias Fetch = (_ onOutput: (OutputChunk) throws -> StreamControl) throws -> Void
    let what: String
    let fetch: Fetch
    let timestamps: Bool

    init(what: String, timestamps: Bool, fetch: @escaping Fetch) {
        self.what = what
        self.fetch = fetch
        self.timestamps = timestamps
    }

    /// A container's logs.
    convenience init(target: Target, options: LogOptions, timestamps: Bool) {
        self.init(what: target.ref, timestamps: timestamps) { onOutput in
            try target.call("logs") { engine in try engine.logs(target.ref, options: options, onOutput: onOutput) }
        }
    }

    override var typeName: String { "log_stream" }
    override var description: String { "<log_stream \(what)>" }

    override func iterate(_ body: (Value) throws -> Bool) throws -> Bool {
        var splitter = LineSplitter(what: "a line of logs -f")
        var stopped = false
        // Script errors from the loop body pass through unchanged; engine errors are mapped.
        var bodyError: Error?
        do {
            try fetch { chunk in
                let bytes = timestamps ? LogFormatting.prefixTimestamp(chunk) : chunk.bytes
                for line in try splitter.feed(bytes, stream: chunk.stream) {
                    do {
                        if try !body(.string(line)) { stopped = true; return .stop }
                    } catch {
                        bodyError = error
                        return .stop
                    }
                }
                return .more
            }
        } catch {
            if let e = bodyError { throw e }
            throw error
        }
        if let e = bodyError { throw e }
        if !stopped {
            for line in splitter.finish() where try !body(.string(line)) { break }
        }
        return true
    }
}
