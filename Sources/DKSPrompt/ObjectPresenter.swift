// ObjectPresenter: the prompt's echo for engine objects — a container as a one-line summary,
// a list of containers as a `docker ps`-like table, a list of images as a `docker images`-like
// table. Reads objects only through `HostObject.member` (one inspect per container).
// Must not: depend on the containers layer's concrete types, or present anything else (repr does).
import DKSLanguage

/// Presents `container` and `image` host objects; answers nil for every other value.
public struct ObjectPresenter: ValuePresenter {
    public init() {}

    public func present(_ value: Value) -> String? {
        switch value {
        case .object(let o) where o.typeName == "container":
            guard let row = Self.containerRow(o) else { return nil }
            let status = row.status.isEmpty ? "" : ", \(row.status)"
            return "<container \(row.name) \(row.shortID)> \(row.image)\(status)"
        case .list(let items) where !items.isEmpty && items.allSatisfy({ Self.isObject($0, "container") }):
            var rows: [[String]] = []
            for case .object(let o) in items {
                guard let r = Self.containerRow(o) else { return nil }
                rows.append([r.shortID, r.image, r.command, r.status, r.name])
            }
            return formatTable(header: ["CONTAINER ID", "IMAGE", "COMMAND", "STATUS", "NAMES"], rows: rows)
        case .list(let items) where !items.isEmpty && items.allSatisfy({ Self.isObject($0, "image") }):
            var rows: [[String]] = []
            for case .object(let o) in items {
                let tags = (try? o.member("tags")).flatMap(Self.strings) ?? []
                let id = (try? o.member("short_id"))?.flatMap(Self.string) ?? ""
                let size = (try? o.member("size"))?.flatMap(Self.int).map(Self.humanSize) ?? ""
                rows.append([tags.isEmpty ? "<none>" : tags.joined(separator: ", "), id, size])
            }
            return formatTable(header: ["TAGS", "IMAGE ID", "SIZE"], rows: rows)
        default:
            return nil
        }
    }

    struct ContainerRow {
        var shortID: String, name: String, image: String, command: String, status: String
    }

    static func isObject(_ v: Value, _ type: String) -> Bool {
        if case .object(let o) = v { return o.typeName == type }
        return false
    }

    /// One inspect (`attrs`) gives every column; nil when the container is gone or unreadable.
    static func containerRow(_ o: HostObject) -> ContainerRow? {
        guard let attrs = (try? o.member("attrs")) ?? nil, case .map = attrs else { return nil }
        let shortID = ((try? o.member("short_id")) ?? nil).flatMap(string) ?? ""
        var name = lookup(attrs, ["Name"]).flatMap(string) ?? ""
        if name.hasPrefix("/") { name.removeFirst() }
        let image = lookup(attrs, ["Config", "Image"]).flatMap(string) ?? ""
        let path = lookup(attrs, ["Path"]).flatMap(string) ?? ""
        let args = lookup(attrs, ["Args"]).flatMap(strings) ?? []
        var command = ([path] + args).filter { !$0.isEmpty }.joined(separator: " ")
        if command.count > 22 { command = String(command.prefix(21)) + "…" }
        var status = lookup(attrs, ["State", "Status"]).flatMap(string) ?? ""
        if status == "exited", let code = lookup(attrs, ["State", "ExitCode"]).flatMap(int) { status += " (\(code))" }
        if let health = lookup(attrs, ["State", "Health", "Status"]).flatMap(string), !health.isEmpty { status += " (\(health))" }
        return ContainerRow(shortID: shortID, name: name, image: image, command: command.isEmpty ? "" : "\"\(command)\"", status: status)
    }

    static func lookup(_ v: Value, _ path: [String]) -> Value? {
        var cur = v
        for key in path {
            guard case .map(let m) = cur, let next = m[.string(key)] else { return nil }
            cur = next
        }
        return cur
    }

    static func string(_ v: Value) -> String? { if case .string(let s) = v { return s }; return nil }
    static func int(_ v: Value) -> Int? {
        switch v {
        case .int(let i): return i
        case .float(let d) where d.isFinite && abs(d) < 1e18: return Int(d)
        default: return nil
        }
    }
    static func strings(_ v: Value) -> [String]? {
        guard case .list(let l) = v else { return nil }
        return l.compactMap(string)
    }

    /// `4.26MB`, as docker prints sizes (powers of 1000).
    static func humanSize(_ bytes: Int) -> String {
        let units = ["B", "kB", "MB", "GB", "TB"]
        var v = Double(bytes)
        var u = 0
        while v >= 1000, u < units.count - 1 { v /= 1000; u += 1 }
        if u == 0 { return "\(bytes)B" }
        let rounded = (v * 100).rounded() / 100
        return "\(formatFloat(rounded).replacingOccurrences(ofSuffix: ".0"))\(units[u])"
    }
}

extension String {
    func replacingOccurrences(ofSuffix suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
