// DockerEngine+Output: the calls that stream a container's output: runAttached and logs.
// Owns: attach-before-start ordering, exec exit codes, log query options. Must not: print or
// buffer whole outputs; callbacks run on the calling thread, one chunk at a time.
import DKSEngine
import DKSSupport
import Foundation

extension DockerEngine {
    public func runAttached(_ ref: String, onOutput: (OutputChunk) throws -> Void) throws -> Int {
        try runAttached(ref, stdin: nil, deadline: .never, onOutput: onOutput)
    }

    public func runAttached(_ ref: String, stdin: Int32?, deadline: Deadline, onOutput: (OutputChunk) throws -> Void) throws -> Int {
        let config = try inspect(ref)["Config"]
        let tty = config?["Tty"]?.boolValue ?? false
        // Stdin only reaches a container created with it open (`run -i`).
        let stdinFD = (config?["OpenStdin"]?.boolValue ?? false) ? stdin : nil
        // Registered before start, so an auto-removed container still reports its exit code.
        let wait = try openWait(ref, condition: .nextExit, deadline: .never)
        let attach: DockerExchange
        do {
            var query = [("stream", "1"), ("stdout", "1"), ("stderr", "1")]
            if stdinFD != nil { query.append(("stdin", "1")) }
            var req = request("POST", try containerPath(ref, "/attach"), query: query)
            req.upgrade = true
            attach = try client.send(req, interruptible: true)
        } catch {
            wait.abort()
            throw error
        }
        do {
            try start(ref)
        } catch let error as EngineError {
            attach.abort()
            wait.abort()
            // As the docker CLI: a command that cannot be started is the container's failure, not a bad request.
            guard let code = DockerEngine.startFailureExitCode(error.message) else { throw error }
            try onOutput(OutputChunk(stream: .stderr, bytes: Array((error.message + "\n").utf8)))
            return code
        }
        attach.bound(by: deadline, timeoutMessage: "container \(ref) did not finish before its --timeout; it was killed")
        var pump: StdinPump?
        if let fd = stdinFD {
            pump = StdinPump(fd: fd, connection: attach.connection)
            pump?.start()
        }
        do {
            _ = try OutputPump.run(attach, multiplexed: !tty, timestamps: false) { chunk in
                try onOutput(chunk)
                return .more
            }
        } catch {
            pump?.stop()
            wait.abort()
            throw error
        }
        pump?.stop()
        wait.bound(by: deadline, timeoutMessage: "container \(ref) did not finish before its --timeout; it was killed")
        return try finishWait(wait, ref: ref)
    }

    public func logs(_ ref: String, options: LogOptions, onOutput: (OutputChunk) throws -> StreamControl) throws {
        // The deadline bounds the whole call, the inspect and the request included.
        try Deadline.bounding(options.deadline) { try streamLogs(ref, options: options, onOutput: onOutput) }
    }

    private func streamLogs(_ ref: String, options: LogOptions, onOutput: (OutputChunk) throws -> StreamControl) throws {
        let tty = try inspect(ref)["Config"]?["Tty"]?.boolValue ?? false
        var query: [(String, String)] = [
            ("stdout", options.stdout ? "1" : "0"), ("stderr", options.stderr ? "1" : "0"),
            ("follow", options.follow ? "1" : "0"), ("timestamps", options.timestamps ? "1" : "0"),
            ("tail", options.tail.map { String(max(0, $0)) } ?? "all"),
        ]
        if let since = options.since { query.append(("since", since.parameter)) }
        if let until = options.until { query.append(("until", until.parameter)) }
        let headDeadline = min(options.deadline, Deadline.after(seconds: client.requestTimeout))
        let exchange = try client.send(request("GET", try containerPath(ref, "/logs"), query: query), headDeadline: headDeadline,
                                       interruptible: true)
        let message = "no end of the logs of \(ref) before the deadline"
        // Without follow the body is finite; the request timeout still guards a daemon that stalls.
        exchange.bound(by: options.follow ? options.deadline : min(options.deadline, Deadline.after(seconds: 600)), timeoutMessage: message)
        _ = try OutputPump.run(exchange, multiplexed: !tty, timestamps: options.timestamps, onChunk: onOutput)
    }

    /// 127 for "command not found", 126 for "cannot execute", nil for other start failures.
    static func startFailureExitCode(_ message: String) -> Int? {
        let text = message.lowercased()
        guard text.contains("oci runtime") || text.contains("exec") else { return nil }
        // A working directory that does not exist is not a missing command: 126, as docker exec says.
        if text.contains("chdir to cwd") { return 126 }
        if text.contains("executable file not found") || text.contains("no such file or directory") { return 127 }
        if text.contains("permission denied") { return 126 }
        return nil
    }

    func createExec(_ ref: String, _ config: ExecConfig, deadline: Deadline? = nil, interruptible: Bool = true) throws -> String {
        let answer = try client.callJSON(request("POST", try containerPath(ref, "/exec"), body: CreateBody.exec(config)),
                                         deadline: deadline, interruptible: interruptible)
        guard let id = answer["Id"]?.stringValue, !id.isEmpty else {
            throw EngineError(.engine, "malformed answer from \(endpoint) to exec create: no Id")
        }
        return id
    }

    /// The output ends a moment before the daemon records the exit code, so poll briefly.
    func execExitCode(_ execID: String) throws -> Int {
        let deadline = Deadline.after(seconds: 10)
        while true {
            let info = try client.callJSON(request("GET", try api() + "/exec/\(execID)/json"))
            let running = info["Running"]?.boolValue ?? false
            if !running, let code = info["ExitCode"]?.intValue { return Int(code) }
            if deadline.hasPassed {
                throw EngineError(.timeout, "exec \(execID.prefix(12)) ended its output but reported no exit code within 10s")
            }
            // Not interruptible: the output already ended, and the exit code is what the caller needs.
            Thread.sleep(forTimeInterval: 0.02)
        }
    }
}
