// StageIO: a command's own stdin and stderr — the statement's or pipeline stage's (`<`, `|`,
// `2>`), which the interpreter holds as descriptors — for the image commands that read input
// (`login --password-stdin`, `load`) or print notes and progress (`pull`, `push`, `login`).
// Must not: buffer a whole input (readers pull pieces), or write to fd 2 directly.
#if canImport(Glibc)
import Glibc
#endif
import DKSLanguage
import DKSSupport

enum StageIO {
    /// A line of notes on the command's stderr.
    static func note(_ interp: Interpreter, _ text: String) throws {
        try interp.flush()
        _ = writeAll(interp.errFD, Array(text.utf8))
    }

    /// The command's stdin, piece by piece: what `input()` already buffered, then the
    /// descriptor until its end (nil). Ctrl-C ends the wait.
    static func reader(_ interp: Interpreter, command: String) -> () throws -> [UInt8]? {
        var pending = interp.inputBuffer
        interp.inputBuffer = []
        let fd = interp.inFD
        var buf = [UInt8](repeating: 0, count: 256 * 1024)
        return {
            if !pending.isEmpty {
                defer { pending = [] }
                return pending
            }
            while true {
                var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                let ready = poll(&pfd, 1, 50)
                if Interruption.isRequested { throw ScriptError.interrupted() }
                if ready < 0 && errno != EINTR { break }
                if ready > 0 { break }
            }
            let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { return [] }
            guard n >= 0 else { throw ScriptError(.ioError, "\(command): cannot read stdin: \(lastErrorReason())") }
            return n == 0 ? nil : Array(buf[0..<n])
        }
    }

    /// Whether the command's stdin is a terminal.
    static func stdinIsTerminal(_ interp: Interpreter) -> Bool { isatty(interp.inFD) == 1 }

    /// The progress display for a transfer, on the command's stderr (bars when it is a terminal).
    static func progress(_ interp: Interpreter) -> TransferProgress {
        let fd = interp.errFD
        return TransferProgress(terminal: isatty(fd) == 1, write: { _ = writeAll(fd, $0) })
    }
}
