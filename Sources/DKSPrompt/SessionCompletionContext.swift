// SessionCompletionContext: the live `CompletionContext` — names from the interpreter's
// registry and globals, members of variables' values, engine names via the cached hook, files.
// Must not: run commands or call host objects' members (which may reach the engine).
import DKSLanguage

final class SessionCompletionContext: CompletionContext {
    let interp: Interpreter
    let hooks: PromptHooks
    let engineCache: EngineNameCache?

    init(interp: Interpreter, hooks: PromptHooks) {
        self.interp = interp
        self.hooks = hooks
        self.engineCache = hooks.engineNames.map { EngineNameCache(source: $0) }
    }

    var commandNames: [String] { interp.registry.names + interp.globals.definedFnNames }

    var helpTopicNames: [String] { Array(interp.registry.helpTopics.keys) + Array(interp.registry.helpTopicAliases.keys) }

    func signature(ofCommand name: String) -> Signature? {
        if let b = interp.registry.lookup(name) { return b.signature }
        if interp.globals.hasFn(name), case .function(let f) = interp.globals.fnCell(name).value { return f.signature }
        return nil
    }

    var variableNames: [String] { interp.globals.definedVarNames }

    func memberNames(ofVariable variable: String, path: [String]) -> [String] {
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

    static func members(of value: Value) -> [String] {
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

    func engineNames(forCommand command: String, positionalIndex: Int) -> [String] {
        guard let cache = engineCache else { return [] }
        if hooks.containerCommands.contains(command), positionalIndex == 0 || hooks.multiContainerCommands.contains(command) {
            return cache.names(of: .containers)
        }
        if hooks.imageCommands.contains(command), positionalIndex == 0 { return cache.names(of: .images) }
        return []
    }

    func pathCandidates(_ partial: String) -> [String] { PathCompleter.candidates(partial) }

    var programNames: [String] { interp.registry.pipelineRunner?.programNames(interp: interp) ?? [] }
}
