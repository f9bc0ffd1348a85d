// ResourceObjects: the `volume` and `network` values (images: ImageObject; engines:
// EngineObject). They keep the summary their engine listed (their attributes are that snapshot,
// plus `attrs`, read live from that engine) and the engine they came from (`.engine`), where
// their commands and methods go.
// Must not: expose methods through `member` (commands provide them by uniform call syntax).
import DKSEngine
import DKSLanguage
import DKSSupport

/// A volume: `.name`, `.driver`, `.mountpoint`, `.labels`, `.created_at`, `.attrs` (live).
final class VolumeObject: HostObject, EngineBound {
    let name: String
    let summary: JSON
    unowned let engine: EngineHandle

    init(summary: JSON, engine: EngineHandle) {
        self.name = summary["Name"]?.stringValue ?? ""
        self.summary = summary
        self.engine = engine
    }

    var engineRef: String { name }
    override var typeName: String { "volume" }
    override var memberNames: [String] { ["name", "driver", "mountpoint", "labels", "created_at", "attrs", "engine", "inspect"] }

    override func member(_ member: String) throws -> Value? {
        switch member {
        case "name": return .string(name)
        case "driver": return JSONValues.value(summary["Driver"])
        case "mountpoint": return JSONValues.value(summary["Mountpoint"])
        case "labels": return JSONValues.stringMap(summary["Labels"])
        case "created_at": return JSONValues.value(summary["CreatedAt"])
        case "attrs": return JSONValues.value(try engine.call("$volume.attrs") { try $0.inspectVolume(name) })
        case "engine": return .object(engine.object)
        default: return nil
        }
    }

    override var description: String { "<volume \(name)>" }
    override func isEqual(to other: HostObject) -> Bool { (other as? VolumeObject).map { $0.name == name && $0.engine === engine } ?? false }
    override func hash(into hasher: inout Hasher) { hasher.combine("volume"); hasher.combine(name) }
}

/// A network: `.id`, `.short_id`, `.name`, `.driver`, `.labels`, `.attrs` (live).
final class NetworkObject: HostObject, EngineBound {
    let id: String
    let summary: JSON
    unowned let engine: EngineHandle

    init(summary: JSON, engine: EngineHandle) {
        self.id = summary["Id"]?.stringValue ?? summary["Name"]?.stringValue ?? ""
        self.summary = summary
        self.engine = engine
    }

    var name: String { summary["Name"]?.stringValue ?? "" }
    var engineRef: String { id }
    override var typeName: String { "network" }
    override var memberNames: [String] { ["id", "short_id", "name", "driver", "labels", "attrs", "engine", "inspect"] }

    override func member(_ member: String) throws -> Value? {
        switch member {
        case "id": return .string(id)
        case "short_id": return .string(JSONValues.shortID(id))
        case "name": return .string(name)
        case "driver": return JSONValues.value(summary["Driver"])
        case "labels": return JSONValues.stringMap(summary["Labels"])
        case "attrs": return JSONValues.value(try engine.call("$network.attrs") { try $0.inspectNetwork(id) })
        case "engine": return .object(engine.object)
        default: return nil
        }
    }

    override var description: String { "<network \(name) \(JSONValues.shortID(id))>" }
    override func isEqual(to other: HostObject) -> Bool { (other as? NetworkObject).map { $0.id == id && $0.engine === engine } ?? false }
    override func hash(into hasher: inout Hasher) { hasher.combine("network"); hasher.combine(id) }
}
