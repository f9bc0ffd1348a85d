// FakeEngine: an in-memory ContainerEngine for the container builtins' tests — records what
// the commands ask, answers with scripted output and exit codes. Must not: sleep or spawn.
import DKSEngine
import DKSSupport

final class FakeEngine: ContainerEngine {
    struct Record {
        var id: String
        var config: ContainerConfig
        var status = "created"
        var exitCode = 0
        var removed = false
    }
    var records: [Record] = []
    var created: [ContainerConfig] { records.map { $0.config } }
    /// What `runAttached` and `exec` deliver, and the exit code they return.
    var output: [OutputChunk] = []
    var exitCode = 0
    var execs: [ExecConfig] = []
    var calls: [String] = []
    /// Whether the fake removes `--rm` containers itself after they exit, as Docker does.
    var honoursAutoRemove = true
    var shutdownCalls = 0

    static func chunk(_ s: String, _ stream: StreamKind = .stdout) -> OutputChunk {
        OutputChunk(stream: stream, bytes: Array(s.utf8))
    }

    private func index(_ ref: String) throws -> Int {
        if let i = records.firstIndex(where: { !$0.removed && ($0.id.hasPrefix(ref) || $0.config.name == ref) }) { return i }
        throw EngineError(.notFound, "No such container: \(ref)", status: 404)
    }

    func info() throws -> EngineInfo { EngineInfo(kind: "fake", host: "memory", version: "1", apiVersion: "1.41") }

    func create(_ config: ContainerConfig) throws -> String {
        calls.append("create")
        let hex = String(records.count + 1, radix: 16)
        let id = String(repeating: "a", count: 64 - hex.count) + hex
        records.append(Record(id: id, config: config))
        return id
    }
    func start(_ ref: String) throws { calls.append("start"); records[try index(ref)].status = "running" }
    func stop(_ ref: String, timeout: Int?) throws { calls.append("stop \(timeout.map(String.init) ?? "nil")"); records[try index(ref)].status = "exited" }
    func restart(_ ref: String, timeout: Int?) throws { records[try index(ref)].status = "running" }
    func kill(_ ref: String, signal: String?) throws { calls.append("kill \(signal ?? "nil")"); records[try index(ref)].status = "exited" }
    func pause(_ ref: String) throws { records[try index(ref)].status = "paused" }
    func unpause(_ ref: String) throws { records[try index(ref)].status = "running" }
    func rename(_ ref: String, to newName: String) throws { records[try index(ref)].config.name = newName }
    func remove(_ ref: String, force: Bool, volumes: Bool) throws { calls.append("remove"); records[try index(ref)].removed = true }

