// ImageObject: the `image` value. `id` and `short_id` are fixed; `tags`, `labels`, `size`,
// `created` and `attrs` are read live from the engine on each access, as a container's are.
// An image also remembers the reference it was obtained by (`pull REF`, `tag SRC REF`, a
// `build` with one `-t`): that is what `push` pushes. Equal (and hashed) by id.
// Must not: return methods from `member` (they come from uniform call syntax: `$img.push()`
// is `push $img`), or cache attributes (only the last tags seen, to print a removed image).
import DKSEngine
import DKSLanguage
import DKSSupport

final class ImageObject: HostObject, NamedObject, @unchecked Sendable {
    let id: String
    unowned let context: ContainerContext
    /// The name this object was obtained by, when there was exactly one.
    let reference: String?
    private let lock = Lock()
    private var lastTags: [String]

    /// Attributes, in the order completion lists them.
    static let attributes = ["id", "short_id", "tags", "labels", "size", "created", "attrs"]
    /// Commands whose first positional is an image, so `$img.NAME(...)` works as a method.
    static let methods = ["tag", "push", "rmi", "history", "inspect", "save"]

    /// - Parameter document: an inspect document or list summary already at hand (for the tags
    ///   printed after the image is gone).
    init(id: String, context: ContainerContext, reference: String? = nil, document: JSON? = nil) {
        self.id = id
        self.context = context
        self.reference = reference
        lastTags = Self.tags(of: document ?? .null)
    }

    var engineRef: String { id }
    var shortID: String { JSONValues.shortID(id) }

    static func tags(of doc: JSON) -> [String] {
        (doc["RepoTags"]?.arrayValue ?? []).compactMap { $0.stringValue }.filter { $0 != "<none>:<none>" }
    }

    /// The tags as last seen.
    var knownTags: [String] { lock.withLock { lastTags } }

    /// The inspect document now (remembering the tags).
    func inspect(_ command: String) throws -> JSON {
        let doc = try context.call(command) { try $0.inspectImage(id) }
        let tags = Self.tags(of: doc)
        lock.withLock { lastTags = tags }
        return doc
    }

    override var typeName: String { "image" }
    override var memberNames: [String] { Self.attributes + Self.methods }

    override func member(_ name: String) throws -> Value? {
        switch name {
        case "id": return .string(id)
        case "short_id": return .string(shortID)
        case "tags", "labels", "size", "created", "attrs": break
        default: return nil
        }
        let doc: JSON
        do { doc = try inspect("$image.\(name)") } catch let e as ScriptError where e.kind == .notFound {
            throw ScriptError(.notFound, "image \(knownTags.first ?? shortID) no longer exists (reading .\(name))")
        }
        switch name {
        case "tags": return .list(Self.tags(of: doc).map { .string($0) })
        case "labels": return JSONValues.stringMap(doc["Config"]?["Labels"])
        case "size": return JSONValues.value(doc["Size"])
        case "created":
            // Inspect documents give RFC 3339 text: unix seconds here, as `images` summaries have them.
            if let text = doc["Created"]?.stringValue, let t = parseRFC3339(text) { return .int(Int(t.rounded(.down))) }
            return JSONValues.value(doc["Created"])
        default: return JSONValues.value(doc)
        }
    }

    /// `<image TAG[,TAG...] SHORT_ID>`: every tag, read live (the last ones seen once it is gone).
    override var description: String {
        let tags = (try? inspect("str")).map(Self.tags(of:)) ?? knownTags
        return "<image \(tags.isEmpty ? "<none>" : tags.joined(separator: ",")) \(shortID)>"
    }

    override func isEqual(to other: HostObject) -> Bool { (other as? ImageObject)?.id == id }
    override func hash(into hasher: inout Hasher) { hasher.combine("image"); hasher.combine(id) }
}
