// ScriptedEngine: a ContainerEngine that answers inspect and logs from scripted documents, for
// the tests of the engine-neutral code written against the protocol (Waits). Everything else
// throws Unsupported. Must not: sleep or touch a daemon.
import DKSEngine

final class ScriptedEngine: ContainerEngine {
    /// Successive inspect documents (the last one repeats).
    var documents: [JSON] = []
    private var inspected = 0
    /// What `logs` delivers (each call from the start; `tail` is honoured).
    var output: [OutputChunk] = []
    var inspectCount: Int { inspected }

    static func state(_ status: String, health: String? = nil, exitCode: Int = 0, test: [String]? = nil, log: (Int, String)? = nil) -> JSON {
        var state: [(String, JSON)] = [("Status", .string(status)), ("Running", .bool(status == "running")), ("ExitCode", .int(Int64(exitCode)))]
        if let h = health {
            var fields: [(String, JSON)] = [("Status", .string(h))]
            if let (code, text) = log { fields.append(("Log", .array([.object([("ExitCode", .int(Int64(code))), ("Output", .string(text))])]))) }
            state.append(("Health", .object(fields)))
        }
        var config: [(String, JSON)] = []
        if let t = test { config.append(("Healthcheck", .object([("Test", .array(t.map { .string($0) }))]))) }
        return .object([("Id", .string("c1")), ("Name", .string("/web")), ("State", .object(state)), ("Config", .object(config))])
    }

    func inspect(_ ref: String) throws -> JSON {
        guard !documents.isEmpty else { throw EngineError(.notFound, "No such container: \(ref)") }
        let doc = documents[min(inspected, documents.count - 1)]
        inspected += 1
        return doc
    }

    func logs(_ ref: String, options: LogOptions, onOutput: (OutputChunk) throws -> StreamControl) throws {
        let chunks = options.tail.map { Array(output.suffix($0)) } ?? output
        for c in chunks where try onOutput(c) == .stop { return }
    }

    private func no() -> EngineError { EngineError(.unsupported, "not scripted") }
    func info() throws -> EngineInfo { throw no() }
    func create(_ config: ContainerConfig) throws -> String { throw no() }
    func start(_ ref: String) throws { throw no() }
    func stop(_ ref: String, timeout: Int?) throws { throw no() }
    func restart(_ ref: String, timeout: Int?) throws { throw no() }
    func kill(_ ref: String, signal: String?) throws { throw no() }
    func pause(_ ref: String) throws { throw no() }
    func unpause(_ ref: String) throws { throw no() }
    func rename(_ ref: String, to newName: String) throws { throw no() }
    func remove(_ ref: String, force: Bool, volumes: Bool) throws { throw no() }
    func list(all: Bool, filters: [(String, String)]) throws -> [JSON] { throw no() }
    func wait(_ ref: String, condition: WaitCondition, deadline: Deadline) throws -> Int { throw no() }
    func runAttached(_ ref: String, onOutput: (OutputChunk) throws -> Void) throws -> Int { throw no() }
    func exec(_ ref: String, _ config: ExecConfig, onOutput: (OutputChunk) throws -> Void) throws -> Int? { throw no() }
    func top(_ ref: String, psArgs: String?) throws -> JSON { throw no() }
    func stats(_ ref: String) throws -> JSON { throw no() }
    func diff(_ ref: String) throws -> [JSON] { throw no() }
    func statPath(_ ref: String, path: String) throws -> ContainerPathStat { throw no() }
    func copyOut(_ ref: String, path: String, consume: (ContainerPathStat, () throws -> [UInt8]?) throws -> Void) throws { throw no() }
    func copyIn(_ ref: String, path: String, produce: (([UInt8]) throws -> Void) throws -> Void) throws { throw no() }
    func prune(_ what: String, filters: [(String, String)]) throws -> (deleted: [String], spaceReclaimed: Int64) { throw no() }
    func images(all: Bool, filters: [(String, String)]) throws -> [JSON] { throw no() }
    func pull(_ ref: String, onProgress: (JSON) -> Void) throws { throw no() }
    func tag(_ source: String, repository: String, tag: String?) throws { throw no() }
    func removeImage(_ ref: String, force: Bool) throws -> [JSON] { throw no() }
    func inspectImage(_ ref: String) throws -> JSON { throw no() }
    func createVolume(name: String?, driver: String?, labels: [(String, String)]) throws -> JSON { throw no() }
    func volumes(filters: [(String, String)]) throws -> [JSON] { throw no() }
    func removeVolume(_ name: String, force: Bool) throws { throw no() }
    func inspectVolume(_ name: String) throws -> JSON { throw no() }
    func createNetwork(name: String, driver: String?, labels: [(String, String)]) throws -> JSON { throw no() }
    func networks(filters: [(String, String)]) throws -> [JSON] { throw no() }
    func removeNetwork(_ ref: String) throws { throw no() }
    func inspectNetwork(_ ref: String) throws -> JSON { throw no() }
    func shutdown() {}
}
