// ServiceSpec: ServiceConfig as an Engine API `ServiceSpec`, and ServiceUpdate applied to a
// service's current spec (what `docker service update` does: fetch, change, send back).
// Owns: the pure mapping (field names, nanosecond durations). Must not: do I/O.
import DKSEngine

enum ServiceSpec {
    /// The body of `POST /services/create`.
    static func create(_ c: ServiceConfig) -> JSON {
        var container: [(String, JSON)] = [("Image", .string(c.image))]
        if let args = c.args, !args.isEmpty { container.append(("Args", strings(args))) }
        if !c.env.isEmpty { container.append(("Env", strings(c.env))) }
        if !c.containerLabels.isEmpty { container.append(("Labels", pairs(c.containerLabels))) }
        if let dir = c.workingDir { container.append(("Dir", .string(dir))) }
        if let user = c.user { container.append(("User", .string(user))) }
        var task: [(String, JSON)] = [("ContainerSpec", .object(container))]
        var restart: [(String, JSON)] = []
        if let condition = c.restartCondition { restart.append(("Condition", .string(condition))) }
        if let delay = c.restartDelay { restart.append(("Delay", .int(nanoseconds(delay)))) }
        if let attempts = c.restartMaxAttempts { restart.append(("MaxAttempts", .int(Int64(attempts)))) }
        if !restart.isEmpty { task.append(("RestartPolicy", .object(restart))) }
        if !c.constraints.isEmpty { task.append(("Placement", .object([("Constraints", strings(c.constraints))]))) }
        var spec: [(String, JSON)] = []
        if let name = c.name { spec.append(("Name", .string(name))) }
        spec.append(("Labels", pairs(c.labels)))
        spec.append(("TaskTemplate", .object(task)))
        spec.append(("Mode", mode(c.mode)))
        if let parallelism = c.updateParallelism {
            spec.append(("UpdateConfig", .object([("Parallelism", .int(Int64(parallelism)))])))
        }
        return .object(spec)
    }

    /// `spec` (a service's current `Spec`) with `u` applied.
    static func update(_ spec: JSON, _ u: ServiceUpdate) -> JSON {
        var spec = spec
        var task = spec["TaskTemplate"] ?? .object([])
        var container = task["ContainerSpec"] ?? .object([])
        if let image = u.image { container.set("Image", .string(image)) }
        if let args = u.args { container.set("Args", strings(args)) }
        if !u.envAdd.isEmpty || !u.envRemove.isEmpty {
            var env = (container["Env"]?.arrayValue ?? []).compactMap(\.stringValue)
            let changed = Set(u.envRemove + u.envAdd.map(variableName))
            env.removeAll { changed.contains(variableName($0)) }
            env += u.envAdd
            container.set("Env", strings(env))
        }
        task.set("ContainerSpec", container)
        if u.restartCondition != nil || u.restartDelay != nil || u.restartMaxAttempts != nil {
            var restart = task["RestartPolicy"] ?? .object([])
            if let condition = u.restartCondition { restart.set("Condition", .string(condition)) }
            if let delay = u.restartDelay { restart.set("Delay", .int(nanoseconds(delay))) }
            if let attempts = u.restartMaxAttempts { restart.set("MaxAttempts", .int(Int64(attempts))) }
            task.set("RestartPolicy", restart)
        }
        if !u.constraintAdd.isEmpty || !u.constraintRemove.isEmpty {
            var placement = task["Placement"] ?? .object([])
            var constraints = (placement["Constraints"]?.arrayValue ?? []).compactMap(\.stringValue)
            constraints.removeAll { u.constraintRemove.contains($0) || u.constraintAdd.contains($0) }
            constraints += u.constraintAdd
            placement.set("Constraints", strings(constraints))
            task.set("Placement", placement)
        }
        if u.force { task.set("ForceUpdate", .int((task["ForceUpdate"]?.intValue ?? 0) + 1)) }
        spec.set("TaskTemplate", task)
        if !u.labelAdd.isEmpty || !u.labelRemove.isEmpty {
            var labels = (spec["Labels"]?.objectValue ?? []).filter { key, _ in
                !u.labelRemove.contains(key) && !u.labelAdd.contains { $0.0 == key }
            }
            labels += u.labelAdd.map { ($0.0, JSON.string($0.1)) }
            spec.set("Labels", .object(labels))
        }
        if let replicas = u.replicas { spec.set("Mode", mode(.replicated(replicas))) }
        if let parallelism = u.updateParallelism {
            var config = spec["UpdateConfig"] ?? .object([])
            config.set("Parallelism", .int(Int64(parallelism)))
            spec.set("UpdateConfig", config)
        }
        return spec
    }

    static func mode(_ m: ServiceMode) -> JSON {
        switch m {
        case .replicated(let n): return .object([("Replicated", .object([("Replicas", .int(Int64(n)))]))])
        case .global: return .object([("Global", .object([]))])
        }
    }

    /// `NAME` of `NAME=VALUE` (or of a bare `NAME`).
    static func variableName(_ item: String) -> String {
        item.firstIndex(of: "=").map { String(item[..<$0]) } ?? item
    }

    static func nanoseconds(_ seconds: Double) -> Int64 { Int64((seconds * 1e9).rounded()) }
    static func strings(_ list: [String]) -> JSON { .array(list.map { .string($0) }) }
    static func pairs(_ list: [(String, String)]) -> JSON { .object(list.map { ($0.0, .string($0.1)) }) }
}
