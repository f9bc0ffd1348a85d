// LocalEngine+Unsupported: the verbs that need images, volumes, networks or a container filesystem,
// plus top/stats (host /proc views). Must not: pretend — every refusal names the local engine.
import DKSEngine

extension LocalEngine {
    static func unsupported(_ what: String) -> EngineError {
        EngineError(.unsupported, "the local engine has no \(what) (containers are host processes); use --engine docker")
    }

    public func top(_ ref: String, psArgs: String?) throws -> JSON {
        try withLock {
            let r = try record(ref)
            guard r.isLive else { throw EngineError(.conflict, "Container \(r.id) is not running", status: 409) }
            return ProcessTable.top(group: r.pid)
        }
    }

    public func stats(_ ref: String) throws -> JSON {
        let (pid, id, name): (Int32, String, String) = try withLock {
            let r = try record(ref)
            return (r.isLive ? r.pid : 0, r.id, r.name)
        }
        return ProcessTable.stats(group: pid, id: id, name: name)
    }

    public func diff(_ ref: String) throws -> [JSON] {
        _ = try withLock { try record(ref) }
        throw Self.unsupported("container filesystem to diff")
    }

    public func copyOut(_ ref: String, path: String) throws -> [UInt8] {
        _ = try withLock { try record(ref) }
        throw Self.unsupported("container filesystem to copy from; its files are in the host folder shown by inspect's Config.WorkingDir")
    }

    public func copyIn(_ ref: String, path: String, tar: [UInt8]) throws {
        _ = try withLock { try record(ref) }
        throw Self.unsupported("container filesystem to copy into; its files are in the host folder shown by inspect's Config.WorkingDir")
    }

    public func images(all: Bool, filters: [(String, String)]) throws -> [JSON] { throw Self.unsupported("images") }
    public func pull(_ ref: String, onProgress: (JSON) -> Void) throws { throw Self.unsupported("images to pull") }
    public func tag(_ source: String, repository: String, tag: String?) throws { throw Self.unsupported("images to tag") }
    public func removeImage(_ ref: String, force: Bool) throws -> [JSON] { throw Self.unsupported("images to remove") }
    public func inspectImage(_ ref: String) throws -> JSON { throw Self.unsupported("images to inspect") }

    public func createVolume(name: String?, driver: String?, labels: [(String, String)]) throws -> JSON { throw Self.unsupported("volumes") }
    public func volumes(filters: [(String, String)]) throws -> [JSON] { throw Self.unsupported("volumes") }
    public func removeVolume(_ name: String, force: Bool) throws { throw Self.unsupported("volumes") }
    public func inspectVolume(_ name: String) throws -> JSON { throw Self.unsupported("volumes") }

    public func createNetwork(name: String, driver: String?, labels: [(String, String)]) throws -> JSON { throw Self.unsupported("networks") }
    public func networks(filters: [(String, String)]) throws -> [JSON] { throw Self.unsupported("networks") }
    public func removeNetwork(_ ref: String) throws { throw Self.unsupported("networks") }
    public func inspectNetwork(_ ref: String) throws -> JSON { throw Self.unsupported("networks") }
}
