// InspectDocument: a local container as Docker's `GET /containers/{id}/json` and `/containers/json`
// shape it, so scripts reading `.attrs` work on both engines. Must not: read live process state
// (the caller passes a snapshot taken under the engine's lock).
import DKSEngine
import DKSSupport
import Foundation

enum InspectDocument {
    /// Docker's zero time, used for times that never happened.
    static let zeroTime = "0001-01-01T00:00:00Z"

    static func time(_ t: Double?) -> JSON { .string(t.map(formatRFC3339) ?? zeroTime) }
    static func strings(_ a: [String]?) -> JSON { a.map { .array($0.map { .string($0) }) } ?? .null }
    static func labels(_ l: [(String, String)]) -> JSON {
        var fields: [(String, JSON)] = []
        for (k, v) in l {
            if let i = fields.firstIndex(where: { $0.0 == k }) { fields[i].1 = .string(v) } else { fields.append((k, .string(v))) }
        }
        return .object(fields)
    }
    /// Seconds as Go nanoseconds, clamped so an absurd user-given duration cannot overflow.
    static func nanos(_ s: Double?) -> JSON {
        let n = ((s ?? 0) * 1e9).rounded()
        return .int(n.isFinite ? Int64(max(-9e18, min(9e18, n))) : 0)
    }

    /// `State.Health`, or nil when the container has no check.
    static func health(_ r: ContainerRecord) -> JSON? {
        guard r.health != nil, let h = r.healthState else { return nil }
        return .object([
            ("Status", .string(h.status)),
            ("FailingStreak", .int(Int64(h.failingStreak))),
            ("Log", .array(h.log.map { e in
                .object([("Start", .string(formatRFC3339(e.start))), ("End", .string(formatRFC3339(e.end))),
                         ("ExitCode", .int(Int64(e.exitCode))), ("Output", .string(e.output))])
            })),
        ])
    }

    static func state(_ r: ContainerRecord) -> JSON {
        let live = r.isLive || r.status == .restarting
        var fields: [(String, JSON)] = [
            ("Status", .string(r.status.rawValue)),
            ("Running", .bool(live)),
            ("Paused", .bool(r.status == .paused)),
            ("Restarting", .bool(r.status == .restarting)),
            ("OOMKilled", .bool(false)),
            ("Dead", .bool(r.status == .dead)),
            ("Pid", .int(Int64(r.isLive ? r.pid : 0))),
            ("ExitCode", .int(Int64(r.exitCode))),
            ("Error", .string(r.error)),
            ("StartedAt", time(r.startedAt)),
            ("FinishedAt", time(r.finishedAt)),
        ]
        if let h = health(r) { fields.append(("Health", h)) }
        return .object(fields)
    }

    static func healthcheck(_ c: HealthCheck?) -> JSON? {
        guard let c else { return nil }
        var fields: [(String, JSON)] = [("Test", strings(c.test))]
        if let v = c.interval { fields.append(("Interval", nanos(v))) }
        if let v = c.timeout { fields.append(("Timeout", nanos(v))) }
        if let v = c.startPeriod { fields.append(("StartPeriod", nanos(v))) }
        if let v = c.retries { fields.append(("Retries", .int(Int64(v)))) }
        return .object(fields)
    }

