// DockerEngine+Exec: `exec` — attached (output streamed, stdin pumped from a descriptor and
// half-closed at its end), detached (`exec -d`: the exec's id), inspected, and killed when the
// caller stops early or a deadline passes. Docker has no endpoint that kills an exec: dks reads
// the exec's host pid from `GET /exec/{id}/json` and, when the daemon runs on this host (a unix
// socket; the pid's /proc entry is in the container's cgroup), signals that process tree directly,
// or runs `kill` in the container with the pids the container knows them by (`NSpid`). A remote
// daemon's exec cannot be reached that way: its stream is closed and the process ends when it
// next reads its stdin or writes its output.
// Must not: leave an exec running after the call returned early.
import DKSEngine
import DKSHost
import DKSSupport
import Foundation
import Glibc

extension DockerEngine {
    public func exec(_ ref: String, _ config: ExecConfig, onOutput: (OutputChunk) throws -> Void) throws -> Int? {
        if config.detach {
            _ = try execDetached(ref, config)
            return nil
        }
        var create = config
        create.interactive = config.interactive && config.stdin != nil
        let execID = try createExec(ref, create)
        let startBody = JSON.object([("Detach", .bool(false)), ("Tty", .bool(config.tty))])
        var req = request("POST", try api() + "/exec/\(execID)/start", body: startBody)
        req.upgrade = true
        let exchange = try client.send(req, interruptible: true)
        exchange.bound(by: config.deadline, timeoutMessage: "exec \(config.cmd.first ?? "") in \(ref) did not finish before its --timeout; it was killed")
        var pump: StdinPump?
        if let fd = config.stdin, create.interactive {
            pump = StdinPump(fd: fd, connection: exchange.connection)
            pump?.start()
        }
        var tail: [UInt8] = []
        do {
            _ = try OutputPump.run(exchange, multiplexed: !config.tty, timestamps: false) { chunk in
                tail = Array((tail + chunk.bytes).suffix(2048))
                try onOutput(chunk)
                return .more
            }
        } catch {
            pump?.stop()
            // Ended early: an interruption, the deadline, the consumer gone (a closed pipe): the process must not live on.
            killExec(execID, in: ref)
            throw error
        }
        pump?.stop()
        let code = try execExitCode(execID)
        // The daemon reports 126 for every exec it cannot start; a missing command is 127, as in shells and `docker run`.
        if code == 126, DockerEngine.startFailureExitCode(String(decoding: tail, as: UTF8.self)) == 127 { return 127 }
        return code
    }

    public func execDetached(_ ref: String, _ config: ExecConfig) throws -> String {
        var create = config
        create.detach = true
        create.interactive = false
        let execID = try createExec(ref, create)
        let startBody = JSON.object([("Detach", .bool(true)), ("Tty", .bool(config.tty))])
        _ = try client.call(request("POST", try api() + "/exec/\(execID)/start", body: startBody))
        return execID
    }

    public func inspectExec(_ id: String) throws -> JSON {
        try client.callJSON(request("GET", try api() + "/exec/\(id)/json"))
    }

    /// Ends a running exec's process and what it started, as far as this host allows (see the header).
    func killExec(_ execID: String, in ref: String) {
        guard let info = try? inspectExec(execID), info["Running"]?.boolValue == true,
              let pid64 = info["Pid"]?.intValue, pid64 > 0 else { return }
        let pid = pid_t(pid64)
        let command = info["ProcessConfig"]?["entrypoint"]?.stringValue ?? ""
        let container = info["ContainerID"]?.stringValue ?? ""
        guard case .unix = endpoint.transport,
              DockerEngine.isProcess(pid, inContainer: container) || DockerEngine.isProcess(pid, running: command) else { return }
        let tree = ProcessTree.tree(of: pid)
        var denied = false
        for p in tree.reversed() where Glibc.kill(p, SIGKILL) != 0 && errno == EPERM { denied = true }
        guard denied else { return }
        // Not ours to signal (another user's daemon): kill them inside the container instead.
        let inside = tree.compactMap { ProcessTree.namespacePid(of: $0) }.map(String.init)
        guard !inside.isEmpty else { return }
        var killer = ExecConfig(cmd: ["kill", "-KILL"] + inside)
        killer.user = "0"
        _ = try? execDetached(ref, killer)
    }

    /// Whether host pid `pid` is in container `id`'s cgroup (the pid the daemon reported is this
    /// process's too only when both share a pid namespace; the cgroup says it is the right one).
    static func isProcess(_ pid: pid_t, inContainer id: String) -> Bool {
        guard id.count >= 12, let bytes = readFileBytes("/proc/\(pid)/cgroup") else { return false }
        return String(decoding: bytes, as: UTF8.self).contains(id)
    }

    /// Whether host pid `pid` runs `command` (argv[0] as the exec was created with; a process
    /// that replaced itself with another program no longer matches).
    static func isProcess(_ pid: pid_t, running command: String) -> Bool {
        guard let bytes = readFileBytes("/proc/\(pid)/cmdline"), !bytes.isEmpty else { return false }
        let argv0 = String(decoding: bytes.split(separator: 0, omittingEmptySubsequences: false).first ?? [], as: UTF8.self)
        if command.isEmpty { return true }
        return argv0 == command || argv0.hasSuffix("/" + command) || command.hasSuffix("/" + argv0)
    }
}
