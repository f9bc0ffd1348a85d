// ProcessTable: `top` and `stats` for a local container, read from /proc for its process group.
// Must not: signal or wait for processes; it only reads.
import DKSEngine
import DKSSupport
import Foundation
import Glibc

enum ProcessTable {
    struct Entry {
        let pid: Int32
        let ppid: Int32
        let uid: UInt32
        let state: String
        let ticks: UInt64      // utime + stime
        let startTicks: UInt64
        let rssPages: Int64
        let command: String
    }

    static let ticksPerSecond = UInt64(max(1, sysconf(Int32(_SC_CLK_TCK))))

    /// Every process whose group is `pgid`.
    static func members(ofGroup pgid: Int32) -> [Entry] {
        guard pgid > 0, let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        return names.compactMap { Int32($0) }.sorted().compactMap { entry(pid: $0) }.filter { $0.pgid == pgid }.map { $0.entry }
    }

    private static func entry(pid: Int32) -> (pgid: Int32, entry: Entry)? {
        guard let statText = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = statText.lastIndex(of: ")") else { return nil }
        // Fields after "comm)": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime ...
        let rest = statText[statText.index(after: close)...].split(separator: " ").map(String.init)
        guard rest.count > 21, let ppid = Int32(rest[1]), let pgrp = Int32(rest[2]),
              let utime = UInt64(rest[11]), let stime = UInt64(rest[12]), let start = UInt64(rest[19]), let rss = Int64(rest[21]) else { return nil }
        var st = stat()
        let uid: UInt32 = lstat("/proc/\(pid)", &st) == 0 ? st.st_uid : 0
        var command = ""
        if let data = procBytes("/proc/\(pid)/cmdline") {
            command = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }.joined(separator: " ")
        }
        if command.isEmpty, let open = statText.firstIndex(of: "(") { command = "[" + statText[statText.index(after: open)..<close] + "]" }
        return (pgrp, Entry(pid: pid, ppid: ppid, uid: uid, state: rest[0], ticks: utime + stime, startTicks: start, rssPages: rss, command: command))
    }

    /// A /proc file's bytes, read with read(2): FileManager.contents(atPath:) leaks its read buffer
    /// for an empty procfs file (st_size is 0 there), such as a zombie's cmdline (ASan's leak check).
    private static func procBytes(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n > 0 { bytes.append(contentsOf: buffer[0..<n]) } else if n < 0 && errno == EINTR { continue } else { break }
        }
        return bytes
    }

    /// `docker top`'s default `ps -ef` columns.
    static func top(group pgid: Int32) -> JSON {
        let rows: [JSON] = members(ofGroup: pgid).map { e in
            let seconds = e.ticks / ticksPerSecond
            let time = String(format: "%02d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
            let user = getpwuid(e.uid).flatMap { $0.pointee.pw_name.map { String(cString: $0) } } ?? String(e.uid)
            return .array([.string(user), .string(String(e.pid)), .string(String(e.ppid)), .string("0"),
                           .string(startTime(e.startTicks)), .string("?"), .string(time), .string(e.command)])
        }
        return .object([
            ("Titles", .array(["UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD"].map { .string($0) })),
            ("Processes", .array(rows)),
        ])
    }

    private static func startTime(_ startTicks: UInt64) -> String {
        guard let text = try? String(contentsOfFile: "/proc/uptime", encoding: .utf8),
              let uptime = text.split(separator: " ").first.flatMap({ Double($0) }) else { return "?" }
        let started = Date().timeIntervalSince1970 - uptime + Double(startTicks) / Double(ticksPerSecond)
        var t = time_t(started)
        var parts = tm()
        localtime_r(&t, &parts)
        return String(format: "%02d:%02d", parts.tm_hour, parts.tm_min)
    }

    /// One stats sample with the fields scripts read most (memory and CPU), Docker's names.
    static func stats(group pgid: Int32, id: String, name: String) -> JSON {
        let members = self.members(ofGroup: pgid)
        let pageSize = Int64(sysconf(Int32(_SC_PAGESIZE)))
        let memory = members.reduce(Int64(0)) { $0 + $1.rssPages * pageSize }
        let cpuNanos = members.reduce(UInt64(0)) { $0 + $1.ticks } * (1_000_000_000 / ticksPerSecond)
        let total = Int64(sysconf(Int32(_SC_PHYS_PAGES))) * pageSize
        let cpus = Int64(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        let cpuStats: JSON = .object([
            ("cpu_usage", .object([("total_usage", .int(Int64(cpuNanos)))])),
            ("system_cpu_usage", .int(Int64(systemCPUNanos()))),
            ("online_cpus", .int(cpus)),
        ])
        return .object([
            ("read", .string(formatRFC3339(Date().timeIntervalSince1970))),
            ("id", .string(id)),
            ("name", .string("/" + name)),
            ("pids_stats", .object([("current", .int(Int64(members.count)))])),
            ("memory_stats", .object([("usage", .int(memory)), ("limit", .int(total))])),
            ("cpu_stats", cpuStats),
            ("precpu_stats", cpuStats),
        ])
    }

    private static func systemCPUNanos() -> UInt64 {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
              let line = text.split(separator: "\n").first, line.hasPrefix("cpu ") else { return 0 }
        let ticks = line.split(separator: " ").dropFirst().prefix(8).compactMap { UInt64($0) }.reduce(0, +)
        return ticks * (1_000_000_000 / ticksPerSecond)
    }
}
