// QueryPresentation: how query results look to a person — a container as a one-line summary,
// a list of containers as a `docker ps`-like table, images as a `docker images`-like table,
// volumes as `docker volume ls`, an inspect document as indented JSON. The prompt echoes values
// this way, and `ps`, `images`, `volume ls` and `inspect` print this at statement level in
// scripts too (spec §7). Reads objects only through `HostObject.member` (one inspect per container).
// Must not: present values of other types (repr does).
import DKSLanguage
import DKSSupport

/// Presents `container`, `image` and `volume` host objects; answers nil for every other value.
public enum QueryPresentation {
    public static func present(_ value: Value) -> String? {
        if case .object(let o) = value, o.typeName == "container" {
            guard let row = Self.containerRow(o) else { return nil }
            let status = row.status.isEmpty ? "" : ", \(row.status)"
            return "<container \(row.name) \(row.shortID)> \(row.image)\(status)"
        }
        guard case .list = value, let t = table(value) else { return nil }
        return formatTable(header: t.header, rows: t.rows)
    }

    /// The table a value is shown as: a list of containers as `docker ps` shows them (a single
    /// container as one row), images as `docker images`, volumes as `docker volume ls`. Nil for
    /// anything else (and for an empty list, whose kind is unknown).
    public static func table(_ value: Value) -> (header: [String], rows: [[String]])? {
        switch value {
        case .object(let o) where o.typeName == "container":
            return table(.list([value]))
        case .list(let items) where !items.isEmpty && items.allSatisfy({ Self.isObject($0, "container") }):
            var rows: [[String]] = []
            for case .object(let o) in items {
                guard let r = Self.containerRow(o) else { return nil }
                rows.append([r.shortID, r.image, r.command, r.status, r.name])
            }
            return (["CONTAINER ID", "IMAGE", "COMMAND", "STATUS", "NAMES"], rows)
        case .list(let items) where !items.isEmpty && items.allSatisfy({ Self.isObject($0, "image") }):
            var rows: [[String]] = []
            for case .object(let o) in items {
                let tags = (try? o.member("tags")).flatMap(Self.strings) ?? []
                let id = (try? o.member("short_id"))?.flatMap(Self.string) ?? ""
                let size = (try? o.member("size"))?.flatMap(Self.int).map(Self.humanSize) ?? ""
                rows.append([tags.isEmpty ? "<none>" : tags.joined(separator: ", "), id, size])
            }
            return (["TAGS", "IMAGE ID", "SIZE"], rows)
        case .list(let items) where !items.isEmpty && items.allSatisfy({ Self.isObject($0, "volume") }):
            var rows: [[String]] = []
            for case .object(let o) in items {
                let driver = (try? o.member("driver"))?.flatMap(Self.string) ?? ""
                let name = (try? o.member("name"))?.flatMap(Self.string) ?? ""
                rows.append([driver, name])
            }
            return (["DRIVER", "VOLUME NAME"], rows)
        default:
            return nil
        }
    }

    /// The header a query's table has when it lists nothing (`ps` with no containers).
    public static let containerHeader = formatTable(header: ["CONTAINER ID", "IMAGE", "COMMAND", "STATUS", "NAMES"], rows: [])
    public static let imageHeader = formatTable(header: ["TAGS", "IMAGE ID", "SIZE"], rows: [])
    public static let volumeHeader = formatTable(header: ["DRIVER", "VOLUME NAME"], rows: [])

    /// What a query prints at statement level: its table (or `header` for an empty list) and a newline.
    /// In a notebook the kernel's `display` shows it instead (an HTML table, the text beside it).
    static func print(_ value: Value, header: String, _ interp: Interpreter) throws {
        let text: String
        if case .list(let l) = value, l.isEmpty { text = header } else { text = present(value) ?? value.repr }
        if interp.out === interp.stdout, let display = interp.display {
            try interp.flush()
            if try display(value, text) { return }
        }
        try interp.out.write(text + "\n")
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
    public static func humanSize(_ bytes: Int) -> String {
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

/// A plain-text table in the style of `docker ps`: columns padded to their widest cell, three
/// spaces apart. For presenters that show lists of objects.
public func formatTable(header: [String], rows: [[String]]) -> String {
    var widths = header.map(\.count)
    for row in rows {
        for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
    }
    func line(_ cells: [String]) -> String {
        var out = ""
        for (i, cell) in cells.enumerated() where i < widths.count {
            let last = i == widths.count - 1
            out += last ? cell : cell + String(repeating: " ", count: widths[i] - cell.count + 3)
        }
        return out
    }
    return ([line(header)] + rows.map(line)).joined(separator: "\n")
}
