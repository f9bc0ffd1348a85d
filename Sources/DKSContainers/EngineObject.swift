// EngineObject: the `engine` value — one engine of the session (the default one, or one that
// `connect` made). Scripts pass it to `use-engine`, compare it, and read what it is.
// Owns: the engine's attributes. Must not: connect before an attribute that needs the engine is read.
import DKSEngine
import DKSLanguage
import DKSSupport

/// `.name`, `.kind` (docker, podman, local), `.host`, `.version`, `.api_version`, `.note`, and
/// `.session` (this dks process's `dks.session` label value).
final class EngineObject: HostObject, @unchecked Sendable {
    let handle: EngineHandle

    init(handle: EngineHandle) { self.handle = handle }

    static let attributes = ["name", "kind", "host", "version", "api_version", "note", "session"]

    override var typeName: String { "engine" }
    override var memberNames: [String] { Self.attributes }

    /// What the engine says about itself (connecting first if needed).
    func info(_ command: String) throws -> EngineInfo { try handle.call(command) { try $0.info() } }

    override func member(_ name: String) throws -> Value? {
        switch name {
        case "name": return .string(handle.name)
        case "session": return .string(handle.sessionID)
        case "kind": return .string(try info("$engine.kind").kind)
        case "host": return .string(try info("$engine.host").host)
        case "version": return .string(try info("$engine.version").version)
        case "api_version": return .string(try info("$engine.api_version").apiVersion)
        case "note": return try info("$engine.note").note.map { .string($0) } ?? .null
        default: return nil
        }
    }

    /// `<engine KIND HOST>`; an engine that cannot be reached shows its name instead.
    override var description: String {
        guard let i = try? info("str") else { return "<engine \(handle.name) (not reachable)>" }
        return "<engine \(i.kind) \(i.host)>"
    }

    override func isEqual(to other: HostObject) -> Bool { (other as? EngineObject)?.handle === handle }
    override func hash(into hasher: inout Hasher) { hasher.combine("engine"); hasher.combine(ObjectIdentifier(handle)) }
}
