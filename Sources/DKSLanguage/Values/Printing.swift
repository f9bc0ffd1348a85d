// Printing: the `str` form (what `echo` prints) and the `repr` form (the prompt's echo,
// and elements inside lists and maps). Must not: write anywhere; callers do.

extension Value {
    /// The `str` form: strings as they are, containers of values with their elements in repr form.
    public var str: String {
        switch self {
        case .string(let s): return s
        case .error(let e): return e.error.message
        default: return repr
        }
    }

    /// The `repr` form: strings quoted and escaped, map keys bare when they are names.
    public var repr: String {
        var out = ""
        writeRepr(into: &out, depth: 0)
        return out
    }

    func writeRepr(into out: inout String, depth: Int) {
        if depth > 100 { out += "..."; return }
        switch self {
        case .null, .undefined: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .float(let d): out += formatFloat(d)
        case .string(let s): out += quoteString(s)
        case .list(let l):
            out += "["
            for (i, v) in l.enumerated() {
                if i > 0 { out += ", " }
                v.writeRepr(into: &out, depth: depth + 1)
            }
            out += "]"
        case .map(let m):
            out += "{"
            var first = true
            for (k, v) in m {
                if !first { out += ", " }
                first = false
                if case .string(let ks) = k, isBareKey(ks) { out += ks } else { k.writeRepr(into: &out, depth: depth + 1) }
                out += ": "
                v.writeRepr(into: &out, depth: depth + 1)
            }
            out += "}"
        case .range(let r):
            if r.step == 1 { out += "\(r.start)..<\(r.end)" } else { out += "range(\(r.start), \(r.end), \(r.step))" }
        case .function(let f): out += "<function \(f.name)>"
        case .error(let e): out += "<error \(e.error.kind.rawValue): \(e.error.message)>"
        case .object(let o): out += o.reprDescription
        }
    }
}

/// Swift's shortest round-trip form, always with a decimal point or exponent (`2.0`, `0.1`, `1e+100`).
public func formatFloat(_ d: Double) -> String {
    if d.isNaN { return "nan" }
    if d.isInfinite { return d < 0 ? "-inf" : "inf" }
    return "\(d)"
}

/// A string literal that reads back as the same string.
public func quoteString(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case "\r": out += "\\r"
        case "$": out += "\\$"
        default:
            if scalar.value < 0x20 || scalar.value == 0x7F {
                out += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out + "\""
}

/// Map keys print bare when they are names (`{a: 1}`), quoted otherwise (`{"b c": 1}`).
func isBareKey(_ s: String) -> Bool {
    guard let f = s.utf8.first, Lexer.isNameStart(f) else { return false }
    return s.utf8.allSatisfy { Lexer.isNameChar($0) } && !dksKeywords.contains(s)
}
