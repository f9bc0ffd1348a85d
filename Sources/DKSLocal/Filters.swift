// Filters: `ps --filter` and `prune --filter` matching for local containers, with Docker's rules:
// values of one key are alternatives, different keys must all match. Must not: mutate records.
import DKSEngine
import DKSSupport
import Foundation

struct ContainerFilters {
    private var values: [String: [String]] = [:]
    private static let listKeys: Set = ["id", "name", "label", "status", "exited", "health", "ancestor", "before", "since"]
    private static let statuses: Set = ["created", "restarting", "running", "removing", "paused", "exited", "dead"]
    private static let healths: Set = ["starting", "healthy", "unhealthy", "none"]

    /// Validates `ps` filters.
    init(list filters: [(String, String)]) throws {
        for (k, v) in filters {
            guard Self.listKeys.contains(k) else { throw EngineError(.invalidArgument, "invalid filter '\(k)'", status: 400) }
            if k == "status" && !Self.statuses.contains(v) {
                throw EngineError(.invalidArgument, "invalid filter 'status=\(v)': one of created, restarting, running, removing, paused, exited, dead", status: 400)
            }
            if k == "health" && !Self.healths.contains(v) {
                throw EngineError(.invalidArgument, "invalid filter 'health=\(v)': one of starting, healthy, unhealthy, none", status: 400)
            }
            if k == "exited" && Int(v) == nil { throw EngineError(.invalidArgument, "invalid filter 'exited=\(v)': not an exit code", status: 400) }
            values[k, default: []].append(v)
        }
    }

    /// Validates `prune containers` filters (label, label!, until).
    init(prune filters: [(String, String)], now: Double) throws {
        for (k, v) in filters {
            guard k == "label" || k == "label!" || k == "until" else {
                throw EngineError(.invalidArgument, "invalid filter '\(k)' for prune (label, label!, until)", status: 400)
            }
            if k == "until" && parseTimePoint(v, now: now) == nil {
                throw EngineError(.invalidArgument, "invalid filter 'until=\(v)': not a time", status: 400)
            }
            values[k, default: []].append(v)
        }
    }

    func has(_ key: String) -> Bool { values[key] != nil }

    /// Whether `r` passes every filter. `lookup` resolves before/since references. Engine lock held.
    func matches(_ r: ContainerRecord, now: Double, lookup: (String) -> ContainerRecord?) -> Bool {
        for (key, options) in values {
            let ok: Bool
            switch key {
            case "id": ok = options.contains { r.id.hasPrefix($0.lowercased()) }
            case "name": ok = options.contains { Self.nameMatches(r.name, $0) }
            case "label": ok = options.allSatisfy { Self.hasLabel(r, $0) }
            case "label!": ok = !options.contains { Self.hasLabel(r, $0) }
            case "status": ok = options.contains(r.status.rawValue)
            case "exited": ok = r.status == .exited && options.contains { Int($0) == r.exitCode }
            case "health": ok = options.contains(r.health == nil ? "none" : (r.healthState?.status ?? "starting"))
            case "ancestor": ok = options.contains { r.config.image == $0 || r.config.image.hasPrefix($0 + ":") }
            case "before": ok = options.contains { ref in lookup(ref).map { r.created < $0.created } ?? false }
            case "since": ok = options.contains { ref in lookup(ref).map { r.created > $0.created } ?? false }
            case "until": ok = options.contains { parseTimePoint($0, now: now).map { r.created < $0 } ?? false }
            default: ok = true
            }
            if !ok { return false }
        }
        return true
    }

    /// Docker treats labels filters as all-of ("key" present, or "key=value").
    static func hasLabel(_ r: ContainerRecord, _ spec: String) -> Bool {
        if let eq = spec.firstIndex(of: "=") {
            let k = String(spec[..<eq]), v = String(spec[spec.index(after: eq)...])
            return r.config.labels.last(where: { $0.0 == k })?.1 == v
        }
        return r.config.labels.contains { $0.0 == spec }
    }

    /// Docker matches names by regular expression, against the name with and without its "/".
    static func nameMatches(_ name: String, _ pattern: String) -> Bool {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return name.contains(pattern) }
        for candidate in [name, "/" + name] {
            let range = NSRange(candidate.startIndex..., in: candidate)
            if regex.firstMatch(in: candidate, range: range) != nil { return true }
        }
        return false
    }
}
