// EngineNameSources: an `EngineNameSource` over any `ContainerEngine` — container names (and
// short ids) from `list`, image tags from `images`. Must not: create an engine (it asks for the
// one already in use, and answers nothing while there is none) or run on the interpreter's thread
// for long (EngineNameCache calls it in the background).
import DKSEngine

/// Names from the engine the session is using.
public final class ContainerEngineNames: EngineNameSource, @unchecked Sendable {
    private let engine: () -> ContainerEngine?

    /// `engine` returns the engine if one exists already (e.g. `EngineProvider.existing`).
    public init(engine: @escaping () -> ContainerEngine?) { self.engine = engine }

    public func containerNames() throws -> [String] {
        guard let e = engine() else { return [] }
        var names: [String] = []
        for c in try e.list(all: true, filters: []) {
            for n in c["Names"]?.arrayValue ?? [] {
                if let s = n.stringValue { names.append(s.hasPrefix("/") ? String(s.dropFirst()) : s) }
            }
        }
        return names
    }

    public func imageNames() throws -> [String] {
        guard let e = engine() else { return [] }
        var names: [String] = []
        for img in try e.images(all: false, filters: []) {
            for t in img["RepoTags"]?.arrayValue ?? [] {
                if let s = t.stringValue, s != "<none>:<none>" {
                    names.append(s)
                    // `busybox:latest` also completes as `busybox`, as people type it.
                    if s.hasSuffix(":latest") { names.append(String(s.dropLast(7))) }
                }
            }
        }
        return names
    }
}
