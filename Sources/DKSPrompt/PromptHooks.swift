// PromptHooks: everything the executable and the containers layer plug into the prompt —
// banner text, engine names for completion, value presentation, history location.
// Must not: contain behaviour; it is configuration the prompt loop reads.
import DKSLanguage
import DKSSession

/// How the executable configures an interactive session.
public struct PromptHooks {
    /// Shown in the banner: `dks VERSION`.
    public var version: String
    /// The banner's second part: which engine is in use (e.g. `engine: docker 27.1 at unix:///var/run/docker.sock`).
    public var engineDescription: String = "engine: not connected yet"
    /// Lines the banner adds after the first (e.g. what "no isolation" means on the local engine).
    public var engineWarning: String?
    /// Shown in the prompt itself, `dks[local]> `, while it holds (the local engine); nil: `dks> `.
    public var promptLabel: String?
    /// Called after every entry that ran (its text, and the error it raised, if any): the tutorial
    /// checks the learner's work here. Must not throw; it may print to the interpreter's stdout.
    public var afterEntry: ((String, Error?) -> Void)?
    /// Echo of statement values (repr unless the containers layer supplies better).
    public var presenter: ValuePresenter = ReprPresenter()
    /// Container and image names for Tab; nil while no engine is wired.
    public var engineNames: EngineNameSource?
    /// Which commands complete container and image names.
    public var engineNameTargets = EngineNameTargets()
    /// The history file; nil chooses `HistoryPath.current()`. Set `keepsHistory = false` to disable.
    public var historyPath: String?
    public var keepsHistory = true
    /// Called after the session ends (Ctrl-D or `exit`), before the status is returned (e.g. engine shutdown).
    public var onExit: (() -> Void)?

    public init(version: String) { self.version = version }
}
