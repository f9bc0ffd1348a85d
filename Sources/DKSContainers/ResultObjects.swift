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

/// `logs -f` whose value is used: `for $line in $stream { ... }` follows the container's output
/// line by line (without the newline) until the container stops or the loop breaks.
final class LogStreamObject: HostObject {
    let context: ContainerContext
    let ref: String
    let options: LogOptions
    let timestamps: Bool

    init(context: ContainerContext, ref: String, options: LogOptions, timestamps: Bool) {
        self.context = context
        self.ref = ref
        self.options = options
        self.timestamps = timestamps
    }

    override var typeName: String { "log_stream" }
    override var description: String { "<log_stream \(ref)>" }

    override func iterate(_ body: (Value) throws -> Bool) throws -> Bool {
        var splitter = LineSplitter(what: "a line of logs -f")
        var stopped = false
        // Script errors from the loop body pass through unchanged; engine errors are mapped.
        var bodyError: Error?
        do {
            try context.call("logs") { engine in
                try engine.logs(ref, options: options) { chunk in
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
