// Pipelines: the seam between the language and whatever runs host programs, pipelines and
// redirections (the shell layer installs a `PipelineRunner`). The compiler evaluates every
// argument and redirection target first, then hands the runner a list of ready stages.
// Owns: how a command is used (`Usage`), the evaluated forms of stages and redirections, and
// the per-context I/O that dks code and container commands read and write (see Interpreter).
// Must not: spawn processes or open files (the runner does).

/// How the caller uses a command.
public enum Usage: Sendable {
    /// At statement level (or as a pipeline stage): output streams to the context's stdout/stderr.
    case statement
    /// As a value: output is captured into the returned value.
    case value
    /// `for $line in (CMD)`: a stream of stdout lines as they arrive.
    case iterated
}

/// A redirection with its file evaluated.
public struct RedirectSpec {
    public let kind: RedirectKind
    /// The file (nil for `2>&1` and `>&2`).
    public let path: String?
    public let loc: SourceLoc
    public init(kind: RedirectKind, path: String?, loc: SourceLoc) {
        self.kind = kind
        self.path = path
        self.loc = loc
    }
}

/// One stage, its arguments evaluated.
public enum StageSpec {
    /// A host program: the program as written (`git`, `./build.sh`) and its argument words.
    case host(program: String, args: [String])
    /// dks code (a builtin or a function) with its arguments bound. `run` takes the context to
    /// run in, whose `out`, `errFD` and `inFD` are the stage's, and whether that context is a
    /// worker on another thread (a user function then runs on an isolated copy, as in `parallel`).
    case dks(name: String, run: (Interpreter, _ onWorker: Bool) throws -> Value)
    /// A value written to the next stage's stdin (a list: one item per line).
    case value(Value)
}

/// A stage and its redirections, in the order written.
public struct StageRun {
    public var stage: StageSpec
    public var redirects: [RedirectSpec]
    /// The stage's position, for errors naming it.
    public var loc: SourceLoc
    /// How errors and `.exit_codes` name it (`grep -v x`, `exec`, `value`).
    public var display: String
    public init(stage: StageSpec, redirects: [RedirectSpec], loc: SourceLoc, display: String) {
        self.stage = stage
        self.redirects = redirects
        self.loc = loc
        self.display = display
    }
}

/// Runs host programs, pipelines and redirected commands. Installed by the shell layer.
public protocol PipelineRunner: AnyObject {
    /// Runs the stages (already evaluated) connected by pipes, as `usage` asks: at statement level
    /// a failure raises `CommandError`; as a value the result is a `process_result`; iterated, a
    /// stream of stdout lines. Throws `ProgramNotFound` for a name that is not on `$PATH`.
    func run(_ stages: [StageRun], usage: Usage, interp: Interpreter, loc: SourceLoc) throws -> Value
    /// Names of the programs on `$PATH` (for "did you mean").
    func programNames(interp: Interpreter) -> [String]
}

/// A host program name that is not on `$PATH`; the compiler turns it into a NameError with suggestions.
public struct ProgramNotFound: Error {
    public let name: String
    /// The stage that named it.
    public let loc: SourceLoc?
    public init(name: String, loc: SourceLoc?) {
        self.name = name
        self.loc = loc
    }
}
