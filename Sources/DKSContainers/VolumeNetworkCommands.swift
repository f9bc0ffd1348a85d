// VolumeNetworkCommands: `volume create|ls|rm` and `network create|ls|rm` (the sub-verb is the
// first positional). Must not: manage containers' connections (run --network does that).
import DKSEngine
import DKSLanguage
import DKSSupport

enum VolumeNetworkCommands {
    static func register(_ r: BuiltinRegistry, _ ctx: ContainerContext) {
        r.register(Signature("volume", topic: "volumes",
                             [.arg("verb", "create, ls or rm"), .rest("names", "volume names (create: at most one; rm: any)"),
                              .option("driver", short: "d", "DRIVER", default: nil, "create: the volume driver"),
                              .repeated("label", short: "l", "KEY=VALUE", "create: a label"),
                              .repeated("filter", "KEY=VALUE", "ls: e.g. label=K=V, name=N, dangling=true"),
                              .flag("force", short: "f", "rm: remove even if in use")],
                             summary: "volume create [NAME] returns a new volume (a generated name when none); volume ls returns the volumes as a list (at statement level it prints a table); volume rm NAME... removes them. Volume objects have .name, .driver, .mountpoint, .labels, .created_at, .attrs.",
                             example: "$v = volume create data -l app=test\nrun --rm -v data:/data dks-test/busybox touch /data/x\nvolume rm data")) { a in
            let verb = try a.string(0)
            let names = RunOptions.flatStrings(a[1])
            switch verb {
            case "create":
                guard names.count <= 1 else { throw ScriptError(.valueError, "volume create: give at most one name") }
                let labels = RunOptions.flatStrings(a[3]).map(RunOptions.splitKeyValue) + [("dks.session", ctx.sessionID)]
                let driver = try a.optionalString(2)
                let doc = try ctx.call("volume create") { try $0.createVolume(name: names.first, driver: driver, labels: labels) }
                return .object(VolumeObject(summary: doc, context: ctx))
            case "ls":
                let filters = try RunOptions.parseFilters(RunOptions.flatStrings(a[4]), command: "volume ls")
                let list = try ctx.call("volume ls") { try $0.volumes(filters: filters) }
                let volumes: Value = .list(list.map { .object(VolumeObject(summary: $0, context: ctx)) })
                if a.usage == .statement {
                    try QueryPresentation.print(volumes, header: QueryPresentation.volumeHeader, a.interp)
                    return .null
                }
                return volumes
            case "rm":
                let refs = try a.list(1).map { try ctx.ref($0, command: "volume rm", what: "volume") }
                let force = a.bool(5)
                for ref in refs { try ctx.call("volume rm") { try $0.removeVolume(ref, force: force) } }
                return .null
            default:
                throw ScriptError(.valueError, "volume: unknown verb '\(verb)'; use volume create, volume ls or volume rm")
            }
        }
        r.register(Signature("network", topic: "networks",
                             [.arg("verb", "create, ls or rm"), .rest("names", "network names (create: exactly one; rm: any)"),
                              .option("driver", short: "d", "DRIVER", default: nil, "create: the network driver (bridge by default)"),
                              .repeated("label", short: "l", "KEY=VALUE", "create: a label"),
                              .repeated("filter", "KEY=VALUE", "ls: e.g. label=K=V, name=N, driver=D")],
                             summary: "network create NAME returns a new network; network ls returns the networks as a list; network rm NAME... removes them. Network objects have .id, .short_id, .name, .driver, .labels, .attrs.",
                             example: "$n = network create testnet\nrun -d --network testnet --name db dks-test/busybox sleep 60\nnetwork rm testnet")) { a in
            let verb = try a.string(0)
            let names = RunOptions.flatStrings(a[1])
            switch verb {
            case "create":
                guard names.count == 1, let name = names.first else { throw ScriptError(.valueError, "network create: give exactly one name") }
                let labels = RunOptions.flatStrings(a[3]).map(RunOptions.splitKeyValue) + [("dks.session", ctx.sessionID)]
                let driver = try a.optionalString(2)
                let doc = try ctx.call("network create") { try $0.createNetwork(name: name, driver: driver, labels: labels) }
                // Create answers only {Id, Warning}; the object wants the full document.
                let id = doc["Id"]?.stringValue ?? name
                let full = (try? ctx.call("network create") { try $0.inspectNetwork(id) }) ?? doc
                return .object(NetworkObject(summary: full, context: ctx))
            case "ls":
                let filters = try RunOptions.parseFilters(RunOptions.flatStrings(a[4]), command: "network ls")
                let list = try ctx.call("network ls") { try $0.networks(filters: filters) }
                return .list(list.map { .object(NetworkObject(summary: $0, context: ctx)) })
            case "rm":
                let refs = try a.list(1).map { try ctx.ref($0, command: "network rm", what: "network") }
                for ref in refs { try ctx.call("network rm") { try $0.removeNetwork(ref) } }
                return .null
            default:
                throw ScriptError(.valueError, "network: unknown verb '\(verb)'; use network create, network ls or network rm")
            }
        }
    }
}
