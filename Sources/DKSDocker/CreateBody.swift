// CreateBody: ContainerConfig and ExecConfig as Engine API request bodies.
// Owns: the pure mapping (field names, nanosecond durations, port maps). Must not: do I/O;
// the container name travels in the query (`name=`), not here.
import DKSEngine

enum CreateBody {
    /// The body of `POST /containers/create`.
    static func container(_ c: ContainerConfig) -> JSON {
        var body: [(String, JSON)] = [("Image", .string(c.image))]
        if let cmd = c.cmd { body.append(("Cmd", strings(cmd))) }
        if let entrypoint = c.entrypoint { body.append(("Entrypoint", strings(entrypoint))) }
        if !c.env.isEmpty { body.append(("Env", strings(c.env))) }
        body.append(("Labels", .object(c.labels.map { ($0.0, .string($0.1)) })))
        if let dir = c.workingDir { body.append(("WorkingDir", .string(dir))) }
        if let user = c.user { body.append(("User", .string(user))) }
        if let hostname = c.hostname { body.append(("Hostname", .string(hostname))) }
        // As the docker CLI: `run -d` attaches nothing; `create` and attached runs attach stdout
        // and stderr, and with -i stdin too, closed after that first attach (StdinOnce).
        let attached = !c.detached
        body.append(("Tty", .bool(c.tty)))
        body.append(("OpenStdin", .bool(c.openStdin)))
        body.append(("StdinOnce", .bool(c.openStdin && attached)))
        body.append(("AttachStdin", .bool(c.openStdin && attached)))
        body.append(("AttachStdout", .bool(attached)))
        body.append(("AttachStderr", .bool(attached)))
        if let hc = c.healthCheck { body.append(("Healthcheck", healthcheck(hc))) }
        if let signal = c.stopSignal { body.append(("StopSignal", .string(signal))) }
        if let timeout = c.stopTimeout { body.append(("StopTimeout", .int(Int64(timeout)))) }
        if !c.publish.isEmpty {
            var exposed: [(String, JSON)] = []
            for p in c.publish where !exposed.contains(where: { $0.0 == portKey(p.containerPort) }) {
                exposed.append((portKey(p.containerPort), .object([])))
            }
            body.append(("ExposedPorts", .object(exposed)))
        }
        body.append(("HostConfig", hostConfig(c)))
        return .object(body)
    }

    static func hostConfig(_ c: ContainerConfig) -> JSON {
        var host: [(String, JSON)] = []
        if !c.binds.isEmpty { host.append(("Binds", strings(c.binds))) }
        if !c.mounts.isEmpty { host.append(("Mounts", .array(c.mounts.map(mount)))) }
        if !c.tmpfs.isEmpty { host.append(("Tmpfs", .object(c.tmpfs.map { ($0.0, .string($0.1)) }))) }
        host.append(("ReadonlyRootfs", .bool(c.readOnlyRootfs)))
        if c.initProcess { host.append(("Init", .bool(true))) }
        host.append(("RestartPolicy", .object([
            ("Name", .string(c.restartPolicy.name == "no" ? "" : c.restartPolicy.name)),
            ("MaximumRetryCount", .int(Int64(c.restartPolicy.maximumRetryCount))),
        ])))
        if let memory = c.memoryBytes { host.append(("Memory", .int(memory))) }
        if let cpus = c.nanoCPUs { host.append(("NanoCpus", .int(cpus))) }
        if let mode = c.networkMode { host.append(("NetworkMode", .string(mode))) }
        if !c.publish.isEmpty {
            var bindings: [(String, JSON)] = []
            for p in c.publish {
                let key = portKey(p.containerPort)
                let entry = JSON.object([("HostIp", .string(p.hostIP)), ("HostPort", .string(p.hostPort))])
                if let i = bindings.firstIndex(where: { $0.0 == key }), case .array(let list) = bindings[i].1 {
                    bindings[i].1 = .array(list + [entry])
                } else {
                    bindings.append((key, .array([entry])))
                }
            }
            host.append(("PortBindings", .object(bindings)))
        }
        if c.logDriver != nil || !c.logOptions.isEmpty {
            // As the docker CLI: options without --log-driver go to the daemon's default driver (Type "").
            let options = JSON.object(c.logOptions.map { ($0.0, .string($0.1)) })
            host.append(("LogConfig", .object([("Type", .string(c.logDriver ?? "")), ("Config", options)])))
        }
        host.append(("Privileged", .bool(c.privileged)))
        host.append(("AutoRemove", .bool(c.autoRemove)))
        return .object(host)
    }

