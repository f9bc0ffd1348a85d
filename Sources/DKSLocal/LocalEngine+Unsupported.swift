// LocalEngine+Unsupported: the verbs that need images, volumes, networks or a container filesystem.
// Must not: pretend — every refusal names the local engine and points to --engine docker.
import DKSEngine

extension LocalEngine {
    static func unsupported(_ what: String) -> EngineError {
        EngineError(.unsupported, "the local engine has no \(what) (containers are host processes); use --engine docker")
    }

    public func diff(_ ref: String) throws -> [JSON] {
        _ = try withLock { try record(ref) }
        throw Self.unsupported("container filesystem to diff")
    }

    public func statPath(_ ref: String, path: String) throws -> ContainerPathStat {
        _ = try withLock { try record(ref) }
        throw Self.unsupported("container filesystem to copy from; its files are in the host folder shown by inspect's Config.WorkingDir")
    }

    public func copyOut(_ ref: String, path: String, consume: (ContainerPathStat, () throws -> [UInt8]?) throws -> Void) throws {
        _ = try withLock { try record(ref) }
        throw Self.unsupported("container filesystem to copy from; its files are in the host folder shown by inspect's Config.WorkingDir")
    }

    public func copyIn(_ ref: String, path: String, produce: (([UInt8]) throws -> Void) throws -> Void) throws {
        _ = try withLock { try record(ref) }
        throw Self.unsupported("container filesystem to copy into; its files are in the host folder shown by inspect's Config.WorkingDir")
    }

    public func images(all: Bool, filters: [(String, String)]) throws -> [JSON] { throw Self.unsupported("images") }
    public func pull(_ ref: String, onProgress: (JSON) -> Void) throws { throw Self.unsupported("images to pull") }
    public func tag(_ source: String, repository: String, tag: String?) throws { throw Self.unsupported("images to tag") }
    public func removeImage(_ ref: String, force: Bool) throws -> [JSON] { throw Self.unsupported("images to remove") }
    public func inspectImage(_ ref: String) throws -> JSON { throw Self.unsupported("images to inspect") }
    public func build(_ options: BuildOptions, context: BodyProducer, onMessage: (JSON) throws -> Void) throws {
        throw Self.unsupported("images to build")
    }
    public func push(_ repository: String, tag: String?, auth: String, onProgress: (JSON) -> Void) throws {
        throw Self.unsupported("images to push")
    }
    public func pull(_ ref: String, auth: String?, onProgress: (JSON) -> Void) throws { throw Self.unsupported("images to pull") }
    public func login(username: String, password: String, serverAddress: String) throws -> JSON {
        throw Self.unsupported("registries to log in to")
    }
    public func saveImages(_ names: [String], consume: BodyConsumer) throws { throw Self.unsupported("images to save") }
    public func loadImages(quiet: Bool, produce: BodyProducer, onMessage: (JSON) throws -> Void) throws {
        throw Self.unsupported("images to load")
    }
    public func imageHistory(_ ref: String) throws -> [JSON] { throw Self.unsupported("images") }
    public func exportContainer(_ ref: String, consume: BodyConsumer) throws {
        _ = try withLock { try record(ref) }
        throw Self.unsupported("container filesystem to export; its files are in the host folder shown by inspect's Config.WorkingDir")
    }
    public func commit(_ ref: String, options: CommitOptions) throws -> String {
        _ = try withLock { try record(ref) }
        throw Self.unsupported("images to commit to")
    }
    public func events(_ options: EventOptions, onEvent: (JSON) throws -> StreamControl) throws {
        throw Self.unsupported("event stream")
    }

    public func createVolume(name: String?, driver: String?, labels: [(String, String)]) throws -> JSON { throw Self.unsupported("volumes") }
    public func volumes(filters: [(String, String)]) throws -> [JSON] { throw Self.unsupported("volumes") }
    public func removeVolume(_ name: String, force: Bool) throws { throw Self.unsupported("volumes") }
    public func inspectVolume(_ name: String) throws -> JSON { throw Self.unsupported("volumes") }

    public func createNetwork(name: String, driver: String?, labels: [(String, String)]) throws -> JSON { throw Self.unsupported("networks") }
    public func networks(filters: [(String, String)]) throws -> [JSON] { throw Self.unsupported("networks") }
    public func removeNetwork(_ ref: String) throws { throw Self.unsupported("networks") }
    public func inspectNetwork(_ ref: String) throws -> JSON { throw Self.unsupported("networks") }
}
