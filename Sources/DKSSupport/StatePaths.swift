// StatePaths: where dks keeps what it remembers between runs for the user (the tutorial's
// progress; the prompt's history has its own rule, spec §9), and making those folders.
// Owns: the XDG state directory rule and `mkdir -p`. Must not: read or write the files.
#if canImport(Glibc)
import Glibc
#endif

public enum StatePaths {
    /// `$XDG_STATE_HOME/dks` when XDG_STATE_HOME is an absolute path (the XDG spec ignores
    /// relative ones), else `$HOME/.local/state/dks`; nil when neither is known.
    public static func directory(environment env: [String: String]) -> String? {
        if let state = env["XDG_STATE_HOME"], state.hasPrefix("/") { return trimSlash(state) + "/dks" }
        if let home = env["HOME"], home.hasPrefix("/") { return trimSlash(home) + "/.local/state/dks" }
        return nil
    }

    /// The directory for this process's environment.
    public static func current() -> String? { directory(environment: environment()) }

    /// The variables the state rules read (`XDG_STATE_HOME`, `HOME`), from this process.
    public static func environment() -> [String: String] {
        var env: [String: String] = [:]
        for key in ["XDG_STATE_HOME", "HOME"] {
            if let v = getenv(key) { env[key] = String(cString: v) }
        }
        return env
    }

    /// Creates `dir` and its parents (like `mkdir -p`, mode 0700: state is private).
    /// Returns false when one could not be created.
    @discardableResult
    public static func makeDirectories(_ dir: String) -> Bool {
        var prefix = ""
        for part in dir.split(separator: "/", omittingEmptySubsequences: true) {
            prefix += "/" + part
            if mkdir(prefix, 0o700) != 0, errno != EEXIST { return false }
        }
        return true
    }

    /// Replaces the file at `path` with `text` (written to a temporary file, then renamed, so a
    /// crash never leaves half a file). False when it could not be written.
    @discardableResult
    public static func writeAtomically(_ path: String, _ text: String) -> Bool {
        let temp = path + ".tmp"
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return false }
        let ok = writeAll(fd, Array(text.utf8))
        close(fd)
        guard ok, rename(temp, path) == 0 else { unlink(temp); return false }
        return true
    }

    /// `s` without trailing slashes (`/` stays `/`).
    public static func trimSlash(_ s: String) -> String {
        var t = s
        while t.count > 1, t.hasSuffix("/") { t.removeLast() }
        return t
    }
}
