// KernelInstall: `dks kernel --install` — writes the kernel spec (kernel.json) that tells Jupyter
// how to start dks: for the user (~/.local/share/jupyter/kernels/dks), for the machine
// (/usr/local/share/jupyter/kernels/dks), or under a prefix (a virtual environment's sys.prefix).
// Must not: touch anything but that directory.
#if canImport(Glibc)
import Glibc
#endif
import DKSSupport

public enum KernelInstall {
    /// Where the spec goes.
    public static func directory(user: Bool, prefix: String?, name: String) -> String {
        if let prefix { return prefix + "/share/jupyter/kernels/" + name }
        if user {
            if let d = environment("JUPYTER_DATA_DIR") { return d + "/kernels/" + name }
            if let d = environment("XDG_DATA_HOME") { return d + "/jupyter/kernels/" + name }
            let home = environment("HOME") ?? "."
            return home + "/.local/share/jupyter/kernels/" + name
        }
        return "/usr/local/share/jupyter/kernels/" + name
    }

    /// The kernel.json text for the dks executable at `dksPath` (`arguments` go before `-f`).
    public static func spec(dksPath: String, arguments: [String], displayName: String) -> String {
        let argv: [JSON] = ([dksPath, "kernel"] + arguments + ["-f", "{connection_file}"]).map { .string($0) }
        let json: JSON = .object([
            ("argv", .array(argv)),
            ("display_name", .string(displayName)),
            ("language", .string("dks")),
            ("interrupt_mode", .string("signal")),
            ("metadata", .object([("debugger", .bool(false))])),
        ])
        return json.encodedIndented(indent: 2) + "\n"
    }

    /// Writes the spec; returns the directory. Throws a message when it cannot.
    public static func install(dksPath: String, arguments: [String], user: Bool, prefix: String?, name: String) throws -> String {
        let dir = directory(user: user, prefix: prefix, name: name)
        var path = dir.hasPrefix("/") ? "" : "."
        for part in dir.split(separator: "/") {
            path += "/" + part
            if mkdir(path, 0o755) != 0 && errno != EEXIST {
                throw ZMQError(description: "cannot create \(path): \(lastErrorText())")
            }
        }
        let file = dir + "/kernel.json"
        let fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { throw ZMQError(description: "cannot write \(file): \(lastErrorText())") }
        defer { close(fd) }
        let text = spec(dksPath: dksPath, arguments: arguments, displayName: name == "dks" ? "dks" : "dks (\(name))")
        guard writeAll(fd, Array(text.utf8)) else { throw ZMQError(description: "cannot write \(file): \(lastErrorText())") }
        return dir
    }

    static func environment(_ name: String) -> String? {
        guard let v = getenv(name) else { return nil }
        let s = String(cString: v)
        return s.isEmpty ? nil : s
    }
}
