// PromptLoop: the interactive session — banner, read an entry (continuing unfinished ones on
// `...> `), run it in the session's interpreter, echo its value, report errors, keep history,
// and on Ctrl-D or `exit` run the top-level defers. Must not: parse the command line or pick
// an engine (the executable does), or edit lines itself (LineEditor does).
import DKSLanguage
import DKSSupport
import DKSSession
#if canImport(Glibc)
import Glibc
#endif

/// One interactive session over an interpreter that keeps its variables between entries.
public final class PromptSession {
    public static let continuationPrompt = "...> "
    /// `dks> `, or `dks[local]> ` when the hooks ask for a label.
    public var primaryPrompt: String { hooks.promptLabel.map { "dks[\($0)]> " } ?? "dks> " }

    let interp: Interpreter
    let hooks: PromptHooks
    /// The line number the next entry starts at, so error positions count across the session.
    private var nextLine = 1
    /// The terminal hung up: the session ends as SIGHUP ends it, whichever the loop saw first.
    private var hungUp = false

    public init(interpreter: Interpreter, hooks: PromptHooks) {
        self.interp = interpreter
        self.hooks = hooks
        interpreter.recordsValues = true
    }

    /// The banner printed when the session starts.
    public var banner: String {
        var text = "dks \(hooks.version) — \(hooks.engineDescription)\n"
        if let warning = hooks.engineWarning { text += warning.hasSuffix("\n") ? warning : warning + "\n" }
        return text + "Type help for commands and syntax, tutorial for a guided tour, Ctrl-D to exit.\n"
    }

    /// Runs the session until Ctrl-D or `exit`; returns the process exit status.
    /// Call on the interpreter's thread with stdin a terminal.
    public func run() -> Int32 {
        let context = SessionCompletionContext(interp: interp, engineNames: hooks.engineNames, targets: hooks.engineNameTargets)
        guard let editor = LineEditor(completion: { Completer.complete($0, context: context) }) else {
            writeStderr("dks: cannot start line editing on this terminal\n")
            return 1
        }
        var history: History?
        if hooks.keepsHistory {
            history = History(path: hooks.historyPath ?? HistoryPath.current())
            if let history { editor.attach(history) }
        }
        do {
            try interp.stdout.write(banner)
            try interp.flush()
        } catch {
            // Recorded in interp.stdout; a broken pipe ends the session below.
        }
        var status: Int32 = 0
        var exitRequest: ExitRequest?
        while exitRequest == nil && !mustEnd {
            guard let entry = readEntry(editor) else { break }
            if entry.trimmingCharacters(in: [" ", "\t", "\n", "\r"]).isEmpty { continue }
            history?.add(entry)
            exitRequest = execute(entry)
            context.entryRan()
        }
        if exitRequest == nil { fputs("\n", stdout); fflush(stdout) }
        status = exitRequest?.status ?? endStatus
        // Top-level defers run once, when the session ends.
        Interruption.clear()
        do { try interp.finish() } catch {
            interp.flushQuietly()
            let s = report(error)
            if exitRequest == nil && status == 0 { status = s }
        }
        interp.flushQuietly()
        hooks.onExit?()
        return status
    }

    /// The session ends without Ctrl-D: SIGTERM or SIGHUP arrived (the terminal closed), or stdout
    /// is a pipe whose reader went away.
    private var mustEnd: Bool {
        hungUp || Interruption.terminationSignal != 0 || interp.stdout.failure == EPIPE
    }

    /// The exit status of a session that ended without `exit`: 128 + the terminating signal,
    /// 141 for a broken stdout (as SIGPIPE would give), else 0.
    private var endStatus: Int32 {
        let signal = Interruption.terminationSignal
        if signal != 0 { return 128 + signal }
        if hungUp { return 128 + SIGHUP }
        return interp.stdout.failure == EPIPE ? 128 + SIGPIPE : 0
    }

    /// Reads lines until they form a whole entry. Nil at end of input; Ctrl-C starts over.
    private func readEntry(_ editor: LineEditor) -> String? {
        var text = ""
        while true {
            editor.pendingText = text
            let result = editor.readLine(prompt: text.isEmpty ? primaryPrompt : Self.continuationPrompt)
            if mustEnd { return nil }
            switch result {
            case .endOfInput:
                // Ctrl-D inside an unfinished entry abandons it; on an empty prompt it exits.
                if text.isEmpty { return nil }
                fputs("\n", stdout)
                fflush(stdout)
                text = ""
            case .cancelled:
                text = ""
            case .hangup:
                hungUp = true
                // The kernel sent SIGHUP with the hang-up; let its handler run (on whichever
                // thread took it) before cleanup starts, so it cannot interrupt the defers.
                for _ in 0..<50 where Interruption.terminationSignal == 0 { usleep(10_000) }
                return nil
            case .line(let line):
                text += line
                if !Continuation.needsMore(text) { return text }
            }
        }
    }

    /// Runs one entry; returns the exit request when it asked to leave.
    func execute(_ entry: String) -> ExitRequest? {
        let file = SourceFile(name: "<prompt>", text: entry, firstLine: nextLine)
        nextLine += entry.utf8.reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
        Interruption.clear()
        defer { Interruption.clear() }
        var failure: Error?
        do {
            let value = try interp.run(file)
            if let text = Echo.text(for: value, presenter: hooks.presenter) {
                try interp.stdout.write(text + "\n")
            }
            try interp.flush()
        } catch let e as ExitRequest {
            interp.flushQuietly()
            report(e)
            return e
        } catch {
            interp.flushQuietly()
            _ = report(error)
            failure = error
        }
        if let after = hooks.afterEntry {
            Interruption.clear()
            after(entry, failure)
            interp.flushQuietly()
        }
        return nil
    }

    /// Prints an error as batch mode does; returns the status batch mode would exit with.
    @discardableResult
    func report(_ error: Error) -> Int32 {
        switch error {
        case let e as ExitRequest:
            for c in e.cleanupErrors { writeStderr(ErrorFormatter.formatCleanup(c)) }
            return e.status
        case let e as ScriptError:
            // A broken stdout ends the session quietly (see `mustEnd`), as it ends a batch run.
            if e.isBrokenPipe { return 128 + SIGPIPE }
            // The terminal echoed ^C where the cursor was: the calm line starts on its own.
            writeStderr((e.kind == .interrupted ? "\n" : "") + ErrorFormatter.format(e))
            return e.kind == .interrupted ? 130 : 1
        case let e as SyntaxErrors:
            for err in e.errors { writeStderr(ErrorFormatter.format(err)) }
            return 2
        default:
            writeStderr("error: \(error)\n")
            return 1
        }
    }
}
