// TopWithPS: `top C PS_ARGS` as Docker does it — run the host's `ps` with the given arguments
// (an argv list, no shell) and keep the rows whose PID belongs to the container's process group.
// Must not: pass the arguments through a shell, or return processes outside the container.
import DKSEngine
import Foundation
import Glibc

enum TopWithPS {
    static func top(group pgid: Int32, psArgs: String) throws -> JSON {
        let members = Set(ProcessTable.members(ofGroup: pgid).map { $0.pid })
        let args = psArgs.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        let process: SpawnedProcess
        do {
            process = try Spawn.spawn(SpawnRequest(argv: ["ps"] + args, env: ["PATH=" + Spawn.defaultPath, "LC_ALL=C"], directory: "/"))
        } catch let failure as SpawnFailure {
            throw EngineError(.engine, "cannot run ps for top: \(failure.message)")
        }
        var out: [UInt8] = []
        var err: [UInt8] = []
        PipeDrainer.drain(stdout: process.stdout, stderr: process.stderr, idleMillis: 100, onData: { stream, bytes in
            // ps output is bounded by the host's process table; 16 MiB is far beyond it.
            if stream == .stderr { if err.count < 65536 { err += bytes } } else if out.count < 16 << 20 { out += bytes }
        }, onTick: { .goOn })
        let code = Spawn.reap(process.pid)
        guard code == 0 else {
            let message = String(decoding: err, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw EngineError(.invalidArgument, "ps \(psArgs) failed (exit \(code)): \(message)", status: 400)
        }
        return try parse(String(decoding: out, as: UTF8.self), keeping: members)
    }

    /// Docker's parsing: header words are the titles, the last column takes the rest of the line.
    static func parse(_ text: String, keeping pids: Set<Int32>) throws -> JSON {
        let lines = text.split(separator: "\n")
        guard let header = lines.first else { return .object([("Titles", .array([])), ("Processes", .array([]))]) }
        let titles = header.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard let pidColumn = titles.firstIndex(of: "PID") else {
            throw EngineError(.invalidArgument, "ps \(titles.joined(separator: " ")): no PID column in its output", status: 400)
        }
        var rows: [JSON] = []
        for line in lines.dropFirst() {
            var fields = line.split(maxSplits: max(0, titles.count - 1), whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard fields.count > pidColumn, let pid = Int32(fields[pidColumn]), pids.contains(pid) else { continue }
            if let last = fields.last { fields[fields.count - 1] = last.trimmingCharacters(in: .whitespaces) }
            rows.append(.array(fields.map { .string($0) }))
        }
        return .object([("Titles", .array(titles.map { .string($0) })), ("Processes", .array(rows))])
    }
}
