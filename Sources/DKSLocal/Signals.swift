// Signals: the signal names `kill -s` and `--stop-signal` accept, as Docker accepts them.
// Owns: name/number parsing. Must not: send signals (the engine decides whom to signal).
import DKSSupport
import Glibc

enum Signals {
    private static let table: [(String, Int32)] = [
        ("HUP", SIGHUP), ("INT", SIGINT), ("QUIT", SIGQUIT), ("ILL", SIGILL), ("TRAP", SIGTRAP),
        ("ABRT", SIGABRT), ("BUS", SIGBUS), ("FPE", SIGFPE), ("KILL", SIGKILL), ("USR1", SIGUSR1),
        ("SEGV", SIGSEGV), ("USR2", SIGUSR2), ("PIPE", SIGPIPE), ("ALRM", SIGALRM), ("TERM", SIGTERM),
        ("STKFLT", SIGSTKFLT), ("CHLD", SIGCHLD), ("CONT", SIGCONT), ("STOP", SIGSTOP), ("TSTP", SIGTSTP),
        ("TTIN", SIGTTIN), ("TTOU", SIGTTOU), ("URG", SIGURG), ("XCPU", SIGXCPU), ("XFSZ", SIGXFSZ),
        ("VTALRM", SIGVTALRM), ("PROF", SIGPROF), ("WINCH", SIGWINCH), ("IO", SIGIO), ("PWR", SIGPWR),
        ("SYS", SIGSYS),
    ]

    /// Parses "SIGKILL", "KILL", "kill" or "9". Returns nil for anything else.
    static func parse(_ text: String) -> Int32? {
        let t = text.trimmingSpaces().uppercased()
        if let n = Int32(t) { return n > 0 && n < 65 ? n : nil }
        let bare = t.hasPrefix("SIG") ? String(t.dropFirst(3)) : t
        if bare == "IOT" { return SIGABRT }
        if bare == "CLD" { return SIGCHLD }
        return table.first(where: { $0.0 == bare })?.1
    }

    /// "SIGTERM" for 15.
    static func name(_ signal: Int32) -> String {
        table.first(where: { $0.1 == signal }).map { "SIG" + $0.0 } ?? String(signal)
    }

    /// Signals after which a container is considered deliberately stopped (restart policies stay quiet).
    static func isTerminating(_ signal: Int32) -> Bool {
        ![SIGCONT, SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU, SIGCHLD, SIGWINCH, SIGURG, SIGHUP, SIGUSR1, SIGUSR2].contains(signal)
    }
}
