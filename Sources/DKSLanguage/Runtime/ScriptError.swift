// ScriptError: a dks runtime error (catchable with try/catch), with its kind, message,
// position and traceback. Must not: format for the terminal (Diagnostics does).
import DKSSupport

/// The kinds `$e.kind` reports.
public enum ErrorKind: String, Sendable {
    case typeError = "TypeError"
    case valueError = "ValueError"
    case nameError = "NameError"
    case indexError = "IndexError"
    case keyError = "KeyError"
    case arithmeticError = "ArithmeticError"
    case assertionError = "AssertionError"
    case recursionError = "RecursionError"
    case containerError = "ContainerError"
    case commandError = "CommandError"
    case unhealthy = "Unhealthy"
    case notFound = "NotFound"
    case conflict = "Conflict"
    case timeout = "Timeout"
    case engineError = "EngineError"
    case interrupted = "Interrupted"
    case thrown = "Thrown"
    case ioError = "IOError"
    /// Output held as a value (a capture) passed `CaptureLimit` (DKS_CAPTURE_LIMIT).
    case captureLimitError = "CaptureLimitError"
    /// A step of an image build failed (`.step`, `.instruction`, `.exit_code`, `.output`).
    case buildError = "BuildError"
}

/// A runtime error on its way up the stack.
public struct ScriptError: Error {
    public var kind: ErrorKind
    public var message: String
    /// Where it happened (set by the innermost node that knows its position).
    public var loc: SourceLoc?
    /// Function frames it has left, innermost first: (function name, position inside it).
    public var frames: [(name: String, loc: SourceLoc)] = []
    /// The position in the frame currently unwinding (the call site most recently left).
    var unwindLoc: SourceLoc?
    /// For `throw VALUE`: the value thrown.
    public var value: Value?
    /// For container errors: the exit code and the last output lines.
    public var exitCode: Int?
    public var output: String?
    /// Extra members a host layer wants `$e` to show (e.g. `status`).
    public var extra: [(String, Value)] = []
    /// Errors raised by `defer` or `finally` blocks while this one unwound (it stays the error;
    /// these are reported after it, never dropped).
    public var cleanupErrors: [ScriptError] = []
    /// A write to a pipe whose reader went away (EPIPE): an IOError that, uncaught, ends dks
    /// quietly with 141 (128 + SIGPIPE), as a program killed by SIGPIPE would, but after cleanup.
    public var isBrokenPipe = false

    public init(_ kind: ErrorKind, _ message: String, at loc: SourceLoc? = nil) {
        self.kind = kind
        self.message = message
        self.loc = loc
    }

    /// The error an interruption becomes. Lowers the interrupt flag so cleanup can run (see `Interruption`).
    public static func interrupted() -> ScriptError {
        Interruption.beginCleanup()
        return ScriptError(.interrupted, "interrupted")
    }

    /// The error a write into a pipe nobody reads any more raises (see `isBrokenPipe`).
    public static func brokenPipe(_ name: String) -> ScriptError {
        var e = ScriptError(.ioError, "\(name) is a broken pipe (its reader went away)")
        e.isBrokenPipe = true
        return e
    }

    /// The error with its position set, unless an inner node set it already.
    @inline(__always)
    func located(_ l: SourceLoc) -> ScriptError {
        if loc != nil { return self }
        var e = self
        e.loc = l
        return e
    }
}

/// The `$e` value a `catch` binds: the error, immutable.
public final class ErrorValue {
    public let error: ScriptError
    public init(_ error: ScriptError) { self.error = error }

    public func member(_ name: String) -> Value? {
        switch name {
        case "message": return .string(error.message)
        case "kind": return .string(error.kind.rawValue)
        case "line": return error.loc.map { .int($0.line) } ?? .null
        case "column": return error.loc.map { .int($0.column) } ?? .null
        case "file": return error.loc.map { .string($0.file.name) } ?? .null
        case "value": return error.value ?? .string(error.message)
        case "exit_code": return error.exitCode.map { .int($0) } ?? .null
        case "output": return error.output.map { .string($0) } ?? .null
        default:
            return error.extra.first(where: { $0.0 == name })?.1
        }
    }
    public static let memberNames = ["message", "kind", "line", "column", "file", "value", "exit_code", "output"]
}

/// `exit N`: unwinds to the top (running `finally` and `defer` blocks) and ends dks with status N.
public struct ExitRequest: Error {
    public let status: Int32
    /// Errors raised by `defer` or `finally` blocks while the exit unwound (reported, status kept).
    public var cleanupErrors: [ScriptError] = []
    public init(status: Int32) { self.status = status }
}

/// An error raised by a `defer` or `finally` block while `primary` was unwinding: `primary` stays
/// the error and records the other as a cleanup error; with no primary, the cleanup error is it.
/// (A non-script error, or an `exit` inside the cleanup, leaves the primary as it is.)
func addingCleanupError(_ cleanup: Error, to primary: Error?) -> Error {
    guard let primary = primary else { return cleanup }
    guard let c = cleanup as? ScriptError else { return primary }
    if var p = primary as? ScriptError {
        p.cleanupErrors.append(c)
        return p
    }
    if var p = primary as? ExitRequest {
        p.cleanupErrors.append(c)
        return p
    }
    return primary
}

/// A syntax (or usage) error found before anything runs.
public struct SyntaxError: Error {
    public var message: String
    public var loc: SourceLoc
    public init(_ message: String, at loc: SourceLoc) {
        self.message = message
        self.loc = loc
    }
}

/// Every syntax error of a program (the parser reports them all, not only the first).
public struct SyntaxErrors: Error {
    public var errors: [SyntaxError]
}
