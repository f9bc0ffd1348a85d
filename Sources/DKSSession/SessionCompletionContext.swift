// SessionCompletionContext: the live `CompletionContext` — names from the interpreter's
// registry and globals, members of variables' values, engine names via the cached hook, files.
// The prompt and the Jupyter kernel complete through it.
// Must not: run commands or call host objects' members (which may reach the engine).
import DKSLanguage

/// Which commands take container or image names, so completion can offer them.
public struct EngineNameTargets {
    /// Commands whose first positional argument is a container (Tab offers container names).
    public var containerCommands: Set<String> = [
        "attach", "exec", "logs", "stop", "start", "restart", "kill", "rm", "inspect", "wait", "wait-healthy", "wait-log",
        "pause", "unpause", "rename", "top", "stats", "diff", "cp", "export", "commit",
    ]
    /// Of those, the ones that take several containers (`rm a b c`): names are offered for every positional.
    public var multiContainerCommands: Set<String> = ["stop", "start", "restart", "kill", "rm", "inspect", "wait", "pause", "unpause"]
    /// Commands whose first positional argument is an image (Tab offers image names and tags).
    public var imageCommands: Set<String> = ["run", "create", "pull", "push", "rmi", "tag", "history", "save"]
    /// Of those, the ones that take several images (`rmi a b`, `save a b`): names for every positional.
    public var multiImageCommands: Set<String> = ["rmi", "save"]

    public init() {}
}

public final class SessionCompletionContext: CompletionContext {
    let interp: Interpreter
    let targets: EngineNameTargets
    let engineCache: EngineNameCache?

    /// Completion over `interp`'s names and values; `engineNames` (when an engine is wired)
    /// supplies container and image names for the commands `targets` lists.
    public init(interp: Interpreter, engineNames: EngineNameSource?, targets: EngineNameTargets = EngineNameTargets()) {
        self.interp = interp
        self.targets = targets
        self.engineCache = engineNames.map { EngineNameCache(source: $0) }
    }

    /// Call after an entry ran: the engine names it cached may be out of date now (a container
    /// made by `run -d --name web` is offered by the next Tab, not two seconds later).
    public func entryRan() { engineCache?.invalidate() }

    public var commandNames: [String] { interp.registry.names + interp.globals.definedFnNames }

    public var helpTopicNames: [String] { interp.registry.helpTopicNames }

    public func signature(ofCommand name: String) -> Signature? {
        if let b = interp.registry.lookup(name) { return b.signature }
        if interp.globals.hasFn(name), case .function(let f) = interp.globals.fnCell(name).value { return f.signature }
        return nil
    }

    public var variableNames: [String] { interp.globals.definedVarNames }

    public func memberNames(ofVariable variable: String, path: [String]) -> [String] {
        guard var value = interp.globals.get(variable) else { return [] }
        for key in path {
            // Only plain data is walked; an object's members could call the engine.
            switch value {
            case .map(let m):
                guard let next = m[.string(key)] else { return [] }
                value = next
            case .error(let e):
                guard let next = e.member(key) else { return [] }
                value = next
            default:
                return []
            }
        }
        return Self.members(of: value)
    }

    /// The member names completion offers after `value.` (plain data and objects' declared names).
    public static func members(of value: Value) -> [String] {
        switch value {
        case .map(let m):
            return m.keys.compactMap { k in if case .string(let s) = k { return s }; return nil }
        case .error:
            return ErrorValue.memberNames
        case .object(let o):
            return o.memberNames
        default:
            return []
        }
    }

    public func engineNames(forCommand command: String, positionalIndex: Int) -> [String] {
        guard let cache = engineCache else { return [] }
        if targets.containerCommands.contains(command), positionalIndex == 0 || targets.multiContainerCommands.contains(command) {
            return cache.names(of: .containers)
        }
        if targets.imageCommands.contains(command), positionalIndex == 0 || targets.multiImageCommands.contains(command) {
            return cache.names(of: .images)
        }
        return []
    }

    public func pathCandidates(_ partial: String) -> [String] { PathCompleter.candidates(partial) }

    public var programNames: [String] { interp.registry.pipelineRunner?.programNames(interp: interp) ?? [] }
}
