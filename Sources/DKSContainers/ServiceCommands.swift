// ServiceCommands: `service create|ls|ps|inspect|scale|update|logs|rm` and `wait-converged` —
// Docker Swarm services on the engine in use (or a service object's own engine).
// Owns: options to ServiceConfig/ServiceUpdate, dks's labels on services and their tasks, the
// tables `service ls` and `service ps` print. Must not: publish ports or attach networks (no
// such options exist), or decide convergence (DKSEngine's ServiceConvergence does).
import DKSBuiltins
import DKSEngine
import DKSLanguage
import DKSSupport

enum ServiceCommands {
    static let params: [Param] = [
        .arg("verb", "create, ls, ps, inspect, scale, update, logs or rm"),
        .rest("args", "create: IMAGE [CMD...]; scale: SERVICE N (or SERVICE=N); the others: SERVICE"),
        .option("name", "NAME", default: nil, "create: the service's name"),
        .option("replicas", "N", default: nil, "create, update: how many tasks (replicated mode; 1 by default)"),
        .option("mode", "MODE", default: nil, "create: replicated (default) or global (one task per node)"),
        .repeated("env", short: "e", "KEY=VALUE", "create: an environment variable of the tasks (KEY alone: from $env)"),
        .repeated("label", short: "l", "KEY=VALUE", "create: a label of the service"),
        .repeated("constraint", "EXPR", "create: a placement constraint, e.g. node.role==manager"),
        .option("update_parallelism", "N", default: nil, "create, update: how many tasks an update replaces at once (0: all)"),
        .option("restart_condition", "COND", default: nil, "create, update: none, on-failure or any (the default)"),
        .option("restart_delay", "DURATION", default: nil, "create, update: the wait before a task is replaced (5s by default)"),
        .option("restart_max_attempts", "N", default: nil, "create, update: give up replacing a failing task after N attempts"),
        .option("workdir", short: "w", "DIR", default: nil, "create: the working directory of the tasks"),
        .option("user", short: "u", "USER", default: nil, "create: the user the tasks run as"),
        .option("image", "IMAGE", default: nil, "update: a new image"),
        .repeated("env_add", "KEY=VALUE", "update: add or change an environment variable"),
        .repeated("env_rm", "KEY", "update: remove an environment variable"),
        .repeated("label_add", "KEY=VALUE", "update: add or change a label"),
        .repeated("label_rm", "KEY", "update: remove a label"),
        .repeated("constraint_add", "EXPR", "update: add a placement constraint"),
        .repeated("constraint_rm", "EXPR", "update: remove a placement constraint"),
        .flag("force", "update: replace every task even if nothing changed"),
        .flag("follow", short: "f", "logs: keep following new output"),
        .option("tail", short: "n", "N", default: nil, "logs: only the last N lines of each task"),
        .option("since", "TIME", default: nil, "logs: from TIME (unix seconds, RFC 3339 or a duration ago: 10m)"),
        .flag("timestamps", short: "t", "logs: prefix each line with its time"),
        .flag("raw", "logs: lines as the tasks wrote them, without the task name"),
        .repeated("filter", "KEY=VALUE", "ls: e.g. name=web, label=K=V, mode=global"),
    ]
    static let signature: Signature = {
        let s = Signature("service", topic: "services", params,
                          summary: "Docker Swarm services on the engine in use (after 'swarm init'): service create [opts] IMAGE [CMD...] returns a service object (.id, .name, and live .replicas, .running, .tasks, .mode, .image, .labels, .attrs); it does not wait: use wait-converged. service ls lists services (a table at statement level); service ps S its tasks, maps {id, name, slot, node_id, desired_state, state, message, error, exit_code, container_id, image, created_at}, history included; service inspect S the document; service scale S N (or S=N) and service update S [opts] change it and return it; service logs S [-f] prints or returns every task's output, each line prefixed with its task as docker service logs does (--raw: without); service rm S... removes services. Options end at the image, as in the docker CLI. Services and their tasks carry the dks.session and dks.script labels.",
                          example: "$web = service create --name web --replicas 2 dks-test/busybox sleep 300\nwait-converged $web --timeout 60s\nservice scale $web 3\necho $web.running $web.replicas\nservice rm $web")
        s.verbsThatStopOptions = ["create"]
        return s
    }()

