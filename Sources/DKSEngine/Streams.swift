// Streams: output chunks, log options and wait conditions shared by every engine.
// Must not: know how bytes arrive (HTTP frames, pipes): each engine turns its transport into chunks.
import DKSSupport

/// Which output stream a chunk came from.
public enum StreamKind: UInt8, Sendable {
    case stdin = 0, stdout = 1, stderr = 2
}

/// A piece of a container's output, in the order the container wrote it.
public struct OutputChunk: Sendable {
    public var stream: StreamKind
    public var bytes: [UInt8]
    /// Unix seconds, when the engine knows it (logs with timestamps).
    public var timestamp: Double?
    public init(stream: StreamKind, bytes: [UInt8], timestamp: Double? = nil) {
        self.stream = stream
        self.bytes = bytes
        self.timestamp = timestamp
    }
}

/// What `logs` asks for.
public struct LogOptions: Sendable {
    public var follow = false
    public var stdout = true
    public var stderr = true
    /// Last N lines; nil for all.
    public var tail: Int?
    /// Unix seconds.
    public var since: Double?
    public var until: Double?
    public var timestamps = false
    /// Bounds a `follow`: once it passes, the engine ends the stream by throwing `.timeout`, even
    /// while the container is quiet (`wait-log --timeout`). Never, by default.
    public var deadline: Deadline = .never
    public init() {}
}

/// `wait --condition`.
public enum WaitCondition: String, Sendable {
    case notRunning = "not-running"
    case nextExit = "next-exit"
    case removed = "removed"
}

/// What the consumer of a stream wants next.
public enum StreamControl: Sendable {
    case more
    case stop
}
