// DocumentCompletion: the prompt's completer over an open document instead of a live session —
// commands and the document's functions, their options, the variables visible at the cursor,
// members of values the document makes known (map literals, errors in `catch`, the objects
// commands return), program names and paths.
// Must not: run anything to learn a value (members come from the text alone).
import DKSLanguage
import DKSSession
import DKSHost
#if canImport(Glibc)
import Glibc
#endif

final class DocumentCompletionContext: CompletionContext {
    let analysis: DocumentAnalysis
    let offset: Int
    let resultMembers: (String, Bool) -> [String]

    init(analysis: DocumentAnalysis, offset: Int, resultMembers: @escaping (String, Bool) -> [String]) {
        self.analysis = analysis
        self.offset = offset
        self.resultMembers = resultMembers
    }

    var commandNames: [String] { analysis.registry.names + Array(analysis.functions(visibleAt: offset).keys) }

    var helpTopicNames: [String] { analysis.registry.helpTopicNames }

    func signature(ofCommand name: String) -> Signature? {
        analysis.functions(visibleAt: offset)[name]?.signature ?? analysis.registry.lookup(name)?.signature
    }

    var variableNames: [String] {
        let visible = analysis.definitions.filter { d in
            d.kind != .function && d.scopeStart <= offset && offset <= d.scopeEnd
        }
        return Array(Set(visible.map(\.name) + ["args", "env"]))
    }

    func memberNames(ofVariable variable: String, path: [String]) -> [String] {
        guard path.isEmpty else { return [] }
        // The latest assignment before the cursor, in the narrowest scope that sees it.
        let candidates = analysis.definitions.filter { d in
            d.name == variable && d.kind != .function && d.scopeStart <= offset && offset <= d.scopeEnd && d.offset < offset
        }
        guard let d = candidates.max(by: { a, b in
            let wa = a.scopeEnd - a.scopeStart, wb = b.scopeEnd - b.scopeStart
            return wa != wb ? wa > wb : a.offset < b.offset
        }) else { return [] }
        switch d.origin {
        case .map(let keys)?: return keys
        case .caught?: return ErrorValue.memberNames
        case .command(let name, let detached)?: return resultMembers(name, detached)
        case nil: return []
        }
    }

    func engineNames(forCommand command: String, positionalIndex: Int) -> [String] { [] }

    func pathCandidates(_ partial: String) -> [String] { PathCompleter.candidates(partial) }

    var programNames: [String] {
        ProgramLookup.allNames(path: getenv("PATH").map { String(cString: $0) })
    }
}
