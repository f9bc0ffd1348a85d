// ListCommands: the read-only container commands — ps, get, inspect, top, diff — and
// prune. Must not: change containers (prune is the one exception, and it only asks the engine).
import DKSBuiltins
import DKSEngine
import DKSLanguage
import DKSSupport

enum ListCommands {
    static func register(_ r: BuiltinRegistry, _ ctx: ContainerContext) {
        let c = Param.arg("container", "a container (object, name or id)")
        r.register(Signature("ps", topic: "containers",
                             [.flag("all", short: "a", "include stopped containers"),
                              .repeated("filter", "KEY=VALUE", "as docker ps: status=running, label=K=V, name=N, ancestor=IMAGE ..."),
                              .flag("quiet", short: "q", "short ids (strings) instead of container objects")],
                             summary: "The running containers (with -a, all of them) as a list of container objects, newest first. --filter narrows it as the docker CLI's does; -q gives short ids instead. At statement level it prints a table, as docker ps does.",
                             example: "for $c in (ps --filter label=app=web) { echo $c.name $c.status }\nrm -f (ps -a --filter \"label=dks.session=${(engine).session}\")")) { a in
            let filters = try RunOptions.parseFilters(RunOptions.flatStrings(a[1]), command: "ps")
            let all = a.bool(0)
            let summaries = try ctx.call("ps") { try $0.list(all: all, filters: filters) }
            var out: [Value] = []
            for s in summaries {
                guard let id = s["Id"]?.stringValue else { continue }
                if a.bool(2) { out.append(.string(JSONValues.shortID(id))); continue }
                let name = ContainerObject.cleanName(s["Names"]?.arrayValue?.first?.stringValue)
                out.append(.object(ctx.container(id: id, name: name)))
            }
            // At statement level, as the prompt shows it: a table (spec §7).
            if a.usage == .statement && !a.bool(2) {
                try QueryPresentation.print(.list(out), header: QueryPresentation.containerHeader, a.interp)
                return .null
            }
            return .list(out)
        }
        registerGet(r, ctx)
        r.register(Signature("inspect", topic: "containers", [.arg("object", "a container, image, volume or network (object or name)")],
                             summary: "The engine's inspect document as a map, with the Docker API's field names (State.Status, Config.Labels, NetworkSettings ...). A name is looked up as a container, then an image, a volume, a network. At statement level it prints the document as indented JSON.",
                             example: "$doc = inspect $c\necho $doc.State.Status $doc.Config.Image\ninspect $c | ^jq .State.Status")) { a in
            let doc = try inspect(a[0], ctx)
            if a.usage == .statement {
                try a.interp.out.write((try GeneralBuiltins.jsonEncode(doc)).encodedIndented() + "\n")
                return .null
            }
            return doc
        }
        r.register(Signature("top", topic: "containers", [c, .option("ps_args", "ARGS", default: nil, "arguments for ps, e.g. 'aux'")],
                             summary: "The container's processes: {titles: [...], processes: [{PID: ..., CMD: ...}, ...]}, each process a map keyed by the titles.",
                             example: "for $p in (top $c).processes { echo $p.PID $p.CMD }")) { a in
            let ref = try ctx.ref(a[0], command: "top")
            let psArgs = try a.optionalString(1)
            let doc = try ctx.call("top") { try $0.top(ref, psArgs: psArgs) }
            let titles = (doc["Titles"]?.arrayValue ?? []).map { $0.stringValue ?? "" }
            let procs: [Value] = (doc["Processes"]?.arrayValue ?? []).map { row in
                let cells = row.arrayValue ?? []
                return JSONValues.map(zip(titles, cells).map { ($0, JSONValues.value($1)) })
            }
            return JSONValues.map([("titles", .list(titles.map { .string($0) })), ("processes", .list(procs))])
        }
        r.register(Signature("diff", topic: "containers", [c],
                             summary: "The container's filesystem changes against its image: a list of {path: ..., kind: A|C|D} (added, changed, deleted).",
                             example: "for $ch in (diff $c) { echo $ch.kind $ch.path }")) { a in
            let ref = try ctx.ref(a[0], command: "diff")
            let changes = try ctx.call("diff") { try $0.diff(ref) }
            return .list(changes.map { ch in
                let kind: String
                switch ch["Kind"]?.intValue ?? -1 {
                case 0: kind = "C"
                case 1: kind = "A"
                case 2: kind = "D"
                default: kind = "?"
                }
                return JSONValues.map([("path", JSONValues.value(ch["Path"])), ("kind", .string(kind))])
            })
        }
        r.register(Signature("prune", topic: "containers",
                             [.arg("what", "containers, images, volumes or networks"),
                              .repeated("filter", "KEY=VALUE", "e.g. label=dks.session=..., until=1h")],
                             summary: "Removes every stopped container (or unused image, volume, network) that matches the filters, and returns {deleted: [ids or names], space_reclaimed: bytes}.",
                             example: "$r = prune containers --filter label=app=test\necho (len $r.deleted) removed")) { a in
            let what = try a.string(0)
            guard ["containers", "images", "volumes", "networks"].contains(what) else {
                throw ScriptError(.valueError, "prune: what must be containers, images, volumes or networks, not '\(what)'")
            }
            let filters = try RunOptions.parseFilters(RunOptions.flatStrings(a[1]), command: "prune")
            let result = try ctx.call("prune") { try $0.prune(what, filters: filters) }
            return JSONValues.map([("deleted", .list(result.deleted.map { .string($0) })),
                                   ("space_reclaimed", .int(Int(result.spaceReclaimed)))])
        }
    }

