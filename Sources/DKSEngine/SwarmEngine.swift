// SwarmEngine: the orchestrator operations of an engine that runs Docker Swarm services —
// the swarm itself, its nodes, services and their tasks — and the models a service is made
// and changed from. Engines without an orchestrator (the local engine, Podman) do not conform.
// Must not: expose NIO types or dks values; documents keep the Engine API's field names.
import DKSSupport

/// How a service runs: a number of replicas, or one task on every node.
public enum ServiceMode: Equatable, Sendable {
    case replicated(Int)
    case global
}

/// `service create` options, engine-neutral.
public struct ServiceConfig: Sendable {
    public var name: String?
    public var image: String
    /// The command's arguments after the image (the image's entrypoint runs them), as `docker service create IMAGE CMD...`.
    public var args: [String]?
    public var env: [String] = []
    /// Labels of the service.
    public var labels: [(String, String)] = []
    /// Labels of every task's container.
    public var containerLabels: [(String, String)] = []
    public var mode: ServiceMode = .replicated(1)
    /// Placement constraints (`node.role==manager`, `node.labels.zone==a`).
    public var constraints: [String] = []
    public var updateParallelism: Int?
    /// `none`, `on-failure` or `any`.
    public var restartCondition: String?
    /// Seconds between a task's end and its replacement.
    public var restartDelay: Double?
    public var restartMaxAttempts: Int?
    public var workingDir: String?
    public var user: String?

    public init(image: String) { self.image = image }
}

/// `service update` options: only what is set changes.
public struct ServiceUpdate: Sendable {
    public var image: String?
    public var args: [String]?
    public var replicas: Int?
    public var envAdd: [String] = []
    /// Variable names to remove.
    public var envRemove: [String] = []
    public var labelAdd: [(String, String)] = []
    public var labelRemove: [String] = []
    public var constraintAdd: [String] = []
    public var constraintRemove: [String] = []
    public var updateParallelism: Int?
    public var restartCondition: String?
    public var restartDelay: Double?
    public var restartMaxAttempts: Int?
    /// Replace every task even when nothing changed (`--force`).
    public var force = false

    public init() {}
}

/// An engine with Docker Swarm's orchestrator.
public protocol SwarmEngine: AnyObject {
    /// Makes this engine the manager of a new swarm; returns the node's id.
    func swarmInit(advertiseAddress: String?, listenAddress: String?) throws -> String
    func swarmLeave(force: Bool) throws
    /// The swarm's document (`ID`, `Spec`, `JoinTokens`, ...); `.engine` error when not in a swarm.
    func swarmInspect() throws -> JSON
    func nodes(filters: [(String, String)]) throws -> [JSON]

    /// Creates a service; returns its id and the engine's warnings.
    func createService(_ config: ServiceConfig) throws -> (id: String, warnings: [String])
    /// Services as the API lists them, with `ServiceStatus` (running and desired task counts).
    func services(filters: [(String, String)]) throws -> [JSON]
    /// One service by name, id or id prefix.
    func inspectService(_ ref: String) throws -> JSON
    /// Applies `update` to the service's current spec; returns the engine's warnings.
    func updateService(_ ref: String, _ update: ServiceUpdate) throws -> [String]
    func removeService(_ ref: String) throws
    func tasks(filters: [(String, String)]) throws -> [JSON]

    /// The logs of every task of a service, in the order the engine merges them. With
    /// `details`, each line starts with the engine's `key=value,...` context (task, node and
    /// service ids) and a space.
    func serviceLogs(_ ref: String, options: LogOptions, details: Bool, onOutput: (OutputChunk) throws -> StreamControl) throws
}
