// Binder: maps a call's arguments (command form or expression form) onto a signature's
// parameters. One binder serves both forms, so `--tail 5` and `tail: 5` always agree.
// Must not: evaluate arguments — it produces a plan the compiled call applies to values.

/// The shape of one argument at a call site, in source order.
public enum ArgShape {
    /// A value in a positional place; `raw` is the bare word as written, if it was one.
    case positional(raw: String?)
    /// `--name`, `--name=V` (hasInline), `-x`, `-xyz`.
    case option(name: String, isShort: Bool, hasInline: Bool, raw: String)
    /// `--`.
    case endOfOptions
    /// Expression form `name: value`.
    case keyword(String)

    var carriesValue: Bool {
        switch self {
        case .positional, .keyword: return true
        case .option(_, _, let inline, _): return inline
        case .endOfOptions: return false
        }
    }
}

/// What to do with one argument value (or constant) when the call runs.
public enum BindTarget {
    case set(Int)
    case append(Int)
    case setConstant(Int, Value)
    case appendConstant(Int, Value)
}

/// One step of a bound call: take value number `valueIndex` (in source order) and store it per `target`.
public struct BindStep {
    public var valueIndex: Int?
    public var target: BindTarget
}

/// A call site's bound plan.
public struct BindPlan {
    public var steps: [BindStep]
    /// Values (by index) that must be the whole option word as written (`--x=$v` after options stopped).
    public var wholeWordValues: Set<Int>
}

/// A binding failure, reported as a TypeError where the call happens.
public struct BindError: Error {
    public var message: String
    /// Which argument (by shape index) it concerns, if any.
    public var argIndex: Int?
}

public enum Binder {
    /// The shapes of a command's words, in source order (what the compiler and the language
    /// server bind against a signature).
    public static func shapes(of args: [CommandArg]) -> [ArgShape] {
        args.map { a in
            switch a {
            case .value(_, let raw, _): return .positional(raw: raw)
            case .option(let name, let isShort, let inline, let raw, _):
                return .option(name: name, isShort: isShort, hasInline: inline != nil, raw: raw)
            case .endOfOptions: return .endOfOptions
            }
        }
    }

    /// The shapes of an expression-form argument list (`f(1, key: 2)`).
    public static func shapes(of args: [CallArg]) -> [ArgShape] {
        args.map { $0.label.map { ArgShape.keyword($0) } ?? .positional(raw: nil) }
    }

