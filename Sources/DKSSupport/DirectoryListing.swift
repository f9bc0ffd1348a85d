// DirectoryListing: the entries of a host directory, read with opendir/readdir.
// Owns: reading a `dirent`'s name in place, the one way every directory walk in dks does it
// (archives, globbing, PATH scans, /proc, path completion).
// Must not: follow links or stat entries (callers decide what an entry is), or copy a `dirent`:
// readdir's records are only as long as their name (d_reclen), so copying the struct's fixed
// 256-byte `d_name` reads past the end of the last record in glibc's buffer (AddressSanitizer
// found that heap-buffer-overflow in five places).
import Glibc

public enum DirectoryListing {
    /// One directory entry: its name and readdir's `d_type` (`DT_DIR`, `DT_LNK`, `DT_UNKNOWN`, ...).
    public struct Entry: Sendable {
        public let name: String
        public let type: UInt8
    }

    /// The entries of `path` other than `.` and `..`, in readdir order, at most `limit` of them;
    /// nil when the directory cannot be opened (`errno` says why).
    public static func entries(_ path: String, limit: Int = .max) -> [Entry]? {
        guard let dir = opendir(path) else { return nil }
        defer { closedir(dir) }
        var out: [Entry] = []
        while out.count < limit, let record = readdir(dir) {
            let name = self.name(of: record)
            if name == "." || name == ".." { continue }
            out.append(Entry(name: name, type: record.pointee.d_type))
        }
        return out
    }

    /// The names of `path`'s entries other than `.` and `..`; empty when it cannot be opened.
    public static func names(_ path: String) -> [String] {
        (entries(path) ?? []).map(\.name)
    }

    /// A readdir record's name, read where it lies up to its NUL (never past the record).
    public static func name(of record: UnsafeMutablePointer<dirent>) -> String {
        let offset = MemoryLayout<dirent>.offset(of: \dirent.d_name) ?? nameOffsetFallback
        let start = UnsafeRawPointer(record).advanced(by: offset).assumingMemoryBound(to: CChar.self)
        return String(cString: start)
    }

    /// glibc's layout on 64-bit Linux: d_ino (8), d_off (8), d_reclen (2), d_type (1).
    private static let nameOffsetFallback = 19
}
