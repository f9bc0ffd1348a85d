// JupyterKernel: `dks kernel -f CONNECTION_FILE` — one dks session per notebook, speaking the
// Jupyter messaging protocol over ZeroMQ. Cells run in the session's interpreter on the calling
// thread (its variables stay between cells); their stdout and stderr stream as they come; the
// last statement's value is the cell's result (containers, `ps`, `images` and `stats` also as
// HTML tables); errors carry the caret; SIGINT or an interrupt request stops the running command
// as Ctrl-C does at the prompt; completion and inspection come from the prompt's completer and `help`.
// Owns: the sockets, the threads around them and the requests. Must not: parse the command line.
#if canImport(Glibc)
import Glibc
#endif
import DKSBuiltins
import DKSLanguage
import DKSSession
import DKSSupport

/// How the kernel shows values beyond their repr (the executable plugs in the containers layer).
public protocol KernelPresenter {
    /// The plain text of a value (nil: its repr).
    func text(for value: Value) -> String?
    /// The table a value is shown as (header and rows), or nil.
    func table(for value: Value) -> (header: [String], rows: [[String]])?
}

public final class JupyterKernel: @unchecked Sendable {
    let interp: Interpreter
    let presenter: KernelPresenter
    let completion: SessionCompletionContext
    let version: String
    let key: [UInt8]
    let session = JupyterMessage.newID()
    let zmq: ZMQ
    let shell: ZMQSocket, control: ZMQSocket, stdinSocket: ZMQSocket, iopub: ZMQSocket, heartbeat: ZMQSocket
    private let iopubLock = Lock()
    private let stateLock = Lock()
    private var shutdownRequested = false
    private var exitStatus: Int32 = 0
    private var executionCount = 0
    /// The request whose output is streaming now (stream messages name it as their parent).
    private var currentParent: JupyterMessage?
    private var output: OutputCapture?
    private var threads: [JoinableThread] = []

    /// Binds the five channels the connection file names. Throws `ZMQError` (no libzmq, a port in use).
    public init(connectionFile: String, interpreter: Interpreter, presenter: KernelPresenter,
                engineNames: EngineNameSource?, version: String) throws {
        guard let text = readFile(connectionFile), let conn = try? JSON.parse(text) else {
            throw ZMQError(description: "cannot read the connection file \(connectionFile)")
        }
        let transport = conn["transport"]?.stringValue ?? "tcp"
        let ip = conn["ip"]?.stringValue ?? "127.0.0.1"
        func endpoint(_ name: String) throws -> String {
            guard let port = conn[name]?.intValue else { throw ZMQError(description: "the connection file has no \(name)") }
            return transport == "ipc" ? "ipc://\(ip)-\(port)" : "tcp://\(ip):\(port)"
        }
        if let scheme = conn["signature_scheme"]?.stringValue, scheme != "hmac-sha256", !(conn["key"]?.stringValue ?? "").isEmpty {
            throw ZMQError(description: "unsupported signature scheme \(scheme) (dks signs with hmac-sha256)")
        }
        key = Array((conn["key"]?.stringValue ?? "").utf8)
        zmq = try ZMQ.load()
        shell = try zmq.bound(ZMQ.ROUTER, try endpoint("shell_port"))
        control = try zmq.bound(ZMQ.ROUTER, try endpoint("control_port"))
        stdinSocket = try zmq.bound(ZMQ.ROUTER, try endpoint("stdin_port"))
        iopub = try zmq.bound(ZMQ.PUB, try endpoint("iopub_port"))
        heartbeat = try zmq.bound(ZMQ.REP, try endpoint("hb_port"))
        interp = interpreter
        self.presenter = presenter
        self.version = version
        completion = SessionCompletionContext(interp: interpreter, engineNames: engineNames)
        interpreter.recordsValues = true
    }