    /// Plans how the arguments of one call site fill the signature's parameters.
    public static func plan(_ sig: Signature, _ shapes: [ArgShape]) throws -> BindPlan {
        var steps: [BindStep] = []
        var valueIndex = 0
        var nextPositional = 0
        var seenPositional = false
        var optionsEnded = false
        // `service create ...`: the verb, when it is one that stops options at the next positional.
        var positionalsSeen = 0
        var verbStops = false
        func stopped() -> Bool {
            optionsEnded || (sig.stopsAtFirstPositional && seenPositional) || (verbStops && positionalsSeen >= 2)
        }
        var filled = Set<Int>()
        var wholeWords = Set<Int>()
        var i = 0

        func takePositional(_ vi: Int?, constant: Value?, argIndex: Int, raw: String? = nil) throws {
            if positionalsSeen == 0, let word = raw, sig.verbsThatStopOptions.contains(word) { verbStops = true }
            positionalsSeen += 1
            seenPositional = true
            if nextPositional < sig.positionalIndexes.count {
                let p = sig.positionalIndexes[nextPositional]
                nextPositional += 1
                filled.insert(p)
                steps.append(BindStep(valueIndex: vi, target: constant.map { .setConstant(p, $0) } ?? .set(p)))
            } else if let r = sig.restIndex {
                steps.append(BindStep(valueIndex: vi, target: constant.map { .appendConstant(r, $0) } ?? .append(r)))
            } else {
                let n = sig.positionalIndexes.count
                throw BindError(message: "\(sig.name) takes \(n == 0 ? "no" : "at most \(n)") argument\(n == 1 ? "" : "s") (usage: \(sig.usage))", argIndex: argIndex)
            }
        }

        while i < shapes.count {
            let shape = shapes[i]
            let vi: Int? = shape.carriesValue ? valueIndex : nil
            if shape.carriesValue { valueIndex += 1 }
            switch shape {
            case .positional(let raw):
                try takePositional(vi, constant: nil, argIndex: i, raw: raw)
            case .endOfOptions:
                if stopped() {
                    try takePositional(nil, constant: .string("--"), argIndex: i)
                } else {
                    optionsEnded = true
                }
            case .keyword(let name):
                guard let p = sig.index(of: name) else {
                    throw BindError(message: "\(sig.name) has no parameter '\(name)'\(suggestion(name, sig)) (usage: \(sig.usage))", argIndex: i)
                }
                let param = sig.params[p]
                filled.insert(p)
                steps.append(BindStep(valueIndex: vi, target: param.repeatable ? .append(p) : .set(p)))
            case let .option(name, isShort, hasInline, raw):
                if stopped() {
                    // The word is data for the command (`run busybox sh -c ...`); keep it as written.
                    if hasInline {
                        // `--x=$v` after the stop: the whole word, as written and interpolated, is the value.
                        wholeWords.insert(vi ?? -1)
                        try takePositional(vi, constant: nil, argIndex: i)
                    } else {
                        try takePositional(nil, constant: .string(raw), argIndex: i)
                    }
                    i += 1
                    continue
                }
                if sig.unknownOptionsArePositional, !knows(sig, name: name, isShort: isShort) {
                    try takePositional(nil, constant: .string(raw), argIndex: i)
                    i += 1
                    continue
                }
                var targets: [Int] = []
                if isShort {
                    if name.count == 1, let ch = name.first, let p = sig.byShort[ch] {
                        targets = [p]
                    } else {
                        // `-it`: a cluster of single-letter flags.
                        for ch in name {
                            guard let p = sig.byShort[ch] else {
                                throw BindError(message: "\(sig.name) has no option -\(ch) (usage: \(sig.usage))", argIndex: i)
                            }
                            guard sig.params[p].flag || name.count == 1 else {
                                throw BindError(message: "option -\(ch) of \(sig.name) needs a value; give it on its own: -\(ch) VALUE", argIndex: i)
                            }
                            targets.append(p)
                        }
                    }
                } else {
                    guard let p = sig.index(of: name) else {
                        throw BindError(message: "\(sig.name) has no option --\(name)\(suggestion(name, sig)) (usage: \(sig.usage))", argIndex: i)
                    }
                    targets = [p]
                }
                if targets.count > 1 {
                    for p in targets { filled.insert(p); steps.append(BindStep(valueIndex: nil, target: .setConstant(p, .bool(true)))) }
                    i += 1
                    continue
                }
                let p = targets[0]
                let param = sig.params[p]
                filled.insert(p)
                if hasInline {
                    steps.append(BindStep(valueIndex: vi, target: param.repeatable ? .append(p) : .set(p)))
                } else if param.flag || isFlagLike(param) {
                    steps.append(BindStep(valueIndex: nil, target: .setConstant(p, .bool(true))))
                } else {
                    // The value is the next argument, whatever it looks like: `--ps-args -ef`,
                    // `--tail -1`, `-e -x` (the docker CLI's flag parser takes it the same way).
                    guard i + 1 < shapes.count else {
                        let spelled = isShort ? "-\(name)" : "--\(name)"
                        throw BindError(message: "option \(spelled) of \(sig.name) needs a value: \(spelled) \(param.valueName)", argIndex: i)
                    }
                    switch shapes[i + 1] {
                    case .positional:
                        steps.append(BindStep(valueIndex: valueIndex, target: param.repeatable ? .append(p) : .set(p)))
                        valueIndex += 1
                    case .option(_, _, true, _):
                        // `--x=$v` as a value: the whole word, as written and interpolated.
                        wholeWords.insert(valueIndex)
                        steps.append(BindStep(valueIndex: valueIndex, target: param.repeatable ? .append(p) : .set(p)))
                        valueIndex += 1
                    case .option(_, _, false, let raw):
                        steps.append(BindStep(valueIndex: nil, target: param.repeatable ? .appendConstant(p, .string(raw)) : .setConstant(p, .string(raw))))
                    case .endOfOptions:
                        steps.append(BindStep(valueIndex: nil, target: param.repeatable ? .appendConstant(p, .string("--")) : .setConstant(p, .string("--"))))
                    case .keyword:
                        let spelled = isShort ? "-\(name)" : "--\(name)"
                        throw BindError(message: "option \(spelled) of \(sig.name) needs a value: \(spelled) \(param.valueName)", argIndex: i)
                    }
                    i += 1
                }
            }
            i += 1
        }
        for (p, param) in sig.params.enumerated() where param.positional && !param.rest && param.defaultValue == nil && !filled.contains(p) {
            throw BindError(message: "\(sig.name) is missing its \(param.name) argument (usage: \(sig.usage))", argIndex: nil)
        }
        return BindPlan(steps: steps, wholeWordValues: wholeWords)
    }

