// RedirectFiles: opens the files of `>`, `>>`, `<` (and `2>`, `&>` ...) as a shell does —
// created with mode 0666 & ~umask, truncated or appended, close-on-exec in dks — and refuses
// a directory for either direction, so the mistake is reported before anything runs.
// Must not: decide which stream a file replaces (the pipeline's descriptor plan does).
import Glibc

public enum RedirectFiles {
    /// How a redirection opens its file.
    public enum Mode {
        case read, truncate, append
    }

    /// Opens `path`; throws `HostError` naming the path and the reason.
    public static func open(_ path: String, _ mode: Mode) throws -> Int32 {
        let flags: Int32
        switch mode {
        case .read: flags = O_RDONLY
        case .truncate: flags = O_WRONLY | O_CREAT | O_TRUNC
        case .append: flags = O_WRONLY | O_CREAT | O_APPEND
        }
        let what = mode == .read ? "cannot read \(path)" : "cannot write \(path)"
        let fd = Glibc.open(path, flags | O_CLOEXEC | O_NOCTTY, 0o666)
        guard fd >= 0 else { throw HostError(errno: errno, what) }
        var st = stat()
        if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR {
            SystemCalls.close(fd)
            throw HostError(errno: EISDIR, what)
        }
        return fd
    }
}