    /// Serves until a shutdown request (or `exit` in a cell); returns the exit status. Call on the
    /// interpreter's thread.
    public func run() -> Int32 {
        // Input is not a notebook's: input() sees end of file instead of waiting forever.
        let devnull = open("/dev/null", O_RDONLY)
        if devnull >= 0 { dup2(devnull, 0); close(devnull) }
        do {
            output = try OutputCapture { [weak self] name, text in self?.stream(name, text) }
        } catch {
            writeStderr("dks kernel: \(error)\n")
            return 1
        }
        interp.display = { [weak self] value, text in self?.display(value, text: text) ?? false }
        startThread { [self] in serveHeartbeat() }
        startThread { [self] in serveControl() }
        publishStatus("starting", parent: nil)
        while !isShuttingDown {
            guard let frames = shell.receive(timeoutMs: 200), let msg = JupyterMessage.decode(frames, key: key) else { continue }
            handleShell(msg)
        }
        // The session ends: top-level defers run, as at the prompt's Ctrl-D.
        Interruption.clear()
        do { try interp.finish() } catch { interp.flushQuietly() }
        interp.flushQuietly()
        output?.drain()
        stateLock.withLock { shutdownRequested = true }
        for t in threads { t.join() }
        output?.stop()
        for s in [shell, control, stdinSocket, iopub, heartbeat] { s.close() }
        return stateLock.withLock { exitStatus }
    }

    private var isShuttingDown: Bool { stateLock.withLock { shutdownRequested } }

    private func startThread(_ body: @escaping () -> Void) {
        if let t = JoinableThread.start(stackSize: 1 << 20, body) { threads.append(t) }
    }

    // MARK: Channels

    private func serveHeartbeat() {
        while !isShuttingDown {
            if let frames = heartbeat.receive(timeoutMs: 200) { heartbeat.send(frames) }
        }
    }

    /// Control requests are answered on their own thread, so an interrupt reaches a running cell.
    private func serveControl() {
        while !isShuttingDown {
            guard let frames = control.receive(timeoutMs: 200), let msg = JupyterMessage.decode(frames, key: key) else { continue }
            publishStatus("busy", parent: msg)
            switch msg.type {
            case "kernel_info_request":
                send(control, reply(msg, "kernel_info_reply", kernelInfo()))
            case "interrupt_request":
                Interruption.request()
                send(control, reply(msg, "interrupt_reply", .object([("status", .string("ok"))])))
            case "shutdown_request":
                let restart = msg.content["restart"]?.boolValue ?? false
                send(control, reply(msg, "shutdown_reply", .object([("status", .string("ok")), ("restart", .bool(restart))])))
                // A running cell stops as on Ctrl-C, then the session ends.
                Interruption.request()
                stateLock.withLock { shutdownRequested = true }
            default:
                send(control, reply(msg, msg.type.replacingAll("_request", with: "_reply"),
                                    .object([("status", .string("error")), ("ename", .string("NotImplemented")),
                                             ("evalue", .string("dks does not answer \(msg.type) on the control channel")),
                                             ("traceback", .array([]))])))
            }
            publishStatus("idle", parent: msg)
        }
    }

    private func handleShell(_ msg: JupyterMessage) {
        publishStatus("busy", parent: msg)
        defer { publishStatus("idle", parent: msg) }
        switch msg.type {
        case "kernel_info_request":
            send(shell, reply(msg, "kernel_info_reply", kernelInfo()))
        case "execute_request":
            execute(msg)
        case "complete_request":
            send(shell, reply(msg, "complete_reply", complete(msg.content)))
        case "inspect_request":
            send(shell, reply(msg, "inspect_reply", inspect(msg.content)))
        case "is_complete_request":
            let code = msg.content["code"]?.stringValue ?? ""
            let status: JSON = Continuation.needsMore(code)
                ? .object([("status", .string("incomplete")), ("indent", .string(""))])
                : .object([("status", .string("complete"))])
            send(shell, reply(msg, "is_complete_reply", status))
        case "history_request":
            send(shell, reply(msg, "history_reply", .object([("status", .string("ok")), ("history", .array([]))])))
        case "comm_info_request":
            send(shell, reply(msg, "comm_info_reply", .object([("status", .string("ok")), ("comms", .object([]))])))
        case "shutdown_request":
            let restart = msg.content["restart"]?.boolValue ?? false
            send(shell, reply(msg, "shutdown_reply", .object([("status", .string("ok")), ("restart", .bool(restart))])))
            stateLock.withLock { shutdownRequested = true }
        default:
            // Comm messages and others dks does not speak: ignored, as the protocol allows.
            break
        }
    }

