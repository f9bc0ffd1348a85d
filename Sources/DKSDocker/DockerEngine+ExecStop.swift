// DockerEngine+ExecStop: stopping an exec'd process that dks stopped reading (an interrupt, a
// capture over the limit, a closed stdout, a pipeline's reader gone, a `break`, a --timeout). The Engine API has no call for it, and the daemon
// leaves the process running when the client goes (`docker exec` leaves it too), so a `yes` would
// block forever on its full pipe. Owns: finding the process and killing it. Must not: kill anything
// it cannot prove is that exec's process (the pid must be in the container's cgroup).
#if canImport(Glibc)
import Glibc
#endif
import DKSEngine
import DKSHost
import DKSSupport
import Foundation

extension DockerEngine {
    /// SIGKILLs the process of exec `execID` (and the processes it started) if it still runs.
    /// Best effort, bounded (5 s), not
    /// interruptible (it is the clean-up after an interrupt): when the daemon runs on this host, the
    /// pid it reports is checked against the container's cgroup, then killed directly, or, without
    /// the permission, by a `kill` exec'd in the container (its pid there from /proc's NSpid). On a
    /// remote daemon the process cannot be reached and is left (docs/containers.md says so).
    func stopExec(_ execID: String) {
        let deadline = Deadline.after(seconds: 5)
        guard let prefix = try? api(),
              let info = try? client.callJSON(request("GET", prefix + "/exec/\(execID)/json"), deadline: deadline, interruptible: false),
              info["Running"]?.boolValue == true,
              let pid = info["Pid"]?.intValue, pid > 0, pid <= Int64(Int32.max),
              let container = info["ContainerID"]?.stringValue, container.count >= 12,
              case .unix = endpoint.transport,
              let nspid = DockerEngine.namespacePid(hostPid: Int32(pid), container: container) else { return }
        // The process and what it started (`sh -c 'sleep 100'` may fork): the whole tree, leaves first.
        let tree = ProcessTree.tree(of: Int32(pid))
        var denied = false
        for p in tree.reversed() where Glibc.kill(p, SIGKILL) != 0 && errno == EPERM { denied = true }
        if !denied { return }
        let inside = [nspid] + tree.dropFirst().compactMap { ProcessTree.namespacePid(of: $0) }
        var config = ExecConfig(cmd: ["kill", "-KILL"] + inside.map(String.init))
        config.detach = true
        config.user = "0"
        guard let killID = try? createExec(container, config, deadline: deadline, interruptible: false) else { return }
        let body = JSON.object([("Detach", .bool(true)), ("Tty", .bool(false))])
        _ = try? client.call(request("POST", prefix + "/exec/\(killID)/start", body: body), deadline: deadline, interruptible: false)
    }

    /// The pid of host process `hostPid` inside its pid namespace, if that process belongs to
    /// `container` (its cgroup path names the container's id); nil when it does not, or when this
    /// host's /proc does not show it (a daemon on another machine or in another pid namespace).
    static func namespacePid(hostPid: Int32, container: String) -> Int32? {
        guard let cgroup = readFileBytes("/proc/\(hostPid)/cgroup").map({ String(decoding: $0, as: UTF8.self) }),
              cgroup.contains(container),
              let status = readFileBytes("/proc/\(hostPid)/status").map({ String(decoding: $0, as: UTF8.self) }) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("NSpid:") {
            return line.split(whereSeparator: { $0 == " " || $0 == "\t" }).last.flatMap { Int32($0) }
        }
        return nil
    }
}