    static func register(_ r: BuiltinRegistry, _ ctx: ContainerContext) {
        r.register(signature) { a in try run(&a, ctx) }
        let wait = Signature("wait-converged", topic: "services",
                             [.arg("service", "a service (object, name or id)"),
                              .option("timeout", "DURATION", default: .int(60), "give up with a Timeout error after this long"),
                              .option("failures", "N", default: .int(2), "how many failed tasks in one slot mean its tasks keep failing"),
                              .option("stable", "DURATION", default: .int(1), "how long the same tasks must keep running (0: return at the first sight of them all running)")],
                             summary: "Waits until every desired task of the service runs (and no task it replaced or scaled away still runs, and no update is under way), and the same tasks have kept running for --stable (1s by default; the docker CLI watches 5s after service create), and returns the service: a task that exits at once is seen running for a moment, and a crash-looping service must not pass for a converged one. Fails fast with ServiceError when its tasks keep failing: --failures failed tasks in one slot (one node, for a global service) since the service last changed, or a single one when its restart condition is none; the error's message names the first failure and its .output has one line per failed task (.tasks: their maps). Timeout after --timeout (60s by default).",
                             example: "$web = service create --replicas 3 dks-test/busybox sleep 300\nwait-converged $web --timeout 2m")
        r.register(wait) { a in
            let t = try service(a[0], a.interp, ctx, "wait-converged")
            let deadline = Deadline.after(seconds: try a.duration(1))
            let failures = try a.int(2)
            guard failures >= 1 else { throw ScriptError(.valueError, "wait-converged: --failures must be 1 or more") }
            let stable = try a.duration(3)
            try a.interp.flush()
            let s = try swarm(t.engine, "wait-converged")
            do {
                try Deadline.bounding(deadline) { _ = try s.waitConverged(t.ref, deadline: deadline, failures: failures, stable: stable) }
            } catch let e as EngineError where e.kind == .service {
                var error = ErrorMapping.scriptError(e, command: "wait-converged")
                error.extra.append(("tasks", .list(e.taskFailures.map(failureValue))))
                throw error
            } catch {
                throw ErrorMapping.map(error, command: "wait-converged")
            }
            return .object(try object(t.ref, t.engine, "wait-converged"))
        }
        EngineCommands.alias(r, "wait_converged", of: wait)
    }

    static func run(_ a: inout Arguments, _ ctx: ContainerContext) throws -> Value {
        let verb = try a.string(0)
        let args = try a.list(1)
        let command = "service \(verb)"
        switch verb {
        case "create":
            let handle = ctx.current(a.interp)
            let config = try createConfig(a, args, ctx)
            let s = try swarm(handle, command)
            let made = try handle.call(command) { _ in try s.createService(config) }
            try warn(made.warnings, a.interp)
            return .object(try object(made.id, handle, command))
        case "ls":
            let handle = ctx.current(a.interp)
            guard args.isEmpty else { throw ScriptError(.valueError, "service ls takes no service; use --filter name=NAME") }
            let filters = try RunOptions.parseFilters(RunOptions.flatStrings(a[a.signature.index(of: "filter") ?? 0]), command: command)
            let s = try swarm(handle, command)
            let list = try handle.call(command) { _ in try s.services(filters: filters) }
            if a.usage == .statement {
                try a.interp.out.write(serviceTable(list) + "\n")
                return .null
            }
            return .list(list.map { .object(ServiceObject(id: $0["ID"]?.stringValue ?? "", name: $0["Spec"]?["Name"]?.stringValue ?? "", engine: handle)) })
        case "ps":
            let t = try one(args, a.interp, ctx, command)
            let svc = try object(t.ref, t.engine, command)
            let tasks = try svc.tasks(command)
            if a.usage == .statement {
                try a.interp.out.write(taskTable(tasks, nodes: nodeNames(t.engine, command)) + "\n")
                return .null
            }
            return .list(tasks.map(\.value))
        case "inspect":
            let t = try one(args, a.interp, ctx, command)
            let s = try swarm(t.engine, command)
            let doc = JSONValues.value(try t.engine.call(command) { _ in try s.inspectService(t.ref) })
            if a.usage == .statement {
                try a.interp.out.write((try GeneralBuiltins.jsonEncode(doc)).encodedIndented() + "\n")
                return .null
            }
            return doc
        case "scale":
            let (t, n) = try scaleArguments(args, a.interp, ctx)
            var update = ServiceUpdate()
            update.replicas = n
            return try apply(update, t, a.interp, command)
        case "update":
            let t = try one(args, a.interp, ctx, command)
            return try apply(try updateOptions(a), t, a.interp, command)
        case "logs":
            let t = try one(args, a.interp, ctx, command)
            return try ServiceLogs.run(a, t, command)
        case "rm":
            guard !args.isEmpty else { throw ScriptError(.valueError, "service rm: give at least one service") }
            for v in args.flatMap(flatten) {
                let t = try service(v, a.interp, ctx, command)
                let s = try swarm(t.engine, command)
                try t.engine.call(command) { _ in try s.removeService(t.ref) }
            }
            return .null
        default:
            throw ScriptError(.valueError, "service: unknown verb '\(verb)'; use service create, ls, ps, inspect, scale, update, logs or rm")
        }
    }