    /// One `HostConfig.Mounts` entry, with the fields the docker CLI sends (empty ones left out).
    static func mount(_ m: Mount) -> JSON {
        var fields: [(String, JSON)] = [("Type", .string(m.type))]
        if !m.source.isEmpty { fields.append(("Source", .string(m.source))) }
        fields.append(("Target", .string(m.target)))
        if m.readOnly { fields.append(("ReadOnly", .bool(true))) }
        if let c = m.consistency { fields.append(("Consistency", .string(c))) }
        if let b = m.bind {
            var o: [(String, JSON)] = []
            if let p = b.propagation { o.append(("Propagation", .string(p))) }
            if b.nonRecursive { o.append(("NonRecursive", .bool(true))) }
            if b.readOnlyNonRecursive { o.append(("ReadOnlyNonRecursive", .bool(true))) }
            if b.readOnlyForceRecursive { o.append(("ReadOnlyForceRecursive", .bool(true))) }
            fields.append(("BindOptions", .object(o)))
        }
        if let v = m.volume {
            var o: [(String, JSON)] = []
            if v.noCopy { o.append(("NoCopy", .bool(true))) }
            if !v.labels.isEmpty { o.append(("Labels", stringMap(v.labels))) }
            if let s = v.subpath { o.append(("Subpath", .string(s))) }
            if v.driver != nil || !v.driverOptions.isEmpty {
                var d: [(String, JSON)] = []
                if let name = v.driver { d.append(("Name", .string(name))) }
                if !v.driverOptions.isEmpty { d.append(("Options", stringMap(v.driverOptions))) }
                o.append(("DriverConfig", .object(d)))
            }
            fields.append(("VolumeOptions", .object(o)))
        }
        if let t = m.tmpfs {
            var o: [(String, JSON)] = []
            if let size = t.sizeBytes { o.append(("SizeBytes", .int(size))) }
            if let mode = t.mode { o.append(("Mode", .int(Int64(mode)))) }
            fields.append(("TmpfsOptions", .object(o)))
        }
        return .object(fields)
    }

    private static func stringMap(_ m: [String: String]) -> JSON { .object(m.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }) }

    /// Docker wants health check durations in nanoseconds; zero means "the default".
    static func healthcheck(_ hc: HealthCheck) -> JSON {
        var fields: [(String, JSON)] = [("Test", strings(hc.test))]
        if let v = hc.interval { fields.append(("Interval", .int(nanoseconds(v)))) }
        if let v = hc.timeout { fields.append(("Timeout", .int(nanoseconds(v)))) }
        if let v = hc.retries { fields.append(("Retries", .int(Int64(v)))) }
        if let v = hc.startPeriod { fields.append(("StartPeriod", .int(nanoseconds(v)))) }
        return .object(fields)
    }

    /// The body of `POST /containers/{id}/exec`.
    static func exec(_ e: ExecConfig) -> JSON {
        var body: [(String, JSON)] = [
            ("AttachStdin", .bool(e.interactive && !e.detach)),
            ("AttachStdout", .bool(!e.detach)),
            ("AttachStderr", .bool(!e.detach)),
            ("Tty", .bool(e.tty)),
            ("Cmd", strings(e.cmd)),
        ]
        if !e.env.isEmpty { body.append(("Env", strings(e.env))) }
        if let dir = e.workingDir { body.append(("WorkingDir", .string(dir))) }
        if let user = e.user { body.append(("User", .string(user))) }
        if e.privileged { body.append(("Privileged", .bool(true))) }
        return .object(body)
    }

    /// "80" means "80/tcp", as in the docker CLI.
    static func portKey(_ port: String) -> String { port.contains("/") ? port : port + "/tcp" }

    static func nanoseconds(_ seconds: Double) -> Int64 {
        guard seconds.isFinite, seconds > 0 else { return 0 }
        return seconds >= 9e9 ? Int64(9e18) : Int64((seconds * 1e9).rounded())
    }

    private static func strings(_ list: [String]) -> JSON { .array(list.map { .string($0) }) }
}
