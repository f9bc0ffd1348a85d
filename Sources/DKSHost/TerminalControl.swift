// TerminalControl: the controlling terminal's foreground, handed to a job's process group
// while it runs (so `^vi` reads keys and Ctrl-C goes to it) and taken back after, as a shell
// does; the terminal's modes are saved and put back when the job died of a signal.
// Owns: tcsetpgrp with SIGTTOU blocked (dks may be in the background while taking it back).
// Must not: touch the terminal when dks is not in its foreground.
import Glibc

public enum TerminalControl {
    /// The terminal to hand over: dks's stdin when it is a terminal and dks's group is in its
    /// foreground (a script run from an interactive shell, or the prompt); nil otherwise.
    public static func foregroundTerminal() -> Int32? {
        guard isatty(0) == 1 else { return nil }
        let fg = tcgetpgrp(0)
        return fg >= 0 && fg == getpgrp() ? 0 : nil
    }

    /// The terminal's current modes (to put back if the job dies of a signal).
    public static func modes(_ tty: Int32) -> termios? {
        var t = termios()
        return tcgetattr(tty, &t) == 0 ? t : nil
    }

    /// Makes `group` the terminal's foreground process group.
    public static func give(_ tty: Int32, to group: pid_t) {
        withTTOUBlocked { _ = tcsetpgrp(tty, group) }
    }

    /// Makes dks's own group the foreground again; `modes` (if given) are restored.
    public static func takeBack(_ tty: Int32, modes: termios?) {
        withTTOUBlocked {
            _ = tcsetpgrp(tty, getpgrp())
            if var m = modes { _ = tcsetattr(tty, TCSADRAIN, &m) }
        }
    }

    /// A background group calling tcsetpgrp/tcsetattr gets SIGTTOU (which stops it) unless the
    /// signal is blocked or ignored; blocking it in this thread only leaves the rest of dks alone.
    private static func withTTOUBlocked(_ body: () -> Void) {
        var block = sigset_t()
        var old = sigset_t()
        sigemptyset(&block)
        sigaddset(&block, SIGTTOU)
        pthread_sigmask(SIG_BLOCK, &block, &old)
        body()
        pthread_sigmask(SIG_SETMASK, &old, nil)
    }
}
