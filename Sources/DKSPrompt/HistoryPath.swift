// HistoryPath: where the prompt keeps its history across sessions (spec §9).
// Owns: choosing the path and creating its directory. Must not: read or write history entries.
#if canImport(Glibc)
import Glibc
#endif
import DKSSupport

/// The history file's location.
public enum HistoryPath {
    /// `$XDG_STATE_HOME/dks/history` when XDG_STATE_HOME is set to an absolute path
    /// (the XDG spec says to ignore relative ones), else `$HOME/.dks_history`; nil when neither is known.
    public static func choose(environment env: [String: String]) -> String? {
        if let state = env["XDG_STATE_HOME"], state.hasPrefix("/") {
            return StatePaths.trimSlash(state) + "/dks/history"
        }
        if let home = env["HOME"], !home.isEmpty {
            return StatePaths.trimSlash(home) + "/.dks_history"
        }
        return nil
    }

    /// The path for this process's environment.
    public static func current() -> String? { choose(environment: StatePaths.environment()) }

    /// Creates the directories leading to `path` (like `mkdir -p`, mode 0700: history is private).
    /// Returns false when one could not be created.
    @discardableResult
    public static func makeParentDirectories(of path: String) -> Bool {
        guard let slash = path.lastIndex(of: "/") else { return true }
        return StatePaths.makeDirectories(String(path[..<slash]))
    }
}
