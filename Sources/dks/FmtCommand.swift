// FmtCommand: `dks fmt [--check] [FILE...]` — formats scripts in place, or standard input to
// standard output; with --check, changes nothing and lists the files that would change.
// Exit: 0 (formatted, or nothing to change), 1 (--check: something would change; or a file
// could not be written or formatted), 2 (usage, unreadable file, syntax error).
// Must not: write a file whose formatted text failed the formatter's own check, or write through
// a file's place with anything but a complete new file (a temporary renamed over it).
#if canImport(Glibc)
import Glibc
#endif
import DKSFormat
import DKSLanguage
import DKSSupport

enum FmtCommand {
    static let usage = """
    usage: dks fmt [--check] [FILE...]

    Formats dks scripts in the canonical layout: two-space indentation, one statement per line,
    spaces around operators, at most one blank line, comments kept where they are. Command words
    are kept exactly as written. With no FILE, formats standard input to standard output.

      --check    change nothing; list the files that would change and exit 1 if any would

    """

    static func run(_ argv: [String]) -> Int32 {
        var check = false
        var files: [String] = []
        var optionsDone = false
        for a in argv {
            if !optionsDone, a == "--" { optionsDone = true; continue }
            if !optionsDone, a == "--check" { check = true; continue }
            if !optionsDone, a == "--help" || a == "-h" { return printOrFail(usage) }
            if !optionsDone, a.hasPrefix("-"), a != "-" {
                writeStderr("dks fmt: unknown option \(a) (see dks fmt --help)\n")
                return ExitStatus.usage
            }
            files.append(a)
        }
        if files.isEmpty || files == ["-"] { return formatStdin(check: check) }
        var status: Int32 = 0
        for path in files {
            let s = formatFile(path, check: check)
            if s == ExitStatus.usage || status == 0 { status = max(status, s) }
        }
        return status
    }

    static func formatStdin(check: Bool) -> Int32 {
        let text = readStdin()
        let formatted: String
        do { formatted = try Formatter.format(text, name: "<stdin>") } catch {
            return report(error)
        }
        if check {
            if formatted == text { return 0 }
            return printOrFail("<stdin>\n") == 0 ? 1 : ExitStatus.runtimeError
        }
        return printOrFail(formatted)
    }

    static func formatFile(_ path: String, check: Bool) -> Int32 {
        guard let text = readWholeFile(path) else {
            writeStderr("dks fmt: cannot read \(path): \(lastErrorText())\n")
            return ExitStatus.usage
        }
        let formatted: String
        do { formatted = try Formatter.format(text, name: path) } catch {
            return report(error)
        }
        if formatted == text { return 0 }
        if check {
            return printOrFail(path + "\n") == 0 ? 1 : ExitStatus.runtimeError
        }
        if let reason = replaceFile(path, with: formatted) {
            writeStderr("dks fmt: cannot write \(path): \(reason)\n")
            return ExitStatus.runtimeError
        }
        return 0
    }

    static func report(_ error: Error) -> Int32 {
        switch error {
        case FormatError.syntax(let e):
            for err in e.errors { writeStderr(ErrorFormatter.format(err)) }
            return ExitStatus.usage
        default:
            writeStderr("dks fmt: \(error)")
            return ExitStatus.runtimeError
        }
    }

    /// Writes `text` to a temporary file beside the real file (its mode kept) and renames it over
    /// the file: readers never see half a file. A symlink is resolved first, so the link stays a link.
    static func replaceFile(_ path: String, with text: String) -> String? {
        guard let resolved = realpath(path, nil) else { return lastErrorText() }
        let target = String(cString: resolved)
        free(resolved)
        var st = stat()
        guard stat(target, &st) == 0 else { return lastErrorText() }
        let dir = target.lastIndex(of: "/").map { String(target[..<$0]) } ?? "."
        var template = Array((dir.isEmpty ? "/" : dir + "/").utf8CString.dropLast()) + Array(".dks-fmt-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { buf -> Int32 in buf.baseAddress.map { mkstemp($0) } ?? -1 }
        guard fd >= 0 else { return lastErrorText() }
        let tmp = String(cString: template)
        let code = writeAllError(fd, Array(text.utf8))
        _ = fchmod(fd, st.st_mode & 0o7777)
        let closed = close(fd)
        if code != 0 || closed != 0 {
            unlink(tmp)
            return String(cString: strerror(code != 0 ? code : errno))
        }
        guard rename(tmp, target) == 0 else {
            let reason = lastErrorText()
            unlink(tmp)
            return reason
        }
        return nil
    }
}
