// StateDirectory: the private folder holding each local container's working directory and log.
// Owns: choosing it (a folder of the engine's own in $XDG_RUNTIME_DIR/dks or /tmp/dks-<uid>),
// checking it is ours and mode 0700, creating/removing per-container subfolders, and removing the
// engine's folder (and the shared one, once empty) at shutdown. Must not: follow symlinks planted
// by other users, or remove a folder another dks still uses.
import DKSEngine
import Foundation
import Glibc

struct StateDirectory {
    /// The engine's folder: each container's folder is in it.
    let path: String
    /// The folder every dks process of this user shares (the default location only), holding each
    /// engine's folder; removed at shutdown once no other engine's folder is in it.
    let shared: String?

    /// Uses `explicit` (the caller's folder, kept at shutdown), else a new folder of this engine's
    /// own in $XDG_RUNTIME_DIR/dks, else in /tmp/dks-<uid>; creates them with mode 0700.
    init(explicit: String?) throws {
        if let explicit, !explicit.isEmpty {
            try StateDirectory.makePrivate(explicit)
            path = explicit
            shared = nil
            return
        }
        let base: String
        if let runtime = ProcessInfo.processInfo.environment["XDG_RUNTIME_DIR"], !runtime.isEmpty, access(runtime, W_OK) == 0 {
            base = runtime + "/dks"
        } else {
            base = "/tmp/dks-\(getuid())"
        }
        let own = base + "/engine-\(getpid())-\(NameGenerator.id().prefix(8))"
        var attempts = 0
        while true {
            try StateDirectory.makePrivate(base)
            if mkdir(own, 0o700) == 0 { break }
            // Another dks that just ended may have removed the (then empty) shared folder in between.
            if errno == ENOENT && attempts < 5 {
                attempts += 1
                continue
            }
            throw EngineError(.engine, "cannot create the local engine's state folder \(own): \(String(cString: strerror(errno)))")
        }
        path = own
        shared = base
        StateDirectory.removeStale(in: base)
    }

    /// Removes the folders of engines whose dks process is gone without its cleanup (killed with
    /// SIGKILL, or a second Ctrl-C, which exits at once): `engine-PID-...` where no process PID exists.
    static func removeStale(in base: String) {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: base) else { return }
        for entry in entries where entry.hasPrefix("engine-") {
            let parts = entry.split(separator: "-")
            guard parts.count == 3, let pid = Int32(parts[1]), pid > 0, pid != getpid() else { continue }
            if Glibc.kill(pid, 0) == -1 && errno == ESRCH { removeTree(base + "/" + entry) }
        }
    }

    /// Removes the engine's own folder and, when no other engine's folder is left in it, the shared
    /// one (rmdir: only ever an empty folder). Call once every container folder in it is gone.
    func removeOwn() {
        guard let shared else { return }
        _ = rmdir(path)
        _ = rmdir(shared)
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
