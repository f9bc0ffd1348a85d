// PathStat: what an engine says about a path inside a container (Docker's
// `X-Docker-Container-Path-Stat` header: name, size, Go file mode bits, mtime, link target).
// Owns: decoding that document and reading its mode bits. Must not: do I/O.

/// A path inside a container, as `HEAD /containers/{id}/archive` describes it.
public struct ContainerPathStat: Equatable, Sendable {
    public var name: String
    public var size: Int64
    /// Go's `os.FileMode` bits, as the API sends them (type bits high, permissions low).
    public var mode: UInt32
    /// The modification time as the engine wrote it (RFC 3339, kept as text).
    public var mtime: String
    /// For a symlink: its target, resolved by the engine to a path inside the container.
    public var linkTarget: String

    public init(name: String, size: Int64 = 0, mode: UInt32, mtime: String = "", linkTarget: String = "") {
        self.name = name
        self.size = size
        self.mode = mode
        self.mtime = mtime
        self.linkTarget = linkTarget
    }

    // Go's os.FileMode type bits.
    public static let modeDir: UInt32 = 1 << 31
    public static let modeSymlink: UInt32 = 1 << 27
    public static let modeDevice: UInt32 = 1 << 26
    public static let modeNamedPipe: UInt32 = 1 << 25
    public static let modeSocket: UInt32 = 1 << 24
    public static let modeCharDevice: UInt32 = 1 << 21
    public static let modeIrregular: UInt32 = 1 << 19
    static let typeBits: UInt32 = modeDir | modeSymlink | modeDevice | modeNamedPipe | modeSocket | modeCharDevice | modeIrregular

    public var isDirectory: Bool { mode & Self.modeDir != 0 }
    public var isSymlink: Bool { mode & Self.modeSymlink != 0 }
    public var isRegular: Bool { mode & Self.typeBits == 0 }

    /// Why this path cannot be a copy destination (the docker CLI's rule: a device or an
    /// irregular file), or nil when it can.
    public var unfitDestination: String? {
        if mode & Self.modeDevice != 0 { return "got a device" }
        if mode & Self.modeIrregular != 0 { return "got an irregular file" }
        return nil
    }

    /// Decodes the JSON document (`{"name":...,"size":...,"mode":...,"mtime":...,"linkTarget":...}`).
    public static func decode(_ json: JSON) -> ContainerPathStat? {
        guard let name = json["name"]?.stringValue, let mode = json["mode"]?.intValue, mode >= 0, mode <= Int64(UInt32.max) else {
            return nil
        }
        return ContainerPathStat(name: name, size: json["size"]?.intValue ?? 0, mode: UInt32(mode),
                                 mtime: json["mtime"]?.stringValue ?? "", linkTarget: json["linkTarget"]?.stringValue ?? "")
    }
}
