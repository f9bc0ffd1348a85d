// ExecObjects: the values an exec becomes besides an exec_result — `exec -d`'s `exec` object
// (.id, live .running, .exit_code and .pid; `wait` works on it), and the stream of
// `for $line in (exec ...)`, which runs the exec while the loop iterates its stdout lines.
// Must not: cache live attributes (each read asks the engine), or leave the exec running when a
// loop breaks (the engine kills it when the output is abandoned).
import DKSEngine
import DKSLanguage
import DKSSupport

/// `exec -d`: a command running in the background in a container.
final class ExecObject: HostObject, @unchecked Sendable {
    let id: String
    /// The engine of its container.
    unowned let engine: EngineHandle
    /// How messages name its container (asked only when a message needs it).
    let container: () -> String
    let command: String

    init(id: String, engine: EngineHandle, container: @escaping () -> String, command: String) {
        self.id = id
        self.engine = engine
        self.container = container
        self.command = command
    }

    override var typeName: String { "exec" }
    override var memberNames: [String] { ["id", "running", "exit_code", "pid", "engine"] }
    override var description: String { "<exec \(String(id.prefix(12))) \(command)>" }

    private func state() throws -> JSON { try engine.call("exec") { try $0.inspectExec(id) } }

    override func member(_ name: String) throws -> Value? {
        switch name {
        case "id": return .string(id)
        case "engine": return .object(engine.object)
        case "running": return .bool(try state()["Running"]?.boolValue ?? false)
        case "exit_code":
            let s = try state()
            if s["Running"]?.boolValue ?? false { return .null }
            return s["ExitCode"]?.intValue.map { .int(Int($0)) } ?? .null
        case "pid": return try state()["Pid"]?.intValue.map { .int(Int($0)) } ?? .null
        default: return nil
        }
    }

    override func isEqual(to other: HostObject) -> Bool {
        guard let o = other as? ExecObject else { return false }
        return o.id == id && o.engine === engine
    }
    override func hash(into hasher: inout Hasher) { hasher.combine("exec"); hasher.combine(id) }

    /// Waits until it ends (polling the engine, honouring Ctrl-C and `deadline`); its exit code.
    func wait(deadline: Deadline) throws -> Int {
        while true {
            let s = try state()
            if !(s["Running"]?.boolValue ?? false) { return Int(s["ExitCode"]?.intValue ?? 0) }
            if deadline.hasPassed {
                throw ScriptError(.timeout, "wait: exec '\(command)' in \(container()) still running at the deadline")
            }
            do { try interruptibleSleep(seconds: min(0.05, max(0.001, deadline.remainingSeconds))) } catch {
                throw ScriptError.interrupted()
            }
        }
    }
}

/// `for $line in (exec C CMD)`: stdout lines as they arrive (stderr streams to the context's stderr).
final class ExecLineStream: HostObject {
    let target: Target
    let config: ExecConfig
    let shown: String
    /// How messages name its container (asked only when a message needs it).
    let container: () -> String
    unowned(unsafe) let interp: Interpreter

    init(target: Target, config: ExecConfig, shown: String, container: @escaping () -> String, interp: Interpreter) {
        self.target = target
        self.config = config
        self.shown = shown
        self.container = container
        self.interp = interp
    }

    override var typeName: String { "stream" }
    override var description: String { "<stream exec \(shown)>" }

    /// Thrown out of the output callback when the loop breaks: the engine then ends the exec.
    private struct LoopEnded: Error {}

    override func iterate(_ body: (Value) throws -> Bool) throws -> Bool {
        var splitter = LineSplitter()
        var bodyError: Error?
        var stopped = false
        let errFD = interp.errFD
        try interp.flush()
        let code: Int
        do {
            code = try target.call("exec") { engine in
                try engine.exec(target.ref, config) { chunk in
                    if chunk.stream == .stderr {
                        let code = writeAllError(errFD, chunk.bytes)
                        if code != 0 { throw Output.writeError(name: "stderr", errno: code) }
                        return
                    }
                    for line in try splitter.feed(chunk.bytes, stream: .stdout) {
                        do {
                            if try !body(.string(line)) { stopped = true; throw LoopEnded() }
                        } catch is LoopEnded {
                            throw LoopEnded()
                        } catch {
                            bodyError = error
                            throw LoopEnded()
                        }
                    }
                }
            } ?? 0
        } catch is LoopEnded {
            if let e = bodyError { throw e }
            return true
        }
        if !stopped {
            for line in splitter.finish() where try !body(.string(line)) { return true }
        }
        if code != 0 { throw ExecCommand.failure(shown, container(), code, output: nil) }
        return true
    }
}