    // MARK: Options

    static func createConfig(_ a: Arguments, _ args: [Value], _ ctx: ContainerContext) throws -> ServiceConfig {
        let words = RunOptions.flatStrings(.list(args))
        guard let image = words.first, !image.isEmpty else {
            throw ScriptError(.valueError, "service create: no image given; write service create [OPTIONS] IMAGE [CMD...]")
        }
        var c = ServiceConfig(image: image)
        if words.count > 1 { c.args = Array(words.dropFirst()) }
        c.name = try string(a, "name")
        if let mode = try string(a, "mode") {
            switch mode {
            case "replicated": c.mode = .replicated(1)
            case "global": c.mode = .global
            default: throw ScriptError(.valueError, "service create: --mode must be replicated or global, not '\(mode)'")
            }
        }
        if let n = try count(a, "replicas") {
            guard c.mode != .global else { throw ScriptError(.valueError, "service create: --replicas can only be used with replicated mode") }
            c.mode = .replicated(n)
        }
        c.env = try strings(a, "env").map { try EnvOptions.resolve($0, command: "service create", environment: { a.interp.environmentValue($0) }) }
        let session = [("dks.session", ctx.sessionID), ("dks.script", a.interp.scriptName.isEmpty ? "<prompt>" : a.interp.scriptName)]
        c.labels = try strings(a, "label").map(RunOptions.splitKeyValue).filter { !["dks.session", "dks.script"].contains($0.0) } + session
        c.containerLabels = session
        c.constraints = try strings(a, "constraint")
        try common(a, "service create", &c.updateParallelism, &c.restartCondition, &c.restartDelay, &c.restartMaxAttempts)
        c.workingDir = try string(a, "workdir")
        c.user = try string(a, "user")
        return c
    }

    static func updateOptions(_ a: Arguments) throws -> ServiceUpdate {
        var u = ServiceUpdate()
        u.image = try string(a, "image")
        u.replicas = try count(a, "replicas")
        u.envAdd = try strings(a, "env_add").map { try EnvOptions.resolve($0, command: "service update", environment: { a.interp.environmentValue($0) }) }
        u.envRemove = try strings(a, "env_rm")
        u.labelAdd = try strings(a, "label_add").map(RunOptions.splitKeyValue)
        u.labelRemove = try strings(a, "label_rm")
        u.constraintAdd = try strings(a, "constraint_add")
        u.constraintRemove = try strings(a, "constraint_rm")
        u.force = a.bool(a.signature.index(of: "force") ?? 0)
        try common(a, "service update", &u.updateParallelism, &u.restartCondition, &u.restartDelay, &u.restartMaxAttempts)
        return u
    }

    /// The options `create` and `update` share.
    static func common(_ a: Arguments, _ command: String, _ parallelism: inout Int?, _ condition: inout String?,
                       _ delay: inout Double?, _ attempts: inout Int?) throws {
        parallelism = try count(a, "update_parallelism")
        if let c = try string(a, "restart_condition") {
            guard ["none", "on-failure", "any"].contains(c) else {
                throw ScriptError(.valueError, "\(command): --restart-condition must be none, on-failure or any, not '\(c)'")
            }
            condition = c
        }
        if let i = a.signature.index(of: "restart_delay") { delay = try a.optionalDuration(i) }
        attempts = try count(a, "restart_max_attempts")
    }

    static func string(_ a: Arguments, _ name: String) throws -> String? {
        guard let i = a.signature.index(of: name) else { return nil }
        return try a.optionalString(i)
    }

    static func strings(_ a: Arguments, _ name: String) throws -> [String] {
        guard let i = a.signature.index(of: name) else { return [] }
        return RunOptions.flatStrings(a[i])
    }

