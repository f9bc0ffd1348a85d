// RunOptions: the options of `run` and `create` (docker CLI names and short forms) and their
// pure mapping into a ContainerConfig: durations → seconds, sizes → bytes, ports, mounts,
// restart policies, health checks. Must not: touch the engine or the process environment
// directly (the caller passes readers, so the mapping is unit-testable).
import DKSEngine
import DKSLanguage
import DKSSupport

enum RunOptions {
    /// The options shared by `run` and `create` (after IMAGE and CMD...).
    static let params: [Param] = [
        .option("name", "NAME", default: nil, "container name"),
        .flag("rm", "remove the container when it exits"),
        .repeated("env", short: "e", "KEY=VALUE", "environment variable (KEY alone: dks's value, or unset in the container)"),
        .repeated("env_file", "FILE", "read KEY=VALUE lines from FILE (# comments; KEY alone: dks's value if set)"),
        .repeated("label", short: "l", "KEY=VALUE", "label"),
        .option("workdir", short: "w", "DIR", default: nil, "working directory inside the container"),
        .option("user", short: "u", "USER[:GROUP]", default: nil, "user to run as"),
        .repeated("volume", short: "v", "SRC:DST[:ro]", "bind mount or named volume"),
        .repeated("mount", "type=T,source=S,target=D[,readonly][,...]", "mount (bind, volume or tmpfs; bind-propagation, volume-opt, tmpfs-size, tmpfs-mode ... as docker)"),
        .repeated("tmpfs", "PATH[:OPTS]", "tmpfs mount"),
        .flag("read_only", "mount the root filesystem read-only"),
        .flag("init", "run an init process as PID 1"),
        .option("restart", "POLICY", default: nil, "no|always|unless-stopped|on-failure[:N]"),
        .option("stop_signal", "SIGNAL", default: nil, "signal that stops the container"),
        .option("stop_timeout", "SECS", default: nil, "seconds before stop kills"),
        .option("memory", short: "m", "SIZE", default: nil, "memory limit (512m, 1g, bytes)"),
        .option("cpus", "N", default: nil, "CPU limit (1.5)"),
        .option("network", "NETWORK", default: nil, "network to connect to"),
        .option("hostname", "NAME", default: nil, "host name inside the container"),
        .repeated("publish", short: "p", "[IP:]HOST:CONT[/PROTO]", "publish a port"),
        .option("entrypoint", "CMD", default: nil, "override the image's entrypoint"),
        .flag("tty", short: "t", "allocate a terminal"),
        .flag("interactive", short: "i", "keep stdin open"),
        .option("health_cmd", "CMD", default: nil, "health check command (run by the container's shell)"),
        .option("health_interval", "DURATION", default: nil, "time between health checks"),
        .option("health_timeout", "DURATION", default: nil, "time a check may take"),
        .option("health_retries", "N", default: nil, "failures before unhealthy"),
        .option("health_start_period", "DURATION", default: nil, "grace period after start"),
        .flag("no_healthcheck", "disable the image's health check"),
        .option("log_driver", "DRIVER", default: nil, "logging driver"),
        .repeated("log_opt", "KEY=VALUE", "logging driver option (max-size=10m, max-file=3)"),
        .flag("privileged", "give extended privileges"),
    ]

