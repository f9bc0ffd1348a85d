// ContainerContext: what every container command shares — the engine provider, the session id
// for the `dks.session` label, and the container objects handed out so far.
// Owns: turning a script value (object, name, id prefix) into an engine reference, and
// interning container objects so one container is one object (equal and hashable alike).
// Must not: hold engine state beyond ids (every attribute but the id is read live).
import DKSEngine
import DKSLanguage
import DKSSupport

final class ContainerContext: @unchecked Sendable {
    let provider: EngineProvider
    /// One random id per dks process, on every container it creates (`dks.session`).
    let sessionID: String
    private let lock = Lock()
    private var containers: [String: ContainerObject] = [:]

    init(provider: EngineProvider, sessionID: String = ContainerContext.newSessionID()) {
        self.provider = provider
        self.sessionID = sessionID
    }

    /// 16 random hex digits.
    static func newSessionID() -> String {
        var g = SystemRandomNumberGenerator()
        let n = g.next() as UInt64
        let hex = String(n, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// The engine, with creation failures reported as an EngineError for `command`.
    func engine(_ command: String) throws -> ContainerEngine {
        try ErrorMapping.run(command) { try provider.engine() }
    }

    /// Runs `body` against the engine, mapping engine errors to dks errors for `command`.
    func call<T>(_ command: String, _ body: (ContainerEngine) throws -> T) throws -> T {
        let e = try engine(command)
        return try ErrorMapping.run(command) { try body(e) }
    }

    /// The last name seen of container `id`, if dks has an object for it (asks the engine nothing).
    func knownName(id: String) -> String? {
        lock.withLock { containers[id] }?.lastSeenName
    }

    /// The object for container `id` (always the same object for the same id).
    func container(id: String, name: String? = nil) -> ContainerObject {
        lock.withLock {
            if let c = containers[id] {
                if let n = name { c.remember(name: n) }
                return c
            }
            let c = ContainerObject(id: id, context: self, name: name)
            containers[id] = c
            return c
        }
    }

    /// The container object for a reference the engine resolves (name, id or id prefix).
    func container(ref: String, command: String) throws -> ContainerObject {
        let doc = try call(command) { try $0.inspect(ref) }
        guard let id = doc["Id"]?.stringValue else {
            throw ScriptError(.engineError, "\(command): the engine's inspect document for \(ref) has no Id")
        }
        return container(id: id, name: ContainerObject.cleanName(doc["Name"]?.stringValue))
    }

    /// The engine reference for a value where a container is expected: a container object,
    /// a name, or an id (prefix). Numbers count as id prefixes (`1f3a` may lex as text, `123` as a number).
    /// Names lose their leading and trailing `/`, as the docker CLI's do: inspect's `.Name` is
    /// `/web`, and `rm -f "/web"` must remove web (not reach the daemon as `%2Fweb`, which it
    /// answers with a redirect).
    func ref(_ v: Value, command: String, what: String = "container") throws -> String {
        switch v {
        case .object(let o as ContainerObject): return o.id
        case .object(let o as NamedObject): return o.engineRef
        case .string(let s) where !s.isEmpty:
            let trimmed = ContainerContext.trimSlashes(s)
            guard !trimmed.isEmpty else { throw ScriptError(.valueError, "\(command): '\(s)' is not \(withArticle(what)) name") }
            return trimmed
        case .int: return v.str
        case .object(let w as NumberWord): return w.spelling
        default:
            throw ScriptError(.typeError, "\(command): expected \(withArticle(what)) (object, name or id), got \(v.typeName) \(v.repr.prefix(40))")
        }
    }

    /// How a message names a container: its name (the last one seen, else asked of the engine),
    /// else its short id — never the 64-character id. For a reference given as text: the text,
    /// unless it is a full id. Only for error paths: it may make one engine request.
    func label(_ v: Value, ref: String) -> String {
        if case .object(let o as ContainerObject) = v { return o.label() }
        guard ref.count == 64, ref.allSatisfy(\.isHexDigit) else { return ref }
        if let c = lock.withLock({ containers[ref] }) { return c.label() }
        if let doc = try? call("label", { try $0.inspect(ref) }), let n = ContainerObject.cleanName(doc["Name"]?.stringValue) { return n }
        return JSONValues.shortID(ref)
    }

    /// `s` without leading and trailing `/`.
    static func trimSlashes(_ s: String) -> String {
        var t = Substring(s)
        while t.hasPrefix("/") { t = t.dropFirst() }
        while t.hasSuffix("/") { t = t.dropLast() }
        return String(t)
    }

    /// Every container reference in a list of values (lists are flattened: `rm (ps -a)`).
    func refs(_ values: [Value], command: String) throws -> [String] {
        var out: [String] = []
        for v in values {
            if case .list(let inner) = v { out += try refs(inner, command: command) } else { out.append(try ref(v, command: command)) }
        }
        return out
    }
}

/// Engine objects other than containers, which commands accept by object or by name.
protocol NamedObject: AnyObject {
    var engineRef: String { get }
}
