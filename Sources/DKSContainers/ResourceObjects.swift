// ResourceObjects: the `volume`, `network` and `engine` values (images: ImageObject). Volumes
// and networks keep the summary the engine listed (their attributes are that snapshot, plus
// `attrs`, read live); the engine object describes the engine in use.
// Must not: expose methods through `member` (commands provide them by uniform call syntax).
import DKSEngine
import DKSLanguage
import DKSSupport

/// A volume: `.name`, `.driver`, `.mountpoint`, `.labels`, `.created_at`, `.attrs` (live).
final class VolumeObject: HostObject, NamedObject {
    let name: String
    let summary: JSON
    unowned let context: ContainerContext

    init(summary: JSON, context: ContainerContext) {
        self.name = summary["Name"]?.stringValue ?? ""
        self.summary = summary
        self.context = context
    }

    var engineRef: String { name }
    override var typeName: String { "volume" }
    override var memberNames: [String] { ["name", "driver", "mountpoint", "labels", "created_at", "attrs", "inspect"] }

    override func member(_ member: String) throws -> Value? {
        switch member {
        case "name": return .string(name)
        case "driver": return JSONValues.value(summary["Driver"])
        case "mountpoint": return JSONValues.value(summary["Mountpoint"])
        case "labels": return JSONValues.stringMap(summary["Labels"])
        case "created_at": return JSONValues.value(summary["CreatedAt"])
        case "attrs": return JSONValues.value(try context.call("$volume.attrs") { try $0.inspectVolume(name) })
        default: return nil
        }
    }

    override var description: String { "<volume \(name)>" }
    override func isEqual(to other: HostObject) -> Bool { (other as? VolumeObject)?.name == name }
    override func hash(into hasher: inout Hasher) { hasher.combine("volume"); hasher.combine(name) }
}

/// A network: `.id`, `.short_id`, `.name`, `.driver`, `.labels`, `.attrs` (live).
final class NetworkObject: HostObject, NamedObject {
    let id: String
    let summary: JSON
    unowned let context: ContainerContext

    init(summary: JSON, context: ContainerContext) {
        self.id = summary["Id"]?.stringValue ?? summary["Name"]?.stringValue ?? ""
        self.summary = summary
        self.context = context
    }

    var name: String { summary["Name"]?.stringValue ?? "" }
    var engineRef: String { id }
    override var typeName: String { "network" }
    override var memberNames: [String] { ["id", "short_id", "name", "driver", "labels", "attrs", "inspect"] }

    override func member(_ member: String) throws -> Value? {
        switch member {
        case "id": return .string(id)
        case "short_id": return .string(JSONValues.shortID(id))
        case "name": return .string(name)
        case "driver": return JSONValues.value(summary["Driver"])
        case "labels": return JSONValues.stringMap(summary["Labels"])
        case "attrs": return JSONValues.value(try context.call("$network.attrs") { try $0.inspectNetwork(id) })
        default: return nil
        }
    }

    override var description: String { "<network \(name) \(JSONValues.shortID(id))>" }
    override func isEqual(to other: HostObject) -> Bool { (other as? NetworkObject)?.id == id }
    override func hash(into hasher: inout Hasher) { hasher.combine("network"); hasher.combine(id) }
}

/// The engine in use: `.kind` (docker, podman, local), `.host`, `.version`, `.api_version`,
/// `.note`, and `.session` (this dks process's `dks.session` label value).
final class EngineObject: HostObject {
    let info: EngineInfo
    let session: String

    init(info: EngineInfo, session: String) {
        self.info = info
        self.session = session
    }

    override var typeName: String { "engine" }
    override var memberNames: [String] { ["kind", "host", "version", "api_version", "note", "session"] }

    override func member(_ name: String) throws -> Value? {
        switch name {
        case "kind": return .string(info.kind)
        case "host": return .string(info.host)
        case "version": return .string(info.version)
        case "api_version": return .string(info.apiVersion)
        case "note": return info.note.map { .string($0) } ?? .null
        case "session": return .string(session)
        default: return nil
        }
    }

    override var description: String { "<engine \(info.kind) \(info.host)>" }
    override func isEqual(to other: HostObject) -> Bool {
        guard let o = other as? EngineObject else { return false }
        return o.info.kind == info.kind && o.info.host == info.host
    }
    override func hash(into hasher: inout Hasher) { hasher.combine("engine"); hasher.combine(info.kind); hasher.combine(info.host) }
}
