// ImageOperations: the image workflow part of the engine protocol — build, push, registry
// login, save/load, export, commit, history, events and streamed stats — with the options
// they take. Engines that cannot do one (the local engine, test fakes) inherit an
// `.unsupported` answer from the extension. Must not: read credentials or the docker CLI's
// configuration (callers pass the encoded headers), print, or hold an archive whole.
import DKSSupport

/// What `build` sends besides the context (the classic builder's `/build` parameters).
public struct BuildOptions: Sendable {
    /// Names for the image (`-t`), in order.
    public var tags: [String] = []
    /// The Dockerfile's path inside the context.
    public var dockerfile = "Dockerfile"
    /// `--build-arg`: a nil value means "the name only" (the daemon then uses no value).
    public var buildArgs: [(String, String?)] = []
    public var labels: [(String, String)] = []
    public var target: String?
    public var noCache = false
    /// `--pull`: always look for a newer base image.
    public var pull = false
    /// `-q`: the daemon sends only the image id.
    public var quiet = false
    /// Remove intermediate containers also when a step fails.
    public var forceRemove = true
    /// The `X-Registry-Config` header: every registry's credentials, encoded (for base images).
    public var registryConfig: String?
    public init() {}
}

/// What `commit` sends.
public struct CommitOptions: Sendable {
    /// `REPOSITORY` and `TAG` of the new image (both nil: an untagged image).
    public var repository: String?
    public var tag: String?
    public var message: String?
    public var author: String?
    /// `--change` Dockerfile instructions (`CMD ["sh"]`, `ENV A=1`).
    public var changes: [String] = []
    /// Pause the container while committing (the docker CLI's default).
    public var pause = true
    public init() {}
}

/// What `events` asks for.
public struct EventOptions: Sendable {
    public var since: TimePoint?
    public var until: TimePoint?
    public var filters: [(String, String)] = []
    public init() {}
}

/// A streaming body producer: writes the body in pieces through `write`.
public typealias BodyProducer = (_ write: ([UInt8]) throws -> Void) throws -> Void
/// A streaming body consumer: `read` returns the next piece, nil at the end.
public typealias BodyConsumer = (_ read: () throws -> [UInt8]?) throws -> Void

/// The image workflow. Every method blocks; streams end at an interrupt (`.interrupted`).
public protocol ImageOperations: AnyObject {
    /// Builds from a context tar that `context` writes, delivering each JSON message of the
    /// build's output as it arrives. An `error` message is delivered, not thrown (the caller
    /// knows which step it belongs to).
    func build(_ options: BuildOptions, context: BodyProducer, onMessage: (JSON) throws -> Void) throws

    /// Pushes `repository:tag` with the `X-Registry-Auth` value `auth`, delivering each
    /// progress message; an error from the registry is thrown as an EngineError.
    func push(_ repository: String, tag: String?, auth: String, onProgress: (JSON) -> Void) throws

    /// Pulls with credentials: `auth` is the `X-Registry-Auth` value (nil: none).
    func pull(_ ref: String, auth: String?, onProgress: (JSON) -> Void) throws

    /// Checks credentials with the registry through the daemon (`POST /auth`): the answer's
    /// `Status` and `IdentityToken`. The body holds the password: it is never traced or shown.
    func login(username: String, password: String, serverAddress: String) throws -> JSON

    /// `docker save`: the images as one tar archive, handed to `consume` piece by piece.
    func saveImages(_ names: [String], consume: BodyConsumer) throws
    /// `docker load`: a tar archive that `produce` writes; each JSON message of the answer is
    /// delivered (`{"stream": "Loaded image: ..."}`).
    func loadImages(quiet: Bool, produce: BodyProducer, onMessage: (JSON) throws -> Void) throws
    /// `docker export`: the container's filesystem as a tar archive, piece by piece.
    func exportContainer(_ ref: String, consume: BodyConsumer) throws
    /// `docker commit`: a new image from the container; returns its id.
    func commit(_ ref: String, options: CommitOptions) throws -> String
    /// `docker history`: the image's layers, newest first, as the API lists them.
    func imageHistory(_ ref: String) throws -> [JSON]

    /// Delivers engine events as they happen (the API's documents) until `until` passes, the
    /// consumer says stop, or an interrupt.
    func events(_ options: EventOptions, onEvent: (JSON) throws -> StreamControl) throws
    /// Delivers a container's stats samples as the engine produces them (about one a second).
    func statsStream(_ ref: String, onSample: (JSON) throws -> StreamControl) throws
}

extension ContainerEngine {
    private func unsupported(_ what: String) -> EngineError {
        EngineError(.unsupported, "this engine cannot \(what); it needs a Docker-compatible engine")
    }

    public func build(_ options: BuildOptions, context: BodyProducer, onMessage: (JSON) throws -> Void) throws {
        throw unsupported("build images")
    }
    public func push(_ repository: String, tag: String?, auth: String, onProgress: (JSON) -> Void) throws {
        throw unsupported("push images")
    }
    public func pull(_ ref: String, auth: String?, onProgress: (JSON) -> Void) throws {
        try pull(ref, onProgress: onProgress)
    }
    public func login(username: String, password: String, serverAddress: String) throws -> JSON {
        throw unsupported("log in to registries")
    }
    public func saveImages(_ names: [String], consume: BodyConsumer) throws { throw unsupported("save images") }
    public func loadImages(quiet: Bool, produce: BodyProducer, onMessage: (JSON) throws -> Void) throws {
        throw unsupported("load images")
    }
    public func exportContainer(_ ref: String, consume: BodyConsumer) throws { throw unsupported("export containers") }
    public func commit(_ ref: String, options: CommitOptions) throws -> String { throw unsupported("commit containers") }
    public func imageHistory(_ ref: String) throws -> [JSON] { throw unsupported("show image history") }
    public func events(_ options: EventOptions, onEvent: (JSON) throws -> StreamControl) throws {
        throw unsupported("report events")
    }

    /// Engines without a stats stream are sampled once a second.
    public func statsStream(_ ref: String, onSample: (JSON) throws -> StreamControl) throws {
        while true {
            if try onSample(try stats(ref)) == .stop { return }
            do { try interruptibleSleep(seconds: 1) } catch is InterruptedError {
                throw EngineError(.interrupted, "interrupted")
            }
        }
    }
}
