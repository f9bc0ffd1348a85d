// StateDirectory: the private folder holding each local container's working directory and log.
// Owns: choosing it ($XDG_RUNTIME_DIR/dks or /tmp/dks-<uid>), checking it is ours and mode 0700,
// and creating/removing per-container subfolders. Must not: follow symlinks planted by other users.
import DKSEngine
import Foundation
import Glibc

struct StateDirectory {
    let path: String

    /// Uses `explicit`, else $XDG_RUNTIME_DIR/dks, else /tmp/dks-<uid>; creates it with mode 0700.
    init(explicit: String?) throws {
        let candidate: String
        if let explicit, !explicit.isEmpty {
            candidate = explicit
        } else if let runtime = ProcessInfo.processInfo.environment["XDG_RUNTIME_DIR"], !runtime.isEmpty, access(runtime, W_OK) == 0 {
            candidate = runtime + "/dks"
        } else {
            candidate = "/tmp/dks-\(getuid())"
        }
        try StateDirectory.makePrivate(candidate)
        path = candidate
    }

    /// Creates `dir` (mode 0700) or checks an existing one: a real directory owned by us, then tightens its mode.
    static func makePrivate(_ dir: String) throws {
        if mkdir(dir, 0o700) != 0 && errno != EEXIST {
            throw EngineError(.engine, "cannot create the local engine's state folder \(dir): \(String(cString: strerror(errno)))")
        }
        var st = stat()
        guard lstat(dir, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else {
            throw EngineError(.engine, "the local engine's state folder \(dir) is not a directory")
        }
        guard st.st_uid == getuid() else {
            throw EngineError(.engine, "the local engine's state folder \(dir) belongs to another user")
        }
        if (st.st_mode & 0o777) != 0o700 { chmod(dir, 0o700) }
    }

    /// Creates a directory and any missing parents (for `-w`); existing ones are accepted as they are.
    static func makeTree(_ dir: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        } catch {
            throw EngineError(.invalidArgument, "cannot create the working directory \(dir): \(error.localizedDescription)")
        }
    }

    /// Removes a container's folder and everything in it (without following symlinks out of it).
    static func removeTree(_ dir: String) {
        try? FileManager.default.removeItem(atPath: dir)
    }

    /// Bytes used under `dir`, for prune's space_reclaimed.
    static func size(of dir: String) -> Int64 {
        guard let walker = FileManager.default.enumerator(atPath: dir) else { return 0 }
        var total: Int64 = 0
        while let rel = walker.nextObject() as? String {
            var st = stat()
            if lstat(dir + "/" + rel, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG { total += Int64(st.st_size) }
        }
        return total
    }
}
