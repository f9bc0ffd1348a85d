// ContainerEngine: the one protocol every engine implements (Docker API, local processes).
// Owns: the operations dks needs, in blocking, engine-neutral form.
// Must not: expose NIO types, dks values or terminal concerns. Calls block the calling
// (interpreter) thread; implementations must honour `Deadline`s and `Interruption`.
import DKSSupport

/// What `engine` reports.
public struct EngineInfo: Sendable {
    /// "docker", "podman" or "local".
    public var kind: String
    /// The endpoint: "unix:///var/run/docker.sock", "tcp://127.0.0.1:2376", or "local".
    public var host: String
    /// The engine's own version ("20.10.24"), or dks's for the local engine.
    public var version: String
    /// The negotiated API version ("1.41"); "local" engine reports "1.41" for field-name compatibility.
    public var apiVersion: String
    /// A one-line note for the banner, e.g. "host processes, no isolation".
    public var note: String?
    public init(kind: String, host: String, version: String, apiVersion: String, note: String? = nil) {
        self.kind = kind
        self.host = host
        self.version = version
        self.apiVersion = apiVersion
        self.note = note
    }
}

/// A container engine. Identifiers (`ref`) may be a full id, a unique id prefix or a name.
///
/// Every method blocks until done. Long waits poll `Interruption.isRequested` and throw
/// `EngineError(.interrupted, ...)` when it is set. Errors are `EngineError`s.
public protocol ContainerEngine: AnyObject, ImageOperations {
    /// Connects if needed and describes the engine.
    func info() throws -> EngineInfo

    // MARK: Container lifecycle

    /// Creates a container and returns its full id.
    func create(_ config: ContainerConfig) throws -> String
    func start(_ ref: String) throws
    /// Stops with the container's stop signal, then SIGKILL after `timeout` seconds (nil: the container's default).
    func stop(_ ref: String, timeout: Int?) throws
    func restart(_ ref: String, timeout: Int?) throws
    /// Sends a signal (name like "SIGTERM"/"TERM" or number as text; nil: SIGKILL).
    func kill(_ ref: String, signal: String?) throws
    func pause(_ ref: String) throws
    func unpause(_ ref: String) throws
    func rename(_ ref: String, to newName: String) throws
    func remove(_ ref: String, force: Bool, volumes: Bool) throws

    /// The inspect document, with the Docker API's field names (`Id`, `Name`, `State.Status`, `Config.Labels`, ...).
    func inspect(_ ref: String) throws -> JSON
    /// Container summaries as `GET /containers/json` returns them. `filters` as the docker CLI's `--filter`.
    func list(all: Bool, filters: [(String, String)]) throws -> [JSON]

    /// Waits for the container per `condition`; returns its exit code. Throws `.timeout` once `deadline` passes.
    func wait(_ ref: String, condition: WaitCondition, deadline: Deadline) throws -> Int

    /// Attaches to a created (not yet started) container's output, starts it, delivers every chunk in order
    /// until the output ends, then waits for and returns the exit code. Nothing is lost, even with auto-remove.
    func runAttached(_ ref: String, onOutput: (OutputChunk) throws -> Void) throws -> Int

    /// `runAttached` for `run -i` and `run --timeout`: `stdin` (a descriptor, not closed by the
    /// engine) is read to its end and sent to the container's stdin, which then closes; once
    /// `deadline` passes the container is killed and `.timeout` thrown.
    func runAttached(_ ref: String, stdin: Int32?, deadline: Deadline, onOutput: (OutputChunk) throws -> Void) throws -> Int

    /// `exec -d`: starts the command in the background and returns the exec's id.
    func execDetached(_ ref: String, _ config: ExecConfig) throws -> String

    /// An exec's state as Docker's `GET /exec/{id}/json`: `ID`, `Running`, `ExitCode` (null while running), `Pid`.
    func inspectExec(_ id: String) throws -> JSON

    /// Delivers the container's logs in order. With `follow`, keeps going until the container stops,
    /// `onOutput` returns `.stop`, or an interrupt.
    func logs(_ ref: String, options: LogOptions, onOutput: (OutputChunk) throws -> StreamControl) throws

