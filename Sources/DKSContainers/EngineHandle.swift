// EngineHandle: one engine of a dks session — the default engine or one `connect` made — with
// its own connection (its provider: one pool per engine) and its own container objects.
// Owns: calling the engine with dks's error mapping, and interning container objects by id so
// one container is one object (equal and hashable alike) per engine.
// Must not: choose which engine a command uses (ContainerContext does) or cache engine state.
import DKSEngine
import DKSLanguage
import DKSSupport

final class EngineHandle: @unchecked Sendable {
    let provider: EngineProvider
    /// How scripts and traces name it: "default", a context name, or the address given to `connect`.
    let name: String
    /// The session it belongs to (which outlives every engine and object).
    unowned let session: ContainerContext
    private let lock = Lock()
    private var containers: [String: ContainerObject] = [:]

    init(provider: EngineProvider, name: String, session: ContainerContext) {
        self.provider = provider
        self.name = name
        self.session = session
    }

    var sessionID: String { session.sessionID }

    /// The engine, with creation failures reported as an EngineError for `command`.
    func engine(_ command: String) throws -> ContainerEngine {
        try ErrorMapping.run(command) { try provider.engine() }
    }

    /// Runs `body` against the engine, mapping engine errors to dks errors for `command`.
    func call<T>(_ command: String, _ body: (ContainerEngine) throws -> T) throws -> T {
        let e = try engine(command)
        return try ErrorMapping.run(command) { try body(e) }
    }

    /// The object for container `id` (always the same object for the same id on this engine).
    func container(id: String, name: String? = nil) -> ContainerObject {
        lock.withLock {
            if let c = containers[id] {
                if let n = name { c.remember(name: n) }
                return c
            }
            let c = ContainerObject(id: id, engine: self, name: name)
            containers[id] = c
            return c
        }
    }

    /// The last name seen of container `id`, if this engine handed out an object for it (asks
    /// the engine nothing).
    func knownName(id: String) -> String? {
        lock.withLock { containers[id] }?.lastSeenName
    }

    /// The container object for a reference the engine resolves (name, id or id prefix).
    func container(ref: String, command: String) throws -> ContainerObject {
        let doc = try call(command) { try $0.inspect(ref) }
        guard let id = doc["Id"]?.stringValue else {
            throw ScriptError(.engineError, "\(command): the engine's inspect document for \(ref) has no Id")
        }
        return container(id: id, name: ContainerObject.cleanName(doc["Name"]?.stringValue))
    }

    /// A container object this engine handed out whose short id is `shortID`, if any.
    func knownContainer(shortID: String) -> ContainerObject? {
        guard shortID.count >= 12 else { return nil }
        return lock.withLock { containers.first { $0.key.hasPrefix(shortID) }?.value }
    }

    /// The engine's object for scripts.
    var object: EngineObject { EngineObject(handle: self) }
}
