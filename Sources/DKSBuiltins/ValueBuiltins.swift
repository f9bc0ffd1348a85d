// ValueBuiltins: printing and conversions — echo, str, repr, int, float, bool, type, len, abs, round.
// Must not: mutate values.
import DKSLanguage
import DKSSupport

extension GeneralBuiltins {
    static func registerValues(_ r: BuiltinRegistry) {
        var echo = Signature("echo", topic: "output", [.flag("n", short: "n", "no newline at the end"), .rest("values")],
                             summary: "Prints its arguments' str forms separated by one space, then a newline (none with -n). Strings print as they are; lists and maps print their elements in repr form.",
                             example: "echo hello $name [1, \"a\"]   # hello bob [1, \"a\"]")
        echo.unknownOptionsArePositional = true
        r.register(echo) { a in
            let items = try a.list(1)
            var line = ""
            for (i, v) in items.enumerated() {
                if i > 0 { line += " " }
                if case .string(let s) = v { line += s } else { line += v.str }
            }
            if !a.bool(0) { line += "\n" }
            try a.interp.out.write(line)
            return .null
        }
        r.registerUnary(Signature("str", topic: "values", [.arg("value")],
                             summary: "The str form of a value: what echo prints. Strings are returned as they are.",
                             example: "str(42) + \"!\"   # \"42!\""), { v in .string(v.str) })
        r.register(Signature("repr", topic: "values", [.arg("value")],
                             summary: "The repr form of a value: strings quoted and escaped, as the prompt shows values.",
                             example: "repr(\"a\\tb\")   # \"\\\"a\\\\tb\\\"\"")) { a in .string(a[0].repr) }
        r.registerUnary(Signature("type", topic: "values", [.arg("value")],
                             summary: "The name of a value's type: null bool int float string list map range function error, or an engine object's type (container, image, ...).",
                             example: "type([1])   # \"list\""), { v in .string(v.typeName) })
        r.registerUnary(Signature("int", topic: "values", [.arg("value")],
                             summary: "Converts to an integer: floats are truncated toward zero, strings are parsed (decimal, 0x hex, with _ separators), booleans are 0 or 1. A string that is not a number is a ValueError.",
                             example: "int(\"42\") + int(3.9)   # 45"), { v in try toInt(v.unwrapped) })
        r.registerUnary(Signature("float", topic: "values", [.arg("value")],
                             summary: "Converts a number or numeric string to a float. A string that is not a number is a ValueError.",
                             example: "float(\"2.5\") * 2   # 5.0"), { v in try toFloat(v.unwrapped) })
        r.register(Signature("bool", topic: "values", [.arg("value")],
                             summary: "The truth of a value: false for false, null, 0, 0.0, \"\", [] and {}; true for everything else.",
                             example: "bool([])   # false")) { a in .bool(a[0].isTruthy) }
        r.registerUnary(Signature("len", topic: "values", [.arg("value")],
                             summary: "The number of characters in a string, items in a list or range, or entries in a map.",
                             example: "len(\"héllo\")   # 5"), { v in
            switch v {
            case .string(let s): return .int(characterCount(s))
            case .list(let l): return .int(l.count)
            case .map(let m): return .int(m.count)
            case .range(let rg): return .int(try rg.count)
            default: throw typeError("len: a value of type \(v.typeName) has no length (strings, lists, maps and ranges do)")
            }
        })
        r.registerUnary(Signature("abs", topic: "numbers", [.arg("number")],
                             summary: "The absolute value of a number.",
                             example: "abs(-3)   # 3"), { v in
            switch v.unwrapped {
            case .int(let i):
                if i == Int.min { throw ScriptError(.arithmeticError, "integer overflow in abs") }
                return .int(abs(i))
            case .float(let d): return .float(abs(d))
            default: throw typeError("abs: expected a number, got \(v.typeName)")
            }
        })
        r.register(Signature("round", topic: "numbers", [.arg("number"), .arg("digits", default: .null)],
                             summary: "Rounds to the nearest integer (an int), or to DIGITS decimal places: a float stays a float, an int stays an int (a negative DIGITS rounds to tens, hundreds, ...: round(1250, -2) is 1300). Halves round away from zero (2.5 gives 3), as people count, not as Python does.",
                             example: "round(2.675, 2)   # 2.68\nround(3.5)   # 4\nround(1234, -2)   # 1200")) { a in
            // A number word (`round 1234 -2` in command form) is its number.
            let n = a[0].unwrapped
            if case .int(let i) = n {
                guard a.isGiven(1) else { return n }
                let digits = try a.int(1)
                return digits >= 0 ? n : .int(try roundInt(i, toTensPower: digits.magnitude))
            }
            let x = try a.double(0)
            guard a.isGiven(1) else {
                let r = x.rounded(.toNearestOrAwayFromZero)
                guard let n = Int(exactly: r) else { throw ScriptError(.arithmeticError, "round: \(formatFloat(x)) does not fit in a 64-bit integer") }
                return .int(n)
            }
            return .float(roundDecimal(x, try a.int(1)))
        }
    }