    /// `get` is both the collections builtin `get(map, key, default)` and the container lookup
    /// `get NAME_OR_ID`: one argument that is a name or id means the container.
    private static func registerGet(_ r: BuiltinRegistry, _ ctx: ContainerContext) {
        let collectionGet = r.lookup("get")
        let sig = Signature("get", topic: "containers",
                            [.arg("target", "a container name or id; or a map/list"),
                             .arg("key", default: .null, "with a map or list: the key or index"),
                             .arg("default", default: .null, "with a map or list: the value when the key is missing")],
                            summary: "get NAME_OR_ID returns the container with that name or id (prefix), or raises NotFound. get(MAP_OR_LIST, KEY, DEFAULT) returns MAP[KEY], or DEFAULT when the key (or index) is missing, instead of an error.",
                            example: "$web = get web\nget({a: 1}, \"b\", 0)   # 0")
        r.register(sig) { a in
            let isName: Bool
            switch a[0] {
            // An all-digit id prefix (`get 76`) is a number word: it is a name too.
            case .string, .int, .object(is ContainerObject): isName = !a.isGiven(1)
            default: isName = false
            }
            if isName {
                return .object(try ctx.container(ref: try ctx.ref(a[0], command: "get"), command: "get"))
            }
            guard let g = collectionGet else { throw ScriptError(.typeError, "get: expected a container name or id") }
            var inner = a.rebound(to: g.signature)
            return try g.body(&inner)
        }
    }

    /// `inspect X`: by object type, or for a name: container, image, volume, network in turn.
    static func inspect(_ v: Value, _ ctx: ContainerContext) throws -> Value {
        switch v {
        case .object(let o as ContainerObject): return JSONValues.value(try o.inspect("inspect"))
        case .object(let o as ImageObject): return JSONValues.value(try ctx.call("inspect") { try $0.inspectImage(o.id) })
        case .object(let o as VolumeObject): return JSONValues.value(try ctx.call("inspect") { try $0.inspectVolume(o.name) })
        case .object(let o as NetworkObject): return JSONValues.value(try ctx.call("inspect") { try $0.inspectNetwork(o.id) })
        default: break
        }
        let ref = try ctx.ref(v, command: "inspect", what: "container, image, volume or network")
        let engine = try ctx.engine("inspect")
        let lookups: [(ContainerEngine) throws -> JSON] = [
            { try $0.inspect(ref) }, { try $0.inspectImage(ref) }, { try $0.inspectVolume(ref) }, { try $0.inspectNetwork(ref) },
        ]
        for lookup in lookups {
            do { return JSONValues.value(try lookup(engine)) } catch let e as EngineError where e.kind == .notFound || e.kind == .unsupported {
                continue
            } catch {
                throw ErrorMapping.map(error, command: "inspect")
            }
        }
        throw ScriptError(.notFound, "inspect: no container, image, volume or network named \(ref); list them with 'ps -a', 'images', 'volume ls', 'network ls'")
    }
}