    static func knows(_ sig: Signature, name: String, isShort: Bool) -> Bool {
        if isShort { return name.allSatisfy { sig.byShort[$0] != nil } }
        return sig.index(of: name) != nil
    }

    /// A user function parameter whose default is a boolean acts as a flag in command form.
    static func isFlagLike(_ p: Param) -> Bool {
        if case .bool? = p.defaultValue, p.positional { return true }
        return false
    }

    static func suggestion(_ name: String, _ sig: Signature) -> String {
        if let advice = Habits.advice(forOption: name, of: sig.name) { return " (\(advice))" }
        let names = sig.params.map { $0.name.replacingAll("_", with: "-") }
        if let best = closestName(name.replacingAll("_", with: "-"), among: names) { return " (did you mean --\(best)?)" }
        return ""
    }

    /// Applies a plan to evaluated values, giving the parameter values in declaration order.
    @inline(__always)
    public static func apply(_ steps: [BindStep], values: [Value], into out: inout [Value]) {
        for s in steps {
            let v: Value = s.valueIndex.map { $0 < values.count ? values[$0] : .null } ?? .null
            switch s.target {
            case .set(let p): out[p] = v
            case .setConstant(let p, let c): out[p] = c
            case .append(let p): appendTo(&out[p], v)
            case .appendConstant(let p, let c): appendTo(&out[p], c)
            }
        }
    }

    @inline(__always)
    static func appendTo(_ slot: inout Value, _ v: Value) {
        if case .list(var l) = slot {
            slot = .null
            l.append(v)
            slot = .list(l)
        } else {
            slot = .list([v])
        }
    }
}

/// The closest candidate by edit distance, when close enough to be a likely typo.
///
/// Close enough is relative to length, as in Python's suggestions: at most
/// (len(name) + len(candidate) + 3) / 6 edits (an adjacent swap is one), and never more than 3.
/// So `contianer` finds `container` and `ecoh` finds `echo`, but `reload` does not find `float`,
/// `docker` not `lower` and `curl` not `pull` (each of those is 2 or 3 edits in 4 to 6 letters:
/// a different word, not a typo), and a one-letter name finds nothing.
public func closestName(_ name: String, among candidates: [String]) -> String? {
    var best: (String, Int)?
    let a = Array(name.lowercased())
    for c in candidates where c != name {
        let b = Array(c.lowercased())
        if abs(a.count - b.count) > 3 { continue }
        var prev = Array(0...b.count)
        var cur = [Int](repeating: 0, count: b.count + 1)
        for i in 1...max(a.count, 1) where a.count > 0 {
            cur[0] = i
            for j in 1...max(b.count, 1) where b.count > 0 {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
                // Adjacent transposition counts as one edit (Damerau).
            }
            swap(&prev, &cur)
        }
        var d = a.isEmpty ? b.count : (b.isEmpty ? a.count : prev[b.count])
        if a.count == b.count, a.count > 1 {
            // Cheap transposition check: same letters with one adjacent swap.
            var diffs: [Int] = []
            for k in 0..<a.count where a[k] != b[k] { diffs.append(k) }
            if diffs.count == 2, diffs[1] == diffs[0] + 1, a[diffs[0]] == b[diffs[1]], a[diffs[1]] == b[diffs[0]] { d = 1 }
        }
        let limit = min(3, (a.count + b.count + 3) / 6)
        if d <= limit, best.map({ d < $0.1 }) ?? true { best = (c, d) }
    }
    return best?.0
}
