// RichDisplay: values as HTML for notebooks — the presenter's tables (containers, `ps`, `images`,
// volumes) and a `docker stats`-like row for a stats sample — with every cell escaped.
// Must not: call the engine itself (the presenter reads objects; a stats map is plain data).
import DKSLanguage

enum RichDisplay {
    /// The HTML of `value`, or nil when it has no table form.
    static func html(for value: Value, presenter: KernelPresenter) -> String? {
        if let t = presenter.table(for: value) { return table(header: t.header, rows: t.rows) }
        if let t = statsTable(value) { return table(header: t.header, rows: t.rows) }
        return nil
    }

    static func table(header: [String], rows: [[String]]) -> String {
        var out = "<table class=\"dks-table\">\n<thead><tr>"
        for h in header { out += "<th style=\"text-align:left\">\(escape(h))</th>" }
        out += "</tr></thead>\n<tbody>\n"
        for row in rows {
            out += "<tr>"
            for cell in row { out += "<td style=\"text-align:left\">\(escape(cell))</td>" }
            out += "</tr>\n"
        }
        return out + "</tbody>\n</table>"
    }

    static func escape(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }

    /// A stats sample (`stats $c`, the Engine API's document) as `docker stats` columns.
    static func statsTable(_ value: Value) -> (header: [String], rows: [[String]])? {
        guard case .map(let m) = value, m[.string("memory_stats")] != nil || m[.string("cpu_stats")] != nil else { return nil }
        func num(_ v: Value?, _ path: [String]) -> Double? {
            var cur = v
            for k in path {
                guard case .map(let mm)? = cur else { return nil }
                cur = mm[.string(k)]
            }
            switch cur {
            case .int(let i)?: return Double(i)
            case .float(let d)?: return d
            default: return nil
            }
        }
        var name = ""
        if case .string(let n)? = m[.string("name")] { name = n.hasPrefix("/") ? String(n.dropFirst()) : n }
        var cpu = "--"
        if let total = num(value, ["cpu_stats", "cpu_usage", "total_usage"]), let pre = num(value, ["precpu_stats", "cpu_usage", "total_usage"]),
           let sys = num(value, ["cpu_stats", "system_cpu_usage"]), let preSys = num(value, ["precpu_stats", "system_cpu_usage"]), sys > preSys {
            let cpus = num(value, ["cpu_stats", "online_cpus"]) ?? 1
            cpu = percent((total - pre) / (sys - preSys) * cpus * 100)
        }
        var memory = "--", memPercent = "--"
        if let usage = num(value, ["memory_stats", "usage"]) {
            let cache = num(value, ["memory_stats", "stats", "inactive_file"]) ?? 0
            let used = max(0, usage - cache)
            let limit = num(value, ["memory_stats", "limit"]) ?? 0
            memory = bytes(used) + " / " + (limit > 0 ? bytes(limit) : "--")
            if limit > 0 { memPercent = percent(used / limit * 100) }
        }
        var rx = 0.0, tx = 0.0, haveNet = false
        if case .map(let nets)? = m[.string("networks")] {
            for v in nets.values {
                rx += num(v, ["rx_bytes"]) ?? 0
                tx += num(v, ["tx_bytes"]) ?? 0
                haveNet = true
            }
        }
        let pids = num(value, ["pids_stats", "current"]).map { String(Int($0)) } ?? "--"
        return (["NAME", "CPU %", "MEM USAGE / LIMIT", "MEM %", "NET I/O", "PIDS"],
                [[name, cpu, memory, memPercent, haveNet ? bytes(rx) + " / " + bytes(tx) : "--", pids]])
    }

    static func percent(_ d: Double) -> String {
        guard d.isFinite else { return "--" }
        let r = (d * 100).rounded() / 100
        return "\(r)%"
    }

    /// `1.5MiB`, as docker stats prints memory (powers of 1024).
    static func bytes(_ d: Double) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var v = d
        var u = 0
        while v >= 1024, u < units.count - 1 { v /= 1024; u += 1 }
        let r = (v * 100).rounded() / 100
        return u == 0 ? "\(Int(r))B" : "\(r)\(units[u])"
    }
}
