// ContainerObject: the `container` value scripts hold. `id`, `short_id` and `engine` are fixed;
// every other attribute is read live from its engine on each access (no reload(), unlike docker-py).
// Must not: cache state other than the last name seen (only for printing a removed container)
// or return methods from `member` (methods come from uniform call syntax: `$c.logs()` is `logs $c`).
import DKSEngine
import DKSLanguage
import DKSSupport

/// A container of the engine, identified by its full id.
final class ContainerObject: HostObject, @unchecked Sendable {
    let id: String
    /// The engine it lives on: every method and live attribute goes there.
    unowned let engine: EngineHandle
    private let lock = Lock()
    private var lastName: String?

    /// Attributes, in the order completion lists them.
    static let attributes = ["id", "short_id", "name", "image", "labels", "status", "health", "exit_code", "started_at", "attrs", "engine"]
    /// Commands whose first positional is a container, so `$c.NAME(...)` works as a method.
    static let methods = ["start", "stop", "restart", "kill", "pause", "unpause", "rename", "rm", "exec", "logs", "wait",
                          "wait_healthy", "wait_log", "inspect", "top", "stats", "diff"]

    init(id: String, engine: EngineHandle, name: String?) {
        self.id = id
        self.engine = engine
        self.lastName = name
    }

    /// Docker names start with "/"; dks shows them without.
    static func cleanName(_ name: String?) -> String? {
        guard let n = name else { return nil }
        return n.hasPrefix("/") ? String(n.dropFirst()) : n
    }

    func remember(name: String) { lock.withLock { lastName = name } }

    /// The last name seen (nil when none was), without asking the engine.
    var lastSeenName: String? { lock.withLock { lastName } }

    /// How messages name it without asking the engine: the last name seen, else the short id.
    var displayName: String { lock.withLock { lastName } ?? shortID }

    var shortID: String { JSONValues.shortID(id) }

    /// How an error message names it: the last name seen, else the name the engine gives now
    /// (one request: error paths only), else the short id.
    func label() -> String {
        if let n = lock.withLock({ lastName }) { return n }
        if let doc = try? inspect("label"), let n = Self.cleanName(doc["Name"]?.stringValue) { return n }
        return shortID
    }

    override var typeName: String { "container" }
    override var memberNames: [String] { Self.attributes + Self.methods }

    /// The inspect document now. Remembers the name for printing after removal.
    func inspect(_ command: String = "container") throws -> JSON {
        let doc = try engine.call(command) { try $0.inspect(id) }
        if let n = Self.cleanName(doc["Name"]?.stringValue) { remember(name: n) }
        return doc
    }

    override func member(_ name: String) throws -> Value? {
        switch name {
        case "id": return .string(id)
        case "short_id": return .string(shortID)
        case "engine": return .object(engine.object)
        case "name", "image", "labels", "status", "health", "exit_code", "started_at", "attrs":
            return try liveAttribute(name)
        default: return nil
        }
    }

    private func liveAttribute(_ name: String) throws -> Value {
        let doc: JSON
        do { doc = try inspect("$c.\(name)") } catch let e as ScriptError where e.kind == .notFound {
            // A removed container still has a status: scripts polling `.status` need no try/catch.
            if name == "status" { return .string("removed") }
            throw ScriptError(.notFound, "container \(lock.withLock { lastName } ?? shortID) no longer exists (reading .\(name))")
        }
        let state = doc["State"] ?? .null
        switch name {
        case "name": return .string(Self.cleanName(doc["Name"]?.stringValue) ?? "")
        case "image": return .string(doc["Config"]?["Image"]?.stringValue ?? doc["Image"]?.stringValue ?? "")
        case "labels": return JSONValues.stringMap(doc["Config"]?["Labels"])
        case "status": return .string(state["Status"]?.stringValue ?? "unknown")
        case "health":
            let h = state["Health"]?["Status"]?.stringValue ?? ""
            return .string(h.isEmpty ? "none" : h)
        case "exit_code": return state["ExitCode"]?.intValue.map { .int(Int($0)) } ?? .null
        case "started_at": return JSONValues.value(state["StartedAt"])
        default: return JSONValues.value(doc)
        }
    }

    /// `<container NAME SHORT_ID>`; the name is read live, falling back to the last one seen.
    override var description: String {
        let name: String
        if let doc = try? engine.call("str", { try $0.inspect(id) }), let n = Self.cleanName(doc["Name"]?.stringValue) {
            remember(name: n)
            name = n
        } else {
            name = lock.withLock { lastName } ?? "?"
        }
        return "<container \(name) \(shortID)>"
    }

    override func isEqual(to other: HostObject) -> Bool {
        guard let o = other as? ContainerObject else { return false }
        return o.id == id && o.engine === engine
    }
    override func hash(into hasher: inout Hasher) { hasher.combine("container"); hasher.combine(id) }
}