    /// Maps bound `run`/`create` arguments to a config. `image` and `cmd` are the positionals.
    /// `readFile` reads `--env-file`s; `environment` answers `-e KEY` without a value.
    static func makeConfig(_ a: Arguments, image: String, cmd: [String], readFile: (String) throws -> [UInt8],
                           environment: (String) -> String?) throws -> ContainerConfig {
        let cmdName = a.signature.name
        func idx(_ n: String) -> Int { a.signature.index(of: n) ?? -1 }
        func given(_ n: String) -> Bool { let i = idx(n); return i >= 0 && a.isGiven(i) }
        func str(_ n: String) throws -> String? { let i = idx(n); return i >= 0 ? try text(a, i) : nil }
        func strs(_ n: String) -> [String] { let i = idx(n); return i >= 0 ? RunOptions.flatStrings(a[i]) : [] }
        func flag(_ n: String) -> Bool { let i = idx(n); return i >= 0 && a.bool(i) }
        func dur(_ n: String) throws -> Double? { let i = idx(n); return i >= 0 ? try a.optionalDuration(i) : nil }

        var c = ContainerConfig(image: image)
        c.cmd = cmd.isEmpty ? nil : cmd
        c.name = try str("name")
        for file in strs("env_file") {
            c.env += try EnvOptions.parseFile(try readFile(file), path: file, command: cmdName, environment: environment)
        }
        for e in strs("env") { c.env.append(try EnvOptions.resolve(e, command: cmdName, environment: environment)) }
        c.labels = strs("label").map(splitKeyValue)
        c.workingDir = try str("workdir")
        c.user = try str("user")
        c.binds = strs("volume")
        c.mounts = try strs("mount").map { try MountOptions.parse($0, command: cmdName, cwd: CopyCommand.currentDirectory()) }
        c.tmpfs = strs("tmpfs").map(parseTmpfs)
        c.readOnlyRootfs = flag("read_only")
        c.initProcess = flag("init")
        if let r = try str("restart") { c.restartPolicy = try parseRestart(r, command: cmdName) }
        c.stopSignal = try str("stop_signal")
        if let t = try dur("stop_timeout") {
            guard t < 1e9 else { throw ScriptError(.valueError, "\(cmdName): --stop-timeout is too large") }
            c.stopTimeout = Int(t.rounded(.up))
        }
        if given("memory") {
            let i = idx("memory")
            if case .int(let n) = a[i], n >= 0 { c.memoryBytes = Int64(n) } else {
                let text = try a.string(i)
                guard let bytes = parseSize(text) else {
                    throw ScriptError(.valueError, "\(cmdName): --memory '\(text)' is not a size; write 512m, 1g or a number of bytes")
                }
                c.memoryBytes = bytes
            }
        }
        if given("cpus") {
            let cpus = try a.double(idx("cpus"))
            guard cpus > 0, cpus < 1e6 else { throw ScriptError(.valueError, "\(cmdName): --cpus must be a positive number like 1.5") }
            c.nanoCPUs = Int64((cpus * 1e9).rounded())
        }
        c.networkMode = try str("network")
        c.hostname = try str("hostname")
        c.publish = try strs("publish").map { try parsePublish($0, command: cmdName) }
        if given("entrypoint") {
            let v = a[idx("entrypoint")]
            if case .list(let l) = v { c.entrypoint = l.map { $0.str } } else { c.entrypoint = [v.str] }
        }
        c.tty = flag("tty")
        c.openStdin = flag("interactive")
        c.healthCheck = try healthCheck(a, idx: idx, dur: dur, command: cmdName)
        c.logDriver = try str("log_driver")
        c.logOptions = try strs("log_opt").map { option in
            let (key, value) = splitKeyValue(option)
            guard !key.isEmpty, option.contains("=") else {
                throw ScriptError(.valueError, "\(cmdName): --log-opt '\(option)' is not KEY=VALUE (e.g. max-size=10m)")
            }
            return (key, value)
        }
        c.privileged = flag("privileged")
        c.autoRemove = flag("rm")
        return c
    }

    private static func healthCheck(_ a: Arguments, idx: (String) -> Int, dur: (String) throws -> Double?,
                                    command: String) throws -> HealthCheck? {
        if a.bool(idx("no_healthcheck")) { return HealthCheck(test: ["NONE"]) }
        var test: [String] = []
        let ci = idx("health_cmd")
        if a.isGiven(ci) {
            // A list is an argv run without a shell; a string is run by the container's shell, as docker does.
            if case .list(let l) = a[ci] { test = ["CMD"] + l.map { $0.str } } else { test = ["CMD-SHELL", try text(a, ci) ?? ""] }
        }
        let interval = try dur("health_interval")
        let timeout = try dur("health_timeout")
        let start = try dur("health_start_period")
        let retries = try a.optionalInt(idx("health_retries"))
        if test.isEmpty && interval == nil && timeout == nil && start == nil && retries == nil { return nil }
        for d in [interval, timeout, start].compactMap({ $0 }) where d >= 1e9 {
            // Engines convert to nanoseconds; refuse what would overflow rather than trap there.
            throw ScriptError(.valueError, "\(command): health check durations must be under 31 years, got \(d) s")
        }
        if let r = retries, r < 0 { throw ScriptError(.valueError, "\(command): --health-retries must not be negative") }
        // An empty test keeps the image's check and changes only its timing.
        return HealthCheck(test: test, interval: interval, timeout: timeout, retries: retries, startPeriod: start)
    }

