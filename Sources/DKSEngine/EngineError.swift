// EngineError: the failures an engine reports, by kind. The container builtins map each
// kind to the dks error kind of the same name. Must not: format for the terminal.

/// A failure reported by a container engine.
public struct EngineError: Error, CustomStringConvertible, Sendable {
    public enum Kind: String, Sendable {
        /// No such container, image, volume, network or exec (HTTP 404).
        case notFound = "NotFound"
        /// A name already in use, a container in the wrong state (HTTP 409).
        case conflict = "Conflict"
        /// A deadline passed (`wait --timeout`, `wait-healthy`, request timeouts).
        case timeout = "Timeout"
        /// The container turned unhealthy while being waited for.
        case unhealthy = "Unhealthy"
        /// The container exited or failed where it had to keep running.
        case container = "ContainerError"
        /// A bad argument the engine refused (HTTP 400), or a value out of range.
        case invalidArgument = "ValueError"
        /// The engine cannot do this at all (the local engine has no images).
        case unsupported = "Unsupported"
        /// The user interrupted the wait (SIGINT, SIGTERM, SIGHUP).
        case interrupted = "Interrupted"
        /// Output the engine was asked to hold (a line being matched) passed `CaptureLimit`.
        case captureLimit = "CaptureLimitError"
        /// Anything else: connection failures, HTTP 500, malformed answers.
        case engine = "EngineError"
    }

    public let kind: Kind
    public let message: String
    /// The HTTP status, when the failure came from an HTTP answer.
    public let status: Int?
    /// For `.container`: the exit code and the last output lines.
    public let exitCode: Int?
    public let output: String?
    /// For `.timeout`: the engine gave no (complete) answer to a request before the deadline, as
    /// opposed to the awaited thing not happening. Waits keep this cause in their own message.
    public var unanswered = false

    public init(_ kind: Kind, _ message: String, status: Int? = nil, exitCode: Int? = nil, output: String? = nil) {
        self.kind = kind
        self.message = message
        self.status = status
        self.exitCode = exitCode
        self.output = output
    }

    public var description: String { message }
}
