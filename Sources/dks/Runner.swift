// Runner: runs one program in batch mode and turns its outcome into an exit status,
// printing errors in the spec's form. Must not: parse dks's command line.
import DKSLanguage
import DKSSupport

enum ExitStatus {
    static let ok: Int32 = 0
    static let runtimeError: Int32 = 1
    static let usage: Int32 = 2
    static let interrupted: Int32 = 130
    /// stdout was a pipe whose reader went away: 128 + SIGPIPE, the status of a program SIGPIPE
    /// killed (what a shell reports for the writer in `yes | head -1`), after cleanup ran.
    static let brokenPipe: Int32 = 141
}

enum Runner {
    /// Parses, compiles and runs `file`; runs the top-level defers; returns the exit status.
    /// Once a signal arrives or an uncaught error reaches here, cleanup is bounded (CleanupBound).
    static func run(_ file: SourceFile, interp: Interpreter) -> Int32 {
        CleanupBound.arm()
        var status = ExitStatus.ok
        var pending: Error?
        do {
            try interp.run(file)
            // Writing the output is part of the program: a failed last write fails it.
            try interp.flush()
        } catch let e as SyntaxErrors {
            interp.flushQuietly()
            for err in e.errors { writeStderr(ErrorFormatter.format(err)) }
            return ExitStatus.usage
        } catch {
            pending = error
            // `exit N` is the script's own choice, not a failure: its cleanup is not bounded.
            if !(error is ExitRequest) { CleanupBound.uncaughtError(report: message(for: error), status: exitStatus(for: error)) }
        }
        // `defer` blocks at the top level run whatever happened; the first error wins.
        do { try interp.finish(pending: pending) } catch { pending = error }
        if pending == nil {
            do { try interp.flush() } catch { pending = error }
        } else {
            interp.flushQuietly()
        }
        if let e = pending { status = report(e) }
        // A write that failed where nothing could raise it (a caught error, `exit 0`) lost output:
        // that is not a success.
        if status == ExitStatus.ok && interp.stdout.broken {
            status = report(interp.stdout.writeError())
        }
        // After SIGINT/SIGTERM/SIGHUP the status says so (130/143/129), as a shell would report it,
        // also when the script caught the interruption or failed otherwise while it unwound;
        // only the script's own `exit N` overrides it.
        if Interruption.requestCount > 0 && !(pending is ExitRequest) { status = 128 + Interruption.signal }
        return status
    }

    /// The exit status an uncaught `error` gives (without printing anything).
    static func exitStatus(for error: Error) -> Int32 {
        switch error {
        case let e as ExitRequest: return e.status
        case let e as ScriptError:
            if e.isBrokenPipe { return ExitStatus.brokenPipe }
            return e.kind == .interrupted ? 128 + Interruption.signal : ExitStatus.runtimeError
        case is SyntaxErrors: return ExitStatus.usage
        default: return ExitStatus.runtimeError
        }
    }

    /// Prints an uncaught error and gives its exit status.
    static func report(_ error: Error) -> Int32 {
        let text = message(for: error)
        if !text.isEmpty { writeStderr(text) }
        return exitStatus(for: error)
    }

    /// What stderr shows for an uncaught error ("" for `exit N`, and for a broken stdout: a reader
    /// that went away is how `dks ... | head` ends, not a failure to explain).
    static func message(for error: Error) -> String {
        switch error {
        case let e as ExitRequest:
            return e.cleanupErrors.map { ErrorFormatter.formatCleanup($0) }.joined()
        case let e as ScriptError where e.isBrokenPipe:
            // Quiet, as a program killed by SIGPIPE; what its cleanup raised is still said.
            return e.cleanupErrors.map { ErrorFormatter.formatCleanup($0) }.joined()
        case let e as ScriptError:
            return ErrorFormatter.format(e)
        case let e as SyntaxErrors:
            return e.errors.map { ErrorFormatter.format($0) }.joined()
        default:
            return "error: \(error)\n"
        }
    }

    /// `--check`: parses each file and prints every syntax error. 0 when all parse, else 2.
    /// `dks --dump FILE`: compiles FILE and prints its compiled form; runs nothing.
    static func dump(_ path: String, interp: Interpreter) -> Int32 {
        guard let text = readWholeFile(path) else {
            writeStderr("dks: cannot read \(path): \(lastErrorText())\n")
            return ExitStatus.usage
        }
        do {
            return printOrFail(try interp.compiledListing(SourceFile(name: path, text: text)))
        } catch let e as SyntaxErrors {
            for err in e.errors { writeStderr(ErrorFormatter.format(err)) }
            return ExitStatus.usage
        } catch {
            writeStderr("dks: \(error)\n")
            return ExitStatus.usage
        }
    }

    static func check(_ paths: [String]) -> Int32 {
        var status = ExitStatus.ok
        for path in paths {
            guard let text = readWholeFile(path) else {
                writeStderr("dks: cannot read \(path): \(lastErrorText())\n")
                status = ExitStatus.usage
                continue
            }
            do { _ = try Parser.parse(SourceFile(name: path, text: text)) } catch let e as SyntaxErrors {
                for err in e.errors { writeStderr(ErrorFormatter.format(err)) }
                status = ExitStatus.usage
            } catch {
                status = ExitStatus.usage
            }
        }
        return status
    }
}