    /// `i` rounded to a multiple of 10^`k`, halves away from zero (as `round` rounds floats).
    static func roundInt(_ i: Int, toTensPower k: UInt) throws -> Int {
        // |i| < 2^63 < 5 * 10^19: to a multiple of 10^20 or more, every int rounds to 0.
        guard k < 20 else { return 0 }
        var scale: UInt = 1
        for _ in 0..<k { scale *= 10 }
        let m = i.magnitude
        var q = m / scale
        let rest = m % scale
        if rest >= scale - rest { q += 1 }
        let (rounded, overflow) = q.multipliedReportingOverflow(by: scale)
        let limit = i < 0 ? Int.min.magnitude : UInt(Int.max)
        guard !overflow, rounded <= limit else { throw ScriptError(.arithmeticError, "integer overflow in round(\(i), -\(k)) (integers are 64-bit)") }
        return i < 0 ? Int(truncatingIfNeeded: 0 &- rounded) : Int(rounded)
    }

    /// 10^n as a double, for |n| up to 400 (beyond that it is 0 or infinity anyway).
    static func pow10(_ n: Int) -> Double {
        var r = 1.0
        for _ in 0..<min(n.magnitude, 400) { r *= 10 }
        return n < 0 ? 1 / r : r
    }

    /// Rounds to `digits` decimals as the decimal text reads (2.675 → 2.68), halves away from zero.
    static func roundDecimal(_ x: Double, _ digits: Int) -> Double {
        guard x.isFinite else { return x }
        let scale = pow10(digits)
        // To a multiple of 10^309 or more (scale 0 as a double), every float rounds to zero.
        if scale == 0 { return x < 0 ? -0.0 : 0.0 }
        let scaled = x * scale
        guard scaled.isFinite, scaled.magnitude < 1e15 else { return x }
        var r = scaled.rounded(.toNearestOrAwayFromZero)
        // 2.675 * 100 is 267.49999999999997 in binary; a value that close to a half is a half.
        let frac = scaled.magnitude - scaled.magnitude.rounded(.down)
        if abs(frac - 0.5) < 1e-9 { r = (scaled.magnitude.rounded(.down) + 1) * (scaled < 0 ? -1 : 1) }
        return r / scale
    }

    static func toInt(_ v: Value) throws -> Value {
        switch v {
        case .int: return v
        case .bool(let b): return .int(b ? 1 : 0)
        case .float(let d):
            guard let n = Int(exactly: d.rounded(.towardZero)) else { throw valueError("int: \(formatFloat(d)) does not fit in a 64-bit integer") }
            return .int(n)
        case .string(let s):
            let t = s.trimmingSpaces()
            var body = Substring(t)
            var negative = false
            if body.first == "-" { negative = true; body = body.dropFirst() } else if body.first == "+" { body = body.dropFirst() }
            let clean = body.replacingAll("_", with: "")
            // The magnitude is parsed unsigned (digits only: no second sign), then signed with a
            // range check, so -9223372036854775808 is an int and nothing overflows.
            var digits = Substring(clean)
            var radix = 10
            if digits.hasPrefix("0x") || digits.hasPrefix("0X") { digits = digits.dropFirst(2); radix = 16 }
            if !digits.isEmpty, digits.allSatisfy({ $0.isHexDigit && (radix == 16 || $0.isNumber) }), let m = UInt(digits, radix: radix) {
                if negative, m <= Int.min.magnitude { return .int(Int(truncatingIfNeeded: 0 &- m)) }
                if !negative, m <= UInt(Int.max) { return .int(Int(m)) }
                throw valueError("int: \(quoteString(s)) does not fit in a 64-bit integer")
            }
            if let d = Double(t), d.isFinite, d.rounded() == d, let n = Int(exactly: d) { return .int(n) }
            throw valueError("int: \(quoteString(s)) is not an integer")
        default:
            throw typeError("int: cannot convert \(v.typeNameWithArticle) to an integer")
        }
    }

    static func toFloat(_ v: Value) throws -> Value {
        switch v {
        case .float: return v
        case .int(let i): return .float(Double(i))
        case .bool(let b): return .float(b ? 1 : 0)
        case .string(let s):
            let t = s.trimmingSpaces().replacingAll("_", with: "")
            switch t.lowercased() {
            case "inf", "+inf", "infinity": return .float(.infinity)
            case "-inf", "-infinity": return .float(-.infinity)
            case "nan": return .float(.nan)
            default: break
            }
            guard let d = Double(t) else { throw valueError("float: \(quoteString(s)) is not a number") }
            return .float(d)
        default:
            throw typeError("float: cannot convert \(v.typeNameWithArticle) to a float")
        }
    }
}

extension Substring {
    func replacingAll(_ a: String, with b: String) -> String { String(self).replacingAll(a, with: b) }
}

extension GeneralBuiltins {
    /// Characters (grapheme clusters) in a string. ASCII text without CR has one per byte, found
    /// by a byte scan; anything else takes the full grapheme walk (CRLF is one character).
    static func characterCount(_ s: String) -> Int {
        var s = s
        let simple = s.withUTF8 { bytes in !bytes.contains { $0 >= 0x80 || $0 == 0x0D } }
        return simple ? s.utf8.count : s.count
    }
}
