// LocalEngine+Query: the read-only verbs (inspect, list, top, stats) and prune of stopped containers.
// Must not: change a running container.
import DKSEngine
import DKSSupport
import Foundation

extension LocalEngine {
    public func inspect(_ ref: String) throws -> JSON {
        try withLock { InspectDocument.inspect(try record(ref)) }
    }

    public func list(all: Bool, filters: [(String, String)]) throws -> [JSON] {
        let parsed = try ContainerFilters(list: filters)
        let now = Date().timeIntervalSince1970
        return withLock {
            // Newest first, as Docker lists. A status filter implies --all, as in Docker.
            let showAll = all || parsed.has("status") || parsed.has("exited")
            return containers.reversed()
                .filter { showAll || $0.isLive || $0.status == .restarting }
                .filter { parsed.matches($0, now: now, lookup: { try? record($0) }) }
                .map { InspectDocument.summary($0, now: now) }
        }
    }

    public func prune(_ what: String, filters: [(String, String)]) throws -> (deleted: [String], spaceReclaimed: Int64) {
        guard what == "containers" else {
            throw EngineError(.unsupported, "the local engine has no \(what); prune \(what) needs --engine docker")
        }
        let now = Date().timeIntervalSince1970
        let parsed = try ContainerFilters(prune: filters, now: now)
        let victims: [ContainerRecord] = withLock {
            containers.filter { ($0.status == .created || $0.status == .exited || $0.status == .dead) && parsed.matches($0, now: now, lookup: { _ in nil }) }
        }
        var deleted: [String] = []
        var space: Int64 = 0
        for r in victims {
            let size = StateDirectory.size(of: r.directory)
            // Checked again under the lock: the container may have been started meanwhile.
            if removeRecord(r, onlyIf: { $0.status == .created || $0.status == .exited || $0.status == .dead }) {
                space += size
                deleted.append(r.id)
            }
        }
        return (deleted, space)
    }

    public func top(_ ref: String, psArgs: String?) throws -> JSON {
        let group: Int32 = try withLock {
            let r = try record(ref)
            guard r.isLive else { throw EngineError(.conflict, "Container \(r.id) is not running", status: 409) }
            return r.pid
        }
        if let psArgs, !psArgs.trimmingCharacters(in: .whitespaces).isEmpty { return try TopWithPS.top(group: group, psArgs: psArgs) }
        return ProcessTable.top(group: group)
    }

    public func stats(_ ref: String) throws -> JSON {
        let (pid, id, name): (Int32, String, String) = try withLock {
            let r = try record(ref)
            return (r.isLive ? r.pid : 0, r.id, r.name)
        }
        return ProcessTable.stats(group: pid, id: id, name: name)
    }
}
