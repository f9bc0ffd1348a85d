// DockerConfigFile: the docker CLI's `config.json` ($DOCKER_CONFIG, else ~/.docker), read and
// written so both tools share it: `auths`, `credsStore` and `credHelpers` are read as the CLI
// reads them; a save changes only what it must (every other key, and the order of keys, stays),
// writes a temporary file in the same directory and renames it over the old one (keeping its
// permissions; a new file is 0600 in a 0700 directory), as the CLI does.
// Must not: decide which store holds a registry's credentials (RegistryCredentials does).
#if canImport(Glibc)
import Glibc
#endif
import DKSSupport

/// A config.json that cannot be read or written.
public struct DockerConfigError: Error, CustomStringConvertible {
    public let description: String
}

/// The docker CLI's configuration file, as a JSON document.
public struct DockerConfigFile {
    /// Where it is (it may not exist yet).
    public let path: String
    /// The whole document (an object; empty when the file does not exist).
    public private(set) var document: [(String, JSON)]

    /// `$DOCKER_CONFIG`, else `$HOME/.docker`.
    public static func directory(_ environment: [String: String]) -> String {
        if let dir = environment["DOCKER_CONFIG"], !dir.isEmpty { return dir }
        var home = environment["HOME"] ?? ""
        if home.isEmpty, let pw = getpwuid(getuid()), let dir = pw.pointee.pw_dir { home = String(cString: dir) }
        return (home.hasSuffix("/") ? home : home + "/") + ".docker"
    }

    /// Reads the file (a missing file is an empty configuration, as for the CLI).
    public static func load(environment: [String: String]) throws -> DockerConfigFile {
        let path = directory(environment) + "/config.json"
        guard let bytes = readFileBytes(path) else {
            if errno == ENOENT { return DockerConfigFile(path: path, document: []) }
            throw DockerConfigError(description: "cannot read \(path): \(lastErrorReason())")
        }
        if bytes.allSatisfy({ $0 == 32 || $0 == 10 || $0 == 13 || $0 == 9 }) { return DockerConfigFile(path: path, document: []) }
        guard let json = try? JSON.parse(bytes), let object = json.objectValue else {
            throw DockerConfigError(description: "\(path) is not a JSON object; fix or remove it (the docker CLI cannot read it either)")
        }
        return DockerConfigFile(path: path, document: object)
    }

    public init(path: String, document: [(String, JSON)]) {
        self.path = path
        self.document = document
    }

    subscript(key: String) -> JSON? { document.first(where: { $0.0 == key })?.1 }

    /// `credsStore`: the helper for every registry without its own.
    public var credsStore: String? {
        guard let s = self["credsStore"]?.stringValue, !s.isEmpty else { return nil }
        return s
    }

    /// `credHelpers`: registry host → helper.
    public var credHelpers: [(String, String)] {
        (self["credHelpers"]?.objectValue ?? []).compactMap { k, v in v.stringValue.map { (k, $0) } }
    }

    /// `auths`: server address → entry (`auth` is base64 of `user:password`).
    public var auths: [(String, JSON)] { self["auths"]?.objectValue ?? [] }

    /// Whether any credentials are configured (the CLI detects a default store only when not).
    public var containsAuth: Bool { credsStore != nil || !credHelpers.isEmpty || !auths.isEmpty }

    /// Sets (or replaces) the `auths` entry for `key`.
    public mutating func setAuth(_ key: String, _ entry: JSON) {
        var list = auths
        if let i = list.firstIndex(where: { $0.0 == key }) { list[i].1 = entry } else { list.append((key, entry)) }
        setTopLevel("auths", .object(list))
    }

    /// Removes the `auths` entry for `key`; false when there was none.
    @discardableResult
    public mutating func removeAuth(_ key: String) -> Bool {
        var list = auths
        guard let i = list.firstIndex(where: { $0.0 == key }) else { return false }
        list.remove(at: i)
        setTopLevel("auths", .object(list))
        return true
    }

    private mutating func setTopLevel(_ key: String, _ value: JSON) {
        if let i = document.firstIndex(where: { $0.0 == key }) { document[i].1 = value } else { document.insert((key, value), at: 0) }
    }

    /// Writes the document: a temporary file next to the real one, then a rename over it (a
    /// symlinked config.json is followed, as the CLI does).
    public func save() throws {
        let dir = GoPath.dir(path)
        try makeDirectories(dir)
        var template = Array((path + ".XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw DockerConfigError(description: "cannot write \(path): \(lastErrorReason())") }
        let temp = String(cString: template.map { $0 })
        let text = JSON.object(document).encodedIndented(unit: "\t")
        let ok = writeAll(fd, Array(text.utf8))
        let closed = close(fd) == 0
        guard ok && closed else {
            unlink(temp)
            throw DockerConfigError(description: "cannot write \(path): \(lastErrorReason())")
        }
        var target = path
        if let real = realpath(path, nil) {
            target = String(cString: real)
            free(real)
        }
        var st = stat()
        if stat(target, &st) == 0 {
            _ = chmod(temp, st.st_mode & 0o7777)
            _ = chown(temp, st.st_uid, st.st_gid)
        }
        guard rename(temp, target) == 0 else {
            let why = lastErrorReason()
            unlink(temp)
            throw DockerConfigError(description: "cannot write \(target): \(why)")
        }
    }

    private func makeDirectories(_ dir: String) throws {
        var st = stat()
        if stat(dir, &st) == 0 { return }
        let parent = GoPath.dir(dir)
        if parent != dir { try makeDirectories(parent) }
        if mkdir(dir, 0o700) != 0 && errno != EEXIST {
            throw DockerConfigError(description: "cannot create \(dir): \(lastErrorReason())")
        }
    }
}
