// QueryEncoding: URL query strings and the docker CLI's `filters` parameter.
// Owns: percent-encoding and filter grouping. Must not: know which endpoint takes which filters.
import DKSEngine

enum QueryEncoding {
    /// Percent-encodes everything but RFC 3986 unreserved characters (so `=`, `&`, `{`, `"` are safe in values).
    static func escape(_ text: String) -> String {
        var out = ""
        let hex = Array("0123456789ABCDEF")
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out.append("%")
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xf)])
            }
        }
        return out
    }

    /// `a=1&b=x%20y`, in the given order.
    static func encode(_ items: [(String, String)]) -> String {
        items.map { escape($0.0) + "=" + escape($0.1) }.joined(separator: "&")
    }

    /// Escapes one path segment (a container name or id from the user).
    static func pathSegment(_ text: String) -> String { escape(text) }

    /// The docker CLI's filter document: `[("label","a=b"),("status","running")]` becomes
    /// `{"label":{"a=b":true},"status":{"running":true}}`; keys keep their first-seen order.
    static func filtersJSON(_ filters: [(String, String)]) -> String {
        var groups: [(String, [String])] = []
        for (key, value) in filters {
            if let i = groups.firstIndex(where: { $0.0 == key }) {
                if !groups[i].1.contains(value) { groups[i].1.append(value) }
            } else {
                groups.append((key, [value]))
            }
        }
        return JSON.object(groups.map { ($0.0, JSON.object($0.1.map { ($0, JSON.bool(true)) })) }).encoded()
    }

    /// The `filters` query item, or nothing for no filters (the daemon treats `{}` the same, but the trace reads better).
    static func filtersItem(_ filters: [(String, String)]) -> [(String, String)] {
        filters.isEmpty ? [] : [("filters", filtersJSON(filters))]
    }
}
