// ProcessTree: a process's descendants read from /proc (parent ids), and the namespace pid of a
// process (`NSpid` in /proc/PID/status: what a container calls it), for ending a whole tree —
// a pipeline stage's children, or a `docker exec`'d command and what it started.
// Must not: signal anything it was not asked to (callers choose the roots and the signal).
import Glibc
import DKSSupport

public enum ProcessTree {
    /// `root` and every process below it (children first found by scanning /proc once).
    public static func tree(of root: pid_t) -> [pid_t] {
        var children: [pid_t: [pid_t]] = [:]
        guard let entries = DirectoryListing.entries("/proc") else { return [root] }
        for entry in entries {
            guard let pid = pid_t(entry.name), let ppid = parent(of: pid) else { continue }
            children[ppid, default: []].append(pid)
        }
        var out: [pid_t] = []
        var queue = [root]
        var seen = Set<pid_t>()
        while let p = queue.popLast() {
            guard seen.insert(p).inserted else { continue }
            out.append(p)
            queue.append(contentsOf: children[p] ?? [])
        }
        return out
    }

    /// The parent pid from /proc/PID/stat (the field after the parenthesised name).
    static func parent(of pid: pid_t) -> pid_t? {
        guard let bytes = readFileBytes("/proc/\(pid)/stat"), let close = bytes.lastIndex(of: 41) else { return nil }
        let fields = bytes[(close + 1)...].split(separator: 32)
        guard fields.count >= 2 else { return nil }
        return pid_t(String(decoding: fields[1], as: UTF8.self))
    }

    /// Signals `root` and its descendants (deepest last found first, so parents cannot respawn them).
    public static func signalTree(_ root: pid_t, _ signal: Int32) {
        for p in tree(of: root).reversed() { _ = kill(p, signal) }
    }

    /// The pid of `pid` in its innermost pid namespace (`NSpid`'s last field), e.g. inside a container.
    public static func namespacePid(of pid: pid_t) -> pid_t? {
        guard let bytes = readFileBytes("/proc/\(pid)/status") else { return nil }
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") where line.hasPrefix("NSpid:") {
            return line.split(whereSeparator: { $0 == " " || $0 == "\t" }).last.flatMap { pid_t(String($0)) }
        }
        return nil
    }
}