    /// A non-negative count option.
    static func count(_ a: Arguments, _ name: String) throws -> Int? {
        guard let i = a.signature.index(of: name), let n = try a.optionalInt(i) else { return nil }
        guard n >= 0 else { throw ScriptError(.valueError, "\(a.signature.name): --\(name.replacingOccurrences(of: "_", with: "-")) must be 0 or more, not \(n)") }
        return n
    }

    // MARK: Services

    /// The swarm side of an engine (the local engine and Podman have none).
    static func swarm(_ handle: EngineHandle, _ command: String) throws -> SwarmEngine {
        let engine = try handle.engine(command)
        guard let s = engine as? SwarmEngine else {
            let kind = (try? engine.info().kind) ?? "this"
            throw ScriptError(.engineError, "\(command): the \(kind) engine has no Docker Swarm services; connect to a Docker engine (see connect and use-engine)")
        }
        return s
    }

    /// The engine and reference for a value where a service is expected.
    static func service(_ v: Value, _ interp: Interpreter, _ ctx: ContainerContext, _ command: String) throws -> Target {
        if case .object(let o as ServiceObject) = v { return Target(engine: o.engine, ref: o.id) }
        if case .object(let o) = v, !(o is NumberWord) {
            throw ScriptError(.typeError, "\(command): expected a service (object, name or id), got \(v.typeName)")
        }
        return Target(engine: ctx.current(interp), ref: try ContainerContext.ref(v, command: command, what: "service"))
    }

    /// Exactly one service among the positional arguments.
    static func one(_ args: [Value], _ interp: Interpreter, _ ctx: ContainerContext, _ command: String) throws -> Target {
        guard args.count == 1 else { throw ScriptError(.valueError, "\(command): give exactly one service") }
        return try service(args[0], interp, ctx, command)
    }

    /// `scale S N` or `scale S=N`.
    static func scaleArguments(_ args: [Value], _ interp: Interpreter, _ ctx: ContainerContext) throws -> (Target, Int) {
        var items = args
        if items.count == 1, case .string(let s) = items[0], let eq = s.lastIndex(of: "=") {
            items = [.string(String(s[..<eq])), .string(String(s[s.index(after: eq)...]))]
        }
        guard items.count == 2 else { throw ScriptError(.valueError, "service scale: write service scale SERVICE N (or SERVICE=N)") }
        let text = items[1].str.trimmingSpaces()
        guard let n = Int(text), n >= 0 else {
            throw ScriptError(.valueError, "service scale: the number of replicas must be a whole number of 0 or more, not '\(text)'")
        }
        return (try service(items[0], interp, ctx, "service scale"), n)
    }

    static func apply(_ update: ServiceUpdate, _ t: Target, _ interp: Interpreter, _ command: String) throws -> Value {
        let s = try swarm(t.engine, command)
        let warnings = try t.engine.call(command) { _ in try s.updateService(t.ref, update) }
        try warn(warnings, interp)
        return .object(try object(t.ref, t.engine, command))
    }

    /// The object for a service reference, with its name (one inspect).
    static func object(_ ref: String, _ handle: EngineHandle, _ command: String) throws -> ServiceObject {
        let s = try swarm(handle, command)
        let doc = try handle.call(command) { _ in try s.inspectService(ref) }
        return ServiceObject(id: doc["ID"]?.stringValue ?? ref, name: doc["Spec"]?["Name"]?.stringValue ?? ref, engine: handle)
    }

    static func flatten(_ v: Value) -> [Value] {
        if case .list(let l) = v { return l.flatMap(flatten) }
        return [v]
    }

    /// The engine's warnings, on the context's stderr (as the docker CLI prints them).
    static func warn(_ warnings: [String], _ interp: Interpreter) throws {
        guard !warnings.isEmpty else { return }
        try interp.flush()
        for w in warnings { writeAll(interp.errFD, Array("dks: warning: \(w)\n".utf8)) }
    }

    static func failureValue(_ f: TaskFailure) -> Value {
        JSONValues.map([("id", .string(f.taskID)), ("name", .string(f.taskName)), ("state", .string(f.state)),
                        ("error", .string(f.error)), ("exit_code", f.exitCode.map { .int($0) } ?? .null)])
    }

    // MARK: Methods

