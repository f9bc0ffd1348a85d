// Runner: runs one program in batch mode and turns its outcome into an exit status,
// printing errors in the spec's form. Must not: parse dks's command line.
import DKSLanguage
import DKSSupport

enum ExitStatus {
    static let ok: Int32 = 0
    static let runtimeError: Int32 = 1
    static let usage: Int32 = 2
    static let interrupted: Int32 = 130
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
        } catch let e as SyntaxErrors {
            interp.flush()
            for err in e.errors { writeStderr(ErrorFormatter.format(err)) }
            return ExitStatus.usage
        } catch {
            pending = error
            // `exit N` is the script's own choice, not a failure: its cleanup is not bounded.
            if !(error is ExitRequest) { CleanupBound.uncaughtError(report: message(for: error)) }
        }
        // `defer` blocks at the top level run whatever happened; the first error wins.
        do { try interp.finish(pending: pending) } catch { pending = error }
        interp.flush()
        if let e = pending { status = report(e) }
        // A script that caught the interruption and finished still reports it, as a shell would.
        if status == ExitStatus.ok && Interruption.requestCount > 0 { status = 128 + Interruption.signal }
        return status
    }

    /// Prints an uncaught error and gives its exit status.
    static func report(_ error: Error) -> Int32 {
        let text = message(for: error)
        if !text.isEmpty { writeStderr(text) }
        switch error {
        case let e as ExitRequest:
            return e.status
        case let e as ScriptError:
            return e.kind == .interrupted ? 128 + Interruption.signal : ExitStatus.runtimeError
        case is SyntaxErrors:
            return ExitStatus.usage
        default:
            return ExitStatus.runtimeError
        }
    }

    /// What stderr shows for an uncaught error ("" for `exit N`).
    static func message(for error: Error) -> String {
        switch error {
        case let e as ExitRequest:
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
