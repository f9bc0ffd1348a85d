// EngineCommands: `engine`, `connect(...)`, `contexts()` and `use-engine` — engines as values,
// and which one the commands of an interpreter context use.
// Must not: reach a daemon itself (the connector makes engines) or change the engine of
// another context (`use-engine` in a `parallel` worker is the worker's alone).
import DKSEngine
import DKSLanguage
import DKSSupport

enum EngineCommands {
    static func register(_ r: BuiltinRegistry, _ ctx: ContainerContext) {
        r.register(Signature("engine", topic: "engines",
                             [.arg("of", default: .null, "an object (container, image, volume, network, service, exec): its engine")],
                             summary: "The engine in use (the one use-engine chose, else the default: --engine, --host, DOCKER_HOST, the docker context, the local socket), or the engine an object lives on. Attributes: .name (default, a context name or the address given to connect), .kind (docker, podman or local), .host, .version, .api_version, .note, and .session (the dks.session label of the containers this dks process creates). Reading .kind and the others connects.",
                             example: "echo (engine).kind\nif (engine).kind == \"local\" { echo no isolation here }\n$c = run -d busybox sleep 30\necho (engine $c).name   # the engine it lives on\nrm -f $c")) { a in
            if a.isGiven(0) {
                switch a[0] {
                case .object(let o as EngineObject): return .object(o)
                case .object(let o as ContainerObject): return .object(o.engine.object)
                case .object(let o as EngineBound): return .object(o.engine.object)
                case .object(let o as ExecObject): return .object(o.engine.object)
                default: throw ScriptError(.typeError, "engine: expected an object of an engine (container, image, volume, network, service, exec), got \(a[0].typeName)")
                }
            }
            let handle = ctx.current(a.interp)
            // As before: `engine` alone connects, so a script learns at once whether it has one.
            _ = try handle.call("engine") { try $0.info() }
            return .object(handle.object)
        }
        r.register(Signature("connect", topic: "engines",
                             [.arg("host", "unix:///path, tcp://host:port, or the name of a docker CLI context"),
                              .option("tls", "BOOL", default: nil, "TLS on or off (default: on for https:// or with DOCKER_TLS_VERIFY, or when a certificate is given)"),
                              .option("cert_path", "DIR", default: nil, "a directory with ca.pem, cert.pem and key.pem, as DOCKER_CERT_PATH"),
                              .option("ca", "FILE", default: nil, "the CA that signed the daemon's certificate"),
                              .option("cert", "FILE", default: nil, "the client certificate"),
                              .option("key", "FILE", default: nil, "the client certificate's key"),
                              .option("verify", "BOOL", default: .bool(true), "verify the daemon's certificate"),
                              .option("timeout", "DURATION", default: .int(10), "how long connecting may take")],
                             summary: "Connects to another engine and returns it (an engine value, for use-engine). HOST is an address (unix:///path, tcp://host:port, a bare /path) or a docker CLI context's name (its address and TLS files; see contexts()). tcp:// honours DOCKER_TLS_VERIFY and DOCKER_CERT_PATH as the docker CLI does unless the options say otherwise. The engine must answer: an EngineError names the address and why (refused, timed out, TLS handshake or verification failed). Objects keep the engine they came from, so their methods and attributes reach it from anywhere. Connecting to the same address twice gives the same engine.",
                             example: "$b = connect(\"tcp://10.0.0.2:2376\", cert_path: \"/etc/dks/certs\")\n$staging = connect(\"staging\")           # a docker context\nuse-engine $b { ps }")) { a in
            let target = try a.string(0)
            guard !target.isEmpty else { throw ScriptError(.valueError, "connect: the host is empty; give an address (tcp://host:port, unix:///path) or a context name") }
            var request = EngineRequest(target: target)
            if a.isGiven(1) { request.tls = a[1].isTruthy }
            request.certPath = try a.optionalString(2)
            request.ca = try a.optionalString(3)
            request.cert = try a.optionalString(4)
            request.key = try a.optionalString(5)
            request.verify = a[6].isTruthy
            request.timeout = try a.duration(7)
            return .object(try connect(request, ctx).object)
        }
        r.register(Signature("contexts", topic: "engines", [],
                             summary: "The docker CLI's contexts (~/.docker/contexts, or $DOCKER_CONFIG's), `default` first: a list of maps {name, description, host, current, tls}. current is the one the docker CLI would use now (DOCKER_CONTEXT, else currentContext in config.json). At statement level it prints a table, as docker context ls does. connect(NAME) connects to one.",
                             example: "for $c in contexts() { echo $c.name $c.host }\ncontexts")) { a in
            guard let connector = ctx.connector else { throw ScriptError(.engineError, "contexts: this dks has no docker CLI contexts to read") }
            let list = try ErrorMapping.run("contexts") { try connector.contexts() }
            let value: Value = .list(list.map { c in
                JSONValues.map([("name", .string(c.name)), ("description", .string(c.description)), ("host", .string(c.host)),
                                ("current", .bool(c.current)), ("tls", .bool(c.tls))])
            })
            if a.usage == .statement {
                let rows = list.map { [$0.name + ($0.current ? " *" : ""), $0.description, $0.host] }
                try a.interp.out.write(formatTable(header: ["NAME", "DESCRIPTION", "DOCKER ENDPOINT"], rows: rows) + "\n")
                return .null
            }
            return value
        }
        let use = Signature("use-engine", topic: "engines",
                            [.arg("engine", "an engine (from connect, engine, or an object's .engine), or an address or context name"),
                             .arg("block", default: .null, "run this block against the engine, then switch back")],
                            summary: "Makes ENGINE the one that commands use: with a BLOCK, for the block only (also when it fails; its value is returned); without one, for the rest of the enclosing function, or of the script (or prompt session) at the top level, like a defer that switches back. Objects always use their own engine, whatever is in use. In parallel, each worker starts with the engine in use where parallel was called.",
                            example: "use-engine $b { run -d --name web nginx }\nfn on_staging() { use-engine staging; ps }")
        use.usesCallerScope = true
        r.register(use) { a in
            let handle = try engineHandle(a[0], ctx, "use-engine")
            let selection = ctx.selection(a.interp)
            let previous = selection.handle
            if a.isGiven(1) {
                let block = try a.function(1)
                selection.handle = handle
                defer { selection.handle = previous }
                return try a.interp.call(block, [], loc: a.loc)
            }
            // Registered first: if it cannot be (not a direct call), nothing is switched.
            try a.interp.deferInCallerScope("use-engine") { selection.handle = previous }
            selection.handle = handle
            return .null
        }
        alias(r, "use_engine", of: use)
    }