    /// An option's text: strings, numbers and the bare words true/false (`--health-cmd true`); nil when absent.
    static func text(_ a: Arguments, _ i: Int) throws -> String? {
        switch a[i] {
        case .null, .undefined: return nil
        case .bool(let b): return b ? "true" : "false"
        default: return try a.string(i)
        }
    }

    /// The str forms of a value's items: repeated options collect lists, and the call form may
    /// pass a list for one (`env: ["A=1"]`), so nested lists are flattened; null is no items.
    static func flatStrings(_ v: Value) -> [String] {
        switch v {
        case .list(let l): return l.flatMap(flatStrings)
        case .null, .undefined: return []
        default: return [v.str]
        }
    }

    /// `KEY=VALUE` → (KEY, VALUE); `KEY` alone → (KEY, "").
    static func splitKeyValue(_ s: String) -> (String, String) {
        guard let eq = s.firstIndex(of: "=") else { return (s, "") }
        return (String(s[..<eq]), String(s[s.index(after: eq)...]))
    }

    /// `--restart no|always|unless-stopped|on-failure[:N]`.
    static func parseRestart(_ s: String, command: String) throws -> RestartPolicy {
        let parts = s.split(separator: ":", maxSplits: 1).map(String.init)
        let name = parts.first ?? ""
        switch name {
        case "no", "always", "unless-stopped":
            if parts.count == 1 { return RestartPolicy(name: name) }
        case "on-failure":
            if parts.count == 1 { return RestartPolicy(name: name) }
            if let n = Int(parts[1]), n >= 0 { return RestartPolicy(name: name, maximumRetryCount: n) }
        default: break
        }
        throw ScriptError(.valueError, "\(command): bad --restart '\(s)'; use no, always, unless-stopped or on-failure[:N]")
    }

    /// `-p [IP:][HOST:]CONT[/PROTO]` (IPv6 addresses in brackets: `[::1]:8080:80`).
    static func parsePublish(_ s: String, command: String) throws -> PortBinding {
        func bad() -> ScriptError {
            ScriptError(.valueError, "\(command): bad --publish '\(s)'; write [IP:]HOST:CONTAINER[/tcp|udp], e.g. 8080:80")
        }
        var rest = Substring(s)
        var ip = ""
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw bad() }
            ip = String(rest[rest.index(after: rest.startIndex)..<close])
            rest = rest[rest.index(after: close)...]
            guard rest.hasPrefix(":") else { throw bad() }
            rest = rest.dropFirst()
        }
        var proto = "tcp"
        if let slash = rest.lastIndex(of: "/") {
            proto = String(rest[rest.index(after: slash)...])
            rest = rest[..<slash]
            guard ["tcp", "udp", "sctp"].contains(proto) else { throw bad() }
        }
        let parts = rest.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        var host = ""
        let cont: String
        switch parts.count {
        case 1: cont = parts[0]
        case 2: host = parts[0]; cont = parts[1]
        case 3 where ip.isEmpty: ip = parts[0]; host = parts[1]; cont = parts[2]
        default: throw bad()
        }
        func isPort(_ p: String) -> Bool {
            let bounds = p.split(separator: "-", omittingEmptySubsequences: false)
            return !p.isEmpty && bounds.count <= 2 && bounds.allSatisfy { Int($0).map { (0...65535).contains($0) } ?? false }
        }
        guard isPort(cont), host.isEmpty || isPort(host) else { throw bad() }
        return PortBinding(hostIP: ip, hostPort: host, containerPort: "\(cont)/\(proto)")
    }

    /// `--tmpfs PATH[:OPTS]`.
    static func parseTmpfs(_ s: String) -> (String, String) {
        guard let colon = s.firstIndex(of: ":") else { return (s, "") }
        return (String(s[..<colon]), String(s[s.index(after: colon)...]))
    }

    /// `--filter K=V` values as engine filter pairs, as the docker CLI reads them: an empty
    /// filter is ignored, the key is trimmed and lower-cased, the value trimmed.
    static func parseFilters(_ items: [String], command: String) throws -> [(String, String)] {
        try items.compactMap { f -> (String, String)? in
            if f.isEmpty { return nil }
            let key = String(f.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)[0]).trimmingSpaces().lowercased()
            guard let eq = f.firstIndex(of: "="), !key.isEmpty else {
                throw ScriptError(.valueError, "\(command): bad --filter '\(f)'; write KEY=VALUE, e.g. status=running or label=app=web")
            }
            return (key, String(f[f.index(after: eq)...]).trimmingSpaces())
        }
    }
}