    /// Runs a command in a running container, delivering its output in order; returns its exit code
    /// (nil only with `detach`). With `config.stdin`, that descriptor is the process's stdin (end
    /// of input when it ends); with `config.deadline`, the process is killed and `.timeout` thrown
    /// when it passes. If the call ends early (an error, an interruption, `onOutput` throwing),
    /// the process is killed as far as the engine allows: it does not keep running.
    func exec(_ ref: String, _ config: ExecConfig, onOutput: (OutputChunk) throws -> Void) throws -> Int?

    /// `docker top`: {"Titles": [...], "Processes": [[...]]}.
    func top(_ ref: String, psArgs: String?) throws -> JSON
    /// One stats sample (`stream=false`), as the Docker API returns it.
    func stats(_ ref: String) throws -> JSON
    /// Filesystem changes: [{"Path": ..., "Kind": 0|1|2}].
    func diff(_ ref: String) throws -> [JSON]
    /// Describes `path` inside the container without following a final symlink (`.notFound` when
    /// it does not exist).
    func statPath(_ ref: String, path: String) throws -> ContainerPathStat
    /// Streams `path` out of the container as a tar archive: `consume` gets the path's stat and
    /// a `read` function that returns the archive's next piece (nil at its end). The archive
    /// is never held whole; a `consume` that returns early (or throws) ends the transfer.
    func copyOut(_ ref: String, path: String, consume: (ContainerPathStat, _ read: () throws -> [UInt8]?) throws -> Void) throws
    /// Streams a tar archive into directory `path` inside the container: `produce` writes the
    /// archive in pieces through `write`. An existing directory is never replaced by a
    /// non-directory nor the reverse (the docker CLI's `noOverwriteDirNonDir`).
    func copyIn(_ ref: String, path: String, produce: (_ write: ([UInt8]) throws -> Void) throws -> Void) throws

    /// `prune containers|images|volumes|networks`: {"deleted": [...], "space_reclaimed": N}.
    func prune(_ what: String, filters: [(String, String)]) throws -> (deleted: [String], spaceReclaimed: Int64)

    // MARK: Images, volumes, networks (the local engine throws `.unsupported`)

    func images(all: Bool, filters: [(String, String)]) throws -> [JSON]
    /// Pulls `ref`, reporting each progress message (the API's JSON lines) as it arrives.
    func pull(_ ref: String, onProgress: (JSON) -> Void) throws
    func tag(_ source: String, repository: String, tag: String?) throws
    /// Removes an image; returns the API's list of {"Untagged"|"Deleted": id}.
    func removeImage(_ ref: String, force: Bool) throws -> [JSON]
    func inspectImage(_ ref: String) throws -> JSON

    func createVolume(name: String?, driver: String?, labels: [(String, String)]) throws -> JSON
    func volumes(filters: [(String, String)]) throws -> [JSON]
    func removeVolume(_ name: String, force: Bool) throws
    func inspectVolume(_ name: String) throws -> JSON

    func createNetwork(name: String, driver: String?, labels: [(String, String)]) throws -> JSON
    func networks(filters: [(String, String)]) throws -> [JSON]
    func removeNetwork(_ ref: String) throws
    func inspectNetwork(_ ref: String) throws -> JSON

    /// Releases connections and, for the local engine, stops and reaps every container it started.
    func shutdown()
}

extension ContainerEngine {
    /// Engines without stdin or deadline support (test fakes) run the plain form.
    public func runAttached(_ ref: String, stdin: Int32?, deadline: Deadline, onOutput: (OutputChunk) throws -> Void) throws -> Int {
        try runAttached(ref, onOutput: onOutput)
    }

    public func execDetached(_ ref: String, _ config: ExecConfig) throws -> String {
        throw EngineError(.unsupported, "this engine cannot run an exec in the background")
    }

    public func inspectExec(_ id: String) throws -> JSON {
        throw EngineError(.unsupported, "this engine cannot inspect execs")
    }
}