    /// `$svc.scale(3)`, `$svc.update(image: ...)`, `$svc.logs(follow: true)`, `$svc.ps()`, `$svc.rm()`:
    /// the verb of `service` bound to this service, with the verb's own options.
    static func method(_ verb: String, on svc: ServiceObject) -> FunctionValue {
        let own: [Param]
        switch verb {
        case "scale": own = [.arg("replicas", "how many tasks")]
        case "update": own = params.filter { ["image", "replicas", "env_add", "env_rm", "label_add", "label_rm", "constraint_add", "constraint_rm",
                                              "update_parallelism", "restart_condition", "restart_delay", "restart_max_attempts", "force"].contains($0.name) }
        case "logs": own = params.filter { ["follow", "tail", "since", "timestamps", "raw"].contains($0.name) }
        default: own = []
        }
        let sig = Signature(verb, topic: "services", own, summary: "service \(verb) of this service.", example: "$svc.\(verb)()")
        let full = signature
        return FunctionValue(builtin: Builtin(sig) { a in
            guard let body = a.interp.registry.lookup("service")?.body else { return .null }
            var values = full.initialValues
            values[0] = .string(verb)
            var rest: [Value] = [.object(svc)]
            for (i, p) in own.enumerated() {
                if p.positional { rest.append(a[i]) } else if let j = full.index(of: p.name) { values[j] = a[i] }
            }
            values[1] = .list(rest)
            var inner = Arguments(values: values, interp: a.interp, usage: a.usage, signature: full, loc: a.loc)
            return try body(&inner)
        })
    }

    // MARK: Tables

    /// `docker service ls`: ID NAME MODE REPLICAS IMAGE PORTS.
    static func serviceTable(_ list: [JSON]) -> String {
        let rows = list.map { doc -> [String] in
            let spec = doc["Spec"] ?? .null
            let global = spec["Mode"]?["Global"] != nil
            let running = doc["ServiceStatus"]?["RunningTasks"]?.intValue.map { String($0) } ?? "?"
            let desired = spec["Mode"]?["Replicated"]?["Replicas"]?.intValue ?? doc["ServiceStatus"]?["DesiredTasks"]?.intValue
            // Published ports, as `*:8080->80/tcp` (dks publishes none; services made elsewhere may).
            let ports = (doc["Endpoint"]?["Ports"]?.arrayValue ?? []).map { p -> String in
                let published = p["PublishedPort"]?.intValue.map { String($0) } ?? ""
                let target = p["TargetPort"]?.intValue.map { String($0) } ?? ""
                return "*:\(published)->\(target)/\(p["Protocol"]?.stringValue ?? "tcp")"
            }
            return [JSONValues.shortID(doc["ID"]?.stringValue ?? ""), spec["Name"]?.stringValue ?? "", global ? "global" : "replicated",
                    "\(running)/\(desired.map { String($0) } ?? "?")", spec["TaskTemplate"]?["ContainerSpec"]?["Image"]?.stringValue ?? "",
                    ports.joined(separator: ", ")]
        }
        return formatTable(header: ["ID", "NAME", "MODE", "REPLICAS", "IMAGE", "PORTS"], rows: rows)
    }

    /// `docker service ps`: ID NAME IMAGE NODE DESIRED STATE CURRENT STATE ERROR; a slot's older
    /// tasks follow its current one, marked `\_`.
    static func taskTable(_ tasks: [ServiceTask], nodes: [String: String]) -> String {
        var rows: [[String]] = []
        var previousGroup: String?
        for t in tasks {
            let group = t.slot.map { String($0) } ?? t.node
            let name = group == previousGroup ? " \\_ " + t.name : t.name
            previousGroup = group
            rows.append([String(t.id.prefix(12)), name, t.doc["Spec"]?["ContainerSpec"]?["Image"]?.stringValue ?? "",
                         nodes[t.node] ?? String(t.node.prefix(12)), t.desired.capitalized, t.state.capitalized, t.error])
        }
        return formatTable(header: ["ID", "NAME", "IMAGE", "NODE", "DESIRED STATE", "CURRENT STATE", "ERROR"], rows: rows)
    }

    /// Node ids to host names (empty when the nodes cannot be listed).
    static func nodeNames(_ handle: EngineHandle, _ command: String) -> [String: String] {
        guard let s = try? swarm(handle, command), let nodes = try? handle.call(command, { _ in try s.nodes(filters: []) }) else { return [:] }
        var out: [String: String] = [:]
        for n in nodes { if let id = n["ID"]?.stringValue { out[id] = n["Description"]?["Hostname"]?.stringValue ?? id } }
        return out
    }
}
