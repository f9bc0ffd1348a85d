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
    /// The time exactly as the engine wrote it (`2024-01-02T03:04:05.063858568Z`), when it sent
    /// text: `logs -t` prints this, so no digit is lost to a Double.
    public var timestampText: String?
    public init(stream: StreamKind, bytes: [UInt8], timestamp: Double? = nil, timestampText: String? = nil) {
        self.stream = stream
        self.bytes = bytes
        self.timestamp = timestamp
        self.timestampText = timestampText
    }
}

/// What `logs` asks for.
public struct LogOptions: Sendable {
    public var follow = false
    public var stdout = true
    public var stderr = true
    /// Last N lines; nil for all.
    public var tail: Int?
    /// From and up to these times (as the docker CLI's `--since`/`--until` send them).
    public var since: TimePoint?
    public var until: TimePoint?
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
