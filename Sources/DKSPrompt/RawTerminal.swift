// RawTerminal: puts the terminal in raw mode for `exec -it` / `attach` and always puts it back.
// Owns: termios save/raw/restore and the terminal size. Must not: read or write stream data
// (TerminalPump does).
#if canImport(Glibc)
import Glibc
#endif

/// Raw mode on a terminal descriptor for the lifetime of `with`.
public enum RawTerminal {
    /// The terminal's rows and columns, or nil when `fd` is not a terminal.
    public static func size(fd: Int32 = 0) -> (rows: Int, columns: Int)? {
        var ws = winsize()
        guard ioctl(fd, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_col > 0 else { return nil }
        return (Int(ws.ws_row), Int(ws.ws_col))
    }

    /// Runs `body` with `fd` in raw mode (no echo, no line buffering, no signals from keys — the
    /// container's terminal handles Ctrl-C), restoring the saved settings however `body` ends.
    /// When `fd` is not a terminal, `body` runs unchanged.
    public static func with<T>(fd: Int32 = 0, _ body: () throws -> T) rethrows -> T {
        var saved = termios()
        guard isatty(fd) == 1, tcgetattr(fd, &saved) == 0 else { return try body() }
        var raw = saved
        cfmakeraw(&raw)
        // Keep output post-processing off as cfmakeraw does: the remote tty already sends \r\n.
        _ = tcsetattr(fd, TCSAFLUSH, &raw)
        defer { _ = tcsetattr(fd, TCSAFLUSH, &saved) }
        return try body()
    }
}