    // MARK: Execution

    private func execute(_ msg: JupyterMessage) {
        // A Ctrl-C from before this cell is stale; one from the moment it shows as running counts.
        Interruption.clear()
        defer { Interruption.clear() }
        let code = msg.content["code"]?.stringValue ?? ""
        let silent = msg.content["silent"]?.boolValue ?? false
        let storeHistory = msg.content["store_history"]?.boolValue ?? !silent
        if !silent && storeHistory { executionCount += 1 }
        let count = executionCount
        if !silent {
            publish(reply(msg, "execute_input", .object([("code", .string(code)), ("execution_count", .int(Int64(count)))])))
        }
        stateLock.withLock { currentParent = msg }
        defer { stateLock.withLock { currentParent = nil } }
        defer { completion.entryRan() }  // the cell may have made or removed containers
        var failure: (name: String, value: String, traceback: [String])?
        do {
            let value = try interp.run(SourceFile(name: "<cell \(count)>", text: code))
            try interp.flush()
            output?.drain()
            if !silent, let value, let data = mimeBundle(value) {
                publish(reply(msg, "execute_result", .object([("execution_count", .int(Int64(count))), ("data", data),
                                                             ("metadata", .object([]))])))
            }
        } catch let e as ExitRequest {
            interp.flushQuietly()
            output?.drain()
            stateLock.withLock { shutdownRequested = true; exitStatus = e.status }
        } catch let e as ScriptError {
            interp.flushQuietly()
            output?.drain()
            if !e.isBrokenPipe { failure = (e.kind.rawValue, e.message, lines(ErrorFormatter.format(e))) }
        } catch let e as SyntaxErrors {
            interp.flushQuietly()
            output?.drain()
            failure = ("SyntaxError", e.errors.first?.message ?? "syntax error", lines(e.errors.map { ErrorFormatter.format($0) }.joined()))
        } catch {
            interp.flushQuietly()
            output?.drain()
            failure = ("Error", "\(error)", ["error: \(error)"])
        }
        if let f = failure {
            let content: [(String, JSON)] = [("ename", .string(f.name)), ("evalue", .string(f.value)),
                                             ("traceback", .array(f.traceback.map { .string($0) }))]
            publish(reply(msg, "error", .object(content)))
            send(shell, reply(msg, "execute_reply", .object([("status", .string("error")), ("execution_count", .int(Int64(count)))] + content)))
            return
        }
        send(shell, reply(msg, "execute_reply", .object([
            ("status", .string("ok")), ("execution_count", .int(Int64(count))),
            ("user_expressions", .object([])), ("payload", .array([])),
        ])))
    }

