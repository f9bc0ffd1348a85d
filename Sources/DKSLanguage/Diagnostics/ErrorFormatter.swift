// ErrorFormatter: renders syntax and runtime errors in the spec's form — `path:line:col: error:
// message`, the source line, a caret under the column, and `  at NAME (path:line:col)` frames.
// An interruption (Ctrl-C) is no mistake of the user's: it prints one calm line saying where
// the program stopped, with no `error:` and no caret.
// Must not: decide exit statuses (the executable does).
import DKSSupport

public enum ErrorFormatter {
    /// The source line and a caret line under `loc`'s column.
    static func excerpt(_ loc: SourceLoc) -> String {
        let line = loc.file.lineText(loc.offset)
        let column = loc.column
        var caret = ""
        for (i, ch) in line.enumerated() where i < column - 1 { caret.append(ch == "\t" ? "\t" : " ") }
        return "    \(line)\n    \(caret)^\n"
    }

    /// One syntax error.
    public static func format(_ e: SyntaxError) -> String {
        "\(e.loc.description): error: \(e.message)\n" + excerpt(e.loc)
    }

    /// A runtime error with its traceback (innermost frame first; long ones are elided in the
    /// middle), then the errors that `defer` or `finally` blocks raised while it unwound, each
    /// indented under a `  during cleanup: ` line in the same form:
    ///
    ///     t.dks:5:1: error: boom
    ///         throw "boom"
    ///         ^
    ///       during cleanup: t.dks:2:9: error: rm: no such container: web; list them with 'ps -a'
    ///           defer { rm $web }
    ///                   ^
    public static func format(_ e: ScriptError) -> String {
        var out = primary(e)
        for c in e.cleanupErrors { out += formatCleanup(c) }
        return out
    }

    /// A cleanup error (see `format`), indented, with its own cleanup errors under it.
    public static func formatCleanup(_ e: ScriptError) -> String {
        let lines = format(e).split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        var out = ""
        for (i, line) in lines.enumerated() { out += (i == 0 ? "  during cleanup: " : "  ") + line + "\n" }
        return out
    }

    private static func primary(_ e: ScriptError) -> String {
        var out: String
        if e.kind == .interrupted {
            out = interruption(e)
        } else if let loc = e.loc {
            out = "\(loc.description): error: \(e.message)\n" + excerpt(loc)
        } else {
            out = "error: \(e.message)\n"
        }
        if e.kind == .containerError || e.kind == .serviceError || e.kind == .buildError, let output = e.output, !output.isEmpty {
            for line in output.split(separator: "\n", omittingEmptySubsequences: false).suffix(10) where !line.isEmpty {
                out += "  | \(line)\n"
            }
        }
        let frames = e.frames
        let show: [Int] = frames.count <= 24 ? Array(0..<frames.count) : Array(0..<12) + Array((frames.count - 6)..<frames.count)
        for (k, i) in show.enumerated() {
            if k > 0, i != show[k - 1] + 1 { out += "  ... \(i - show[k - 1] - 1) more frames\n" }
            out += "  at \(frames[i].name) (\(frames[i].loc.description))\n"
        }
        return out
    }

    /// `interrupted at FILE:L:C: SOURCE LINE` (`terminated` for SIGTERM, `hung up` for SIGHUP).
    static func interruption(_ e: ScriptError) -> String {
        var what = e.message
        if what == "interrupted" {
            switch Interruption.signal {
            case 15: what = "terminated (SIGTERM)"
            case 1: what = "hung up (SIGHUP: the terminal closed)"
            default: break
            }
        }
        guard let loc = e.loc else { return what + "\n" }
        let text = loc.file.lineText(loc.offset)
        let line = String(text.drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
        return "\(what) at \(loc.description)" + (line.isEmpty ? "" : ": \(line)") + "\n"
    }
}