    /// The session's engine for `request`, connecting (and checking it answers) the first time.
    static func connect(_ request: EngineRequest, _ ctx: ContainerContext) throws -> EngineHandle {
        guard let connector = ctx.connector else {
            throw ScriptError(.engineError, "connect: this dks cannot connect to other engines")
        }
        let (key, name) = try ErrorMapping.run("connect") { try connector.identify(request) }
        return try ctx.engine(key: key) {
            // The new engine's own calls (connecting) are traced with its name already.
            ctx.tracer?.engineCount = ctx.engines.count + 1
            let made: ContainerEngine
            do { made = try ErrorMapping.run("connect") { try connector.connect(request, trace: ctx.tracer?.tracer(for: name)) } } catch {
                ctx.tracer?.engineCount = ctx.engines.count
                throw error
            }
            let provider = EngineProvider(engine: made)
            provider.interactiveSession = ctx.defaultEngine.provider.interactiveSession
            return EngineHandle(provider: provider, name: name, session: ctx)
        }
    }

    /// An engine value, or an address or context name to connect to with the defaults.
    static func engineHandle(_ v: Value, _ ctx: ContainerContext, _ command: String) throws -> EngineHandle {
        switch v {
        case .object(let o as EngineObject): return o.handle
        case .string(let s) where !s.isEmpty: return try connect(EngineRequest(target: s), ctx)
        default:
            throw ScriptError(.typeError, "\(command): expected an engine (from connect or engine) or an address, got \(v.typeName) \(v.repr.prefix(40))")
        }
    }

    /// A second spelling of a command (for method calls, which cannot contain '-').
    static func alias(_ r: BuiltinRegistry, _ name: String, of sig: Signature) {
        guard let b = r.lookup(sig.name) else { return }
        let s = Signature(name, topic: sig.topic, sig.params, summary: "The same as \(sig.name) (the spelling for method calls).",
                          example: "\(name)(...)")
        s.usesCallerScope = sig.usesCallerScope
        s.verbsThatStopOptions = sig.verbsThatStopOptions
        r.register(s, b.body)
    }
}