    /// The full inspect document. Engine lock held.
    static func inspect(_ r: ContainerRecord) -> JSON {
        let c = r.config
        var config: [(String, JSON)] = [
            ("Hostname", .string(c.hostname ?? r.shortID)),
            ("Domainname", .string("")),
            ("User", .string(c.user ?? "")),
            ("AttachStdin", .bool(false)), ("AttachStdout", .bool(true)), ("AttachStderr", .bool(true)),
            ("Tty", .bool(c.tty)), ("OpenStdin", .bool(c.openStdin)), ("StdinOnce", .bool(false)),
            ("Env", strings(r.env)),
            ("Cmd", strings(c.cmd)),
        ]
        if let h = healthcheck(c.healthCheck) { config.append(("Healthcheck", h)) }
        config += [
            ("Image", .string(c.image)),
            ("Volumes", .null),
            ("WorkingDir", .string(r.workingDirectory)),
            ("Entrypoint", strings(c.entrypoint)),
            ("OnBuild", .null),
            ("Labels", labels(c.labels)),
            ("StopSignal", .string(Signals.name(r.stopSignal))),
        ]
        if let t = c.stopTimeout { config.append(("StopTimeout", .int(Int64(t)))) }
        let hostConfig: JSON = .object([
            ("Binds", c.binds.isEmpty ? .null : strings(c.binds)),
            ("LogConfig", .object([("Type", .string("local-file")), ("Config", .object([
                ("max-size", .string(String(r.log.limits.maxFileBytes))), ("max-file", .string(String(r.log.limits.maxFiles))),
            ]))])),
            ("NetworkMode", .string("host")),
            ("PortBindings", .object([])),
            ("RestartPolicy", .object([("Name", .string(c.restartPolicy.name)),
                                       ("MaximumRetryCount", .int(Int64(c.restartPolicy.maximumRetryCount)))])),
            ("AutoRemove", .bool(c.autoRemove)),
            ("Privileged", .bool(c.privileged)),
            ("ReadonlyRootfs", .bool(c.readOnlyRootfs)),
            ("Init", .bool(c.initProcess)),
            ("Memory", .int(c.memoryBytes ?? 0)),
            ("NanoCpus", .int(c.nanoCPUs ?? 0)),
        ])
        return .object([
            ("Id", .string(r.id)),
            ("Created", .string(formatRFC3339(r.created))),
            ("Path", .string(r.argv.first ?? "")),
            ("Args", strings(Array(r.argv.dropFirst()))),
            ("State", state(r)),
            ("Image", .string(c.image)),
            ("ResolvConfPath", .string("")),
            ("HostnamePath", .string("")),
            ("HostsPath", .string("")),
            ("LogPath", .string(r.log.path)),
            ("Name", .string("/" + r.name)),
            ("RestartCount", .int(Int64(r.restartCount))),
            ("Driver", .string("local")),
            ("Platform", .string("linux")),
            ("MountLabel", .string("")),
            ("ProcessLabel", .string("")),
            ("AppArmorProfile", .string("")),
            ("ExecIDs", .null),
            ("HostConfig", hostConfig),
            ("Mounts", .array([])),
            ("Config", .object(config)),
            ("NetworkSettings", .object([("Networks", .object([])), ("Ports", .object([])), ("IPAddress", .string(""))])),
        ])
    }

    /// A `/containers/json` summary. Engine lock held.
    static func summary(_ r: ContainerRecord, now: Double) -> JSON {
        .object([
            ("Id", .string(r.id)),
            ("Names", .array([.string("/" + r.name)])),
            ("Image", .string(r.config.image)),
            ("ImageID", .string("")),
            ("Command", .string(r.argv.joined(separator: " "))),
            ("Created", .int(Int64(r.created))),
            ("Ports", .array([])),
            ("Labels", labels(r.config.labels)),
            ("State", .string(r.status.rawValue)),
            ("Status", .string(statusText(r, now: now))),
            ("HostConfig", .object([("NetworkMode", .string("host"))])),
            ("NetworkSettings", .object([("Networks", .object([]))])),
            ("Mounts", .array([])),
        ])
    }

    /// Docker's human status: "Up 3 seconds (healthy)", "Exited (0) 2 seconds ago", "Created".
    static func statusText(_ r: ContainerRecord, now: Double) -> String {
        switch r.status {
        case .created: return "Created"
        case .running, .paused:
            var text = "Up " + humanDuration(now - (r.startedAt ?? now))
            if r.status == .paused {
                text += " (Paused)"
            } else if let h = r.healthState, r.health != nil {
                text += h.status == "starting" ? " (health: starting)" : " (\(h.status))"
            }
            return text
        case .restarting: return "Restarting (\(r.exitCode)) " + humanDuration(now - (r.finishedAt ?? now)) + " ago"
        case .exited: return "Exited (\(r.exitCode)) " + humanDuration(now - (r.finishedAt ?? now)) + " ago"
        case .removing: return "Removal In Progress"
        case .dead: return "Dead"
        }
    }

    /// Go's `units.HumanDuration`, which Docker uses for status texts.
    static func humanDuration(_ seconds: Double) -> String {
        let s = Int(max(0, seconds))
        if s < 1 { return "Less than a second" }
        if s == 1 { return "1 second" }
        if s < 60 { return "\(s) seconds" }
        let m = s / 60
        if m == 1 { return "About a minute" }
        if m < 60 { return "\(m) minutes" }
        let h = m / 60
        if h == 1 { return "About an hour" }
        if h < 48 { return "\(h) hours" }
        if h < 24 * 7 * 2 { return "\(h / 24) days" }
        if h < 24 * 30 * 2 { return "\(h / 24 / 7) weeks" }
        if h < 24 * 365 * 2 { return "\(h / 24 / 30) months" }
        return "\(h / 24 / 365) years"
    }
}
