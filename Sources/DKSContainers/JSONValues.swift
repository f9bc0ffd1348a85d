// JSONValues: engine documents (JSON) as dks values, and the small lookups objects need.
// Reuses GeneralBuiltins.jsonDecode/jsonEncode (the json builtins' conversion) rather than
// duplicating it. Must not: reshape documents (inspect maps keep the engine's field names).
import DKSBuiltins
import DKSEngine
import DKSLanguage

enum JSONValues {
    /// A JSON document as a dks value (objects → maps in the engine's order).
    static func value(_ j: JSON) -> Value { GeneralBuiltins.jsonDecode(j) }

    /// A JSON value that may be absent (`null` when missing).
    static func value(_ j: JSON?) -> Value { j.map(value) ?? .null }

    /// A string→string JSON object (labels) as a dks map; absent or null → `{}`.
    static func stringMap(_ j: JSON?) -> Value {
        var m = MapStorage()
        for (k, v) in j?.objectValue ?? [] { m[.string(k)] = .string(v.stringValue ?? "") }
        return .map(m)
    }

    /// A map built from (key, value) pairs, keys as strings, in order.
    static func map(_ pairs: [(String, Value)]) -> Value {
        var m = MapStorage(minimumCapacity: pairs.count)
        for (k, v) in pairs { m[.string(k)] = v }
        return .map(m)
    }

    /// 12 hex digits of an id, without a `sha256:` prefix.
    static func shortID(_ id: String) -> String {
        let bare = id.hasPrefix("sha256:") ? String(id.dropFirst(7)) : id
        return String(bare.prefix(12))
    }
}