    private func lines(_ text: String) -> [String] {
        var t = text
        while t.hasSuffix("\n") { t.removeLast() }
        return t.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// text/plain (and text/html for tables) of a cell's value; nil for null.
    func mimeBundle(_ value: Value) -> JSON? {
        switch value {
        case .null, .undefined: return nil
        default: break
        }
        var data: [(String, JSON)] = [("text/plain", .string(presenter.text(for: value) ?? value.repr))]
        if let html = RichDisplay.html(for: value, presenter: presenter) { data.append(("text/html", .string(html))) }
        return .object(data)
    }

    /// The display hook: a query's table as display_data (HTML and its text).
    private func display(_ value: Value, text: String) -> Bool {
        guard let html = RichDisplay.html(for: value, presenter: presenter) else { return false }
        output?.drain()
        let parent = stateLock.withLock { currentParent }
        publish(JupyterMessage.reply(to: parent, type: "display_data", session: session, content: .object([
            ("data", .object([("text/plain", .string(text)), ("text/html", .string(html))])),
            ("metadata", .object([])), ("transient", .object([])),
        ])))
        return true
    }

    // MARK: Completion and inspection

    private func complete(_ content: JSON) -> JSON {
        let code = content["code"]?.stringValue ?? ""
        let scalars = Array(code.unicodeScalars)
        let cursor = max(0, min(Int(content["cursor_pos"]?.intValue ?? Int64(scalars.count)), scalars.count))
        var before = String.UnicodeScalarView()
        before.append(contentsOf: scalars[0..<cursor])
        let result = Completer.complete(String(before), context: completion)
        let start = cursor - result.word.unicodeScalars.count
        return .object([("status", .string("ok")), ("matches", .array(result.candidates.map { .string($0) })),
                        ("cursor_start", .int(Int64(max(0, start)))), ("cursor_end", .int(Int64(cursor))),
                        ("metadata", .object([]))])
    }

    private func inspect(_ content: JSON) -> JSON {
        let code = content["code"]?.stringValue ?? ""
        let scalars = Array(code.unicodeScalars)
        let cursor = max(0, min(Int(content["cursor_pos"]?.intValue ?? Int64(scalars.count)), scalars.count))
        var prefix = String.UnicodeScalarView()
        prefix.append(contentsOf: scalars[0..<cursor])
        let offset = String(prefix).utf8.count
        var text: String?
        if let word = CursorName.at(offset, in: Array(code.utf8)) {
            if word.isVariable {
                if let v = interp.globals.get(word.name) {
                    var r = v.repr
                    if r.count > 2000 { r = String(r.prefix(2000)) + "…" }
                    text = "$\(word.name): \(v.typeName)\n\(r)"
                }
            } else if let help = GeneralBuiltins.helpText(word.name, interp.registry) {
                // What `help NAME` prints: a command, a syntax topic, a keyword's topic (`else`: if).
                text = help
            } else if let sig = completion.signature(ofCommand: word.name) {
                text = "usage: \(sig.usage)\n"
            }
        }
        guard let text else {
            return .object([("status", .string("ok")), ("found", .bool(false)), ("data", .object([])), ("metadata", .object([]))])
        }
        return .object([("status", .string("ok")), ("found", .bool(true)),
                        ("data", .object([("text/plain", .string(text))])), ("metadata", .object([]))])
    }

    private func kernelInfo() -> JSON {
        .object([
            ("status", .string("ok")),
            ("protocol_version", .string(JupyterMessage.protocolVersion)),
            ("implementation", .string("dks")),
            ("implementation_version", .string(version)),
            ("language_info", .object([
                ("name", .string("dks")), ("version", .string(version)), ("mimetype", .string("text/x-dks")),
                ("file_extension", .string(".dks")), ("codemirror_mode", .string("shell")), ("pygments_lexer", .string("bash")),
            ])),
            ("banner", .string("dks \(version) — the container scripting shell")),
            ("help_links", .array([])),
        ])
    }

    // MARK: Sending

    private func reply(_ parent: JupyterMessage, _ type: String, _ content: JSON) -> JupyterMessage {
        JupyterMessage.reply(to: parent, type: type, session: session, content: content)
    }

    private func send(_ socket: ZMQSocket, _ msg: JupyterMessage) {
        socket.send(msg.encode(key: key))
    }

    /// Publishes on IOPub (shared by the threads: one at a time). Topics carry no identities.
    private func publish(_ msg: JupyterMessage) {
        var m = msg
        m.identities = [Array("kernel.\(session).\(msg.type)".utf8)]
        let frames = m.encode(key: key)
        iopubLock.withLock { iopub.send(frames) }
    }

    private func publishStatus(_ state: String, parent: JupyterMessage?) {
        publish(JupyterMessage.reply(to: parent, type: "status", session: session,
                                     content: .object([("execution_state", .string(state))])))
    }

    private func stream(_ name: String, _ text: String) {
        let parent = stateLock.withLock { currentParent }
        publish(JupyterMessage.reply(to: parent, type: "stream", session: session,
                                     content: .object([("name", .string(name)), ("text", .string(text))])))
    }
}

func readFile(_ path: String) -> String? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var out: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n > 0 { out.append(contentsOf: buf[0..<n]); continue }
        if n < 0, errno == EINTR { continue }
        break
    }
    return String(decoding: out, as: UTF8.self)
}