    func inspect(_ ref: String) throws -> JSON {
        let r = records[try index(ref)]
        let labels = JSON.object(r.config.labels.map { ($0.0, .string($0.1)) })
        var state: [(String, JSON)] = [("Status", .string(r.status)), ("Running", .bool(r.status == "running")),
                                       ("ExitCode", .int(Int64(r.exitCode))), ("StartedAt", .string("2024-01-01T00:00:00Z"))]
        if r.config.healthCheck != nil { state.append(("Health", .object([("Status", .string("healthy"))]))) }
        return .object([("Id", .string(r.id)), ("Name", .string("/" + (r.config.name ?? "fake_\(r.id.suffix(2))"))),
                        ("State", .object(state)),
                        ("Config", .object([("Image", .string(r.config.image)), ("Labels", labels)]))])
    }
    func list(all: Bool, filters: [(String, String)]) throws -> [JSON] {
        records.filter { !$0.removed && (all || $0.status == "running") }.map { r in
            .object([("Id", .string(r.id)), ("Names", .array([.string("/" + (r.config.name ?? "x"))]))])
        }
    }
    func wait(_ ref: String, condition: WaitCondition, deadline: Deadline) throws -> Int {
        let r = records[try index(ref)]
        if condition == .removed {
            if r.removed { throw EngineError(.notFound, "No such container: \(ref)", status: 404) }
            throw EngineError(.timeout, "container \(ref) was not removed by the deadline")
        }
        if r.status == "running" && deadline != .never { throw EngineError(.timeout, "container \(ref) still running at the deadline") }
        return r.exitCode
    }
    func runAttached(_ ref: String, onOutput: (OutputChunk) throws -> Void) throws -> Int {
        let i = try index(ref)
        records[i].status = "exited"
        records[i].exitCode = exitCode
        for c in output { try onOutput(c) }
        if honoursAutoRemove && records[i].config.autoRemove { records[i].removed = true }
        return exitCode
    }
    func logs(_ ref: String, options: LogOptions, onOutput: (OutputChunk) throws -> StreamControl) throws {
        _ = try index(ref)
        for c in output where (c.stream == .stdout && options.stdout) || (c.stream == .stderr && options.stderr) {
            if try onOutput(c) == .stop { return }
        }
    }
    func exec(_ ref: String, _ config: ExecConfig, onOutput: (OutputChunk) throws -> Void) throws -> Int? {
        _ = try index(ref)
        execs.append(config)
        for c in output { try onOutput(c) }
        return config.detach ? nil : exitCode
    }
    func top(_ ref: String, psArgs: String?) throws -> JSON {
        .object([("Titles", .array([.string("PID"), .string("CMD")])), ("Processes", .array([.array([.string("1"), .string("sleep 60")])]))])
    }
    func stats(_ ref: String) throws -> JSON { .object([("memory_stats", .object([("usage", .int(1024))]))]) }
    func diff(_ ref: String) throws -> [JSON] { [.object([("Path", .string("/tmp/x")), ("Kind", .int(1))])] }
    /// What `copyOut` sends (in 100-byte pieces, so readers must work incrementally).
    var archive: [UInt8] = []
    /// What `statPath` knows; other paths are missing.
    var pathStats: [String: ContainerPathStat] = [:]
    var copiedIn: [(String, [UInt8])] = []
    func statPath(_ ref: String, path: String) throws -> ContainerPathStat {
        _ = try index(ref)
        guard let stat = pathStats[path] else { throw EngineError(.notFound, "Could not find the file \(path) in container \(ref)", status: 404) }
        return stat
    }
    func copyOut(_ ref: String, path: String, consume: (ContainerPathStat, () throws -> [UInt8]?) throws -> Void) throws {
        _ = try index(ref)
        let first = try TarReader(bytes: archive).next()
        let stat = pathStats[path] ?? ContainerPathStat(name: first?.name ?? "x", mode: first?.kind == .directory ? ContainerPathStat.modeDir | 0o755 : 0o644)
        var offset = 0
        let bytes = archive
        try consume(stat) {
            guard offset < bytes.count else { return nil }
            let end = min(bytes.count, offset + 100)
            defer { offset = end }
            return Array(bytes[offset..<end])
        }
    }
    func copyIn(_ ref: String, path: String, produce: (([UInt8]) throws -> Void) throws -> Void) throws {
        _ = try index(ref)
        var all: [UInt8] = []
        try produce { all += $0 }
        copiedIn.append((path, all))
    }
    func prune(_ what: String, filters: [(String, String)]) throws -> (deleted: [String], spaceReclaimed: Int64) { (["x"], 42) }
    func images(all: Bool, filters: [(String, String)]) throws -> [JSON] {
        [.object([("Id", .string("sha256:0123456789abcdef0123")), ("RepoTags", .array([.string("busybox:latest")])), ("Size", .int(100))])]
    }
    func pull(_ ref: String, onProgress: (JSON) -> Void) throws { onProgress(.object([("status", .string("Pulling"))])) }
    func tag(_ source: String, repository: String, tag: String?) throws { calls.append("tag \(source) \(repository) \(tag ?? "nil")") }
    func removeImage(_ ref: String, force: Bool) throws -> [JSON] { [.object([("Untagged", .string(ref))])] }
    /// What `build` answers with, and what it was given.
    var buildMessages: [JSON] = []
    var lastBuild: BuildOptions?
    var lastContext: [UInt8] = []
    func build(_ options: BuildOptions, context: BodyProducer, onMessage: (JSON) throws -> Void) throws {
        lastBuild = options
        var bytes: [UInt8] = []
        try context { bytes += $0 }
        lastContext = bytes
        for m in buildMessages { try onMessage(m) }
    }
    /// What `push` answers with, and the X-Registry-Auth it got.
    var pushMessages: [JSON] = []
    var lastPushAuth: String?
    func push(_ repository: String, tag: String?, auth: String, onProgress: (JSON) -> Void) throws {
        calls.append("push \(repository) \(tag ?? "nil")")
        lastPushAuth = auth
        for m in pushMessages { onProgress(m) }
    }

    /// The one image (busybox:latest) by id or name; any other name is an image of that name.
    func inspectImage(_ ref: String) throws -> JSON {
        let tags = ref.hasPrefix("sha256:") || ref == "busybox" ? "busybox:latest" : ref
        return .object([("Id", .string("sha256:0123456789abcdef0123")), ("RepoTags", .array([.string(tags)])), ("Size", .int(100))])
    }
    func createVolume(name: String?, driver: String?, labels: [(String, String)]) throws -> JSON {
        .object([("Name", .string(name ?? "anon")), ("Driver", .string(driver ?? "local"))])
    }
    func volumes(filters: [(String, String)]) throws -> [JSON] { [] }
    func removeVolume(_ name: String, force: Bool) throws { throw EngineError(.notFound, "get \(name): no such volume", status: 404) }
    func inspectVolume(_ name: String) throws -> JSON { throw EngineError(.notFound, "no such volume", status: 404) }
    func createNetwork(name: String, driver: String?, labels: [(String, String)]) throws -> JSON { throw EngineError(.unsupported, "the fake engine has no networks") }
    func networks(filters: [(String, String)]) throws -> [JSON] { throw EngineError(.unsupported, "the fake engine has no networks") }
    func removeNetwork(_ ref: String) throws { throw EngineError(.unsupported, "the fake engine has no networks") }
    func inspectNetwork(_ ref: String) throws -> JSON { throw EngineError(.notFound, "no such network") }
    func shutdown() { shutdownCalls += 1 }
}
