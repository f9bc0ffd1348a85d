// Compiler+Expressions: operators (with integer fast paths and constant operands folded into
// the closure), conditions compiled to Bool without boxing, literals, interpolation, members
// and indexes. Must not: bind calls (Compiler+Calls does).

extension Compiler {
    /// Runs `body`, giving any error without a position the position `l`.
    @inline(__always)
    static func at<T>(_ l: SourceLoc, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as ScriptError { throw e.located(l) }
    }

    func compileExpr(_ e: Expr, valueUsed: Bool = true) -> Eval {
        let open = openListing(e.listingLabel, offset: e.offset)
        defer { closeListing(open) }
        return compileExprNode(e, valueUsed: valueUsed)
    }

    private func compileExprNode(_ e: Expr, valueUsed: Bool) -> Eval {
        compiledNodes += 1
        switch e {
        case .literal(let v, _):
            return { _ in v }
        case .variable(let n, let o):
            return compileVariable(n, offset: o)
        case .interpolation(let parts, _):
            return compileInterpolation(parts)
        case .list(let items, _):
            let evs = items.map { compileExpr($0, valueUsed: true) }
            return { f in
                var out: [Value] = []
                out.reserveCapacity(evs.count)
                for ev in evs { out.append(try ev(f)) }
                return .list(out)
            }
        case .map(let entries, _):
            let evs = entries.map { (compileExpr($0.key, valueUsed: true), compileExpr($0.value, valueUsed: true)) }
            return { f in
                var m = MapStorage(minimumCapacity: evs.count)
                for (k, v) in evs { m[try k(f)] = try v(f) }
                return .map(m)
            }
        case .unaryMinus(let x, let o):
            let ev = compileExpr(x, valueUsed: true)
            let l = loc(o)
            return { f in
                let v = try ev(f)
                if case .int(let i) = v, i != Int.min { return .int(-i) }
                return try Compiler.at(l) { try Ops.negate(v) }
            }
        case .not(let x, _):
            let t = compileTest(x)
            return { f in .bool(!(try t(f))) }
        case .and(let a, let b, _):
            // Like Python: the first falsy operand, else the last.
            let ea = compileExpr(a, valueUsed: true), eb = compileExpr(b, valueUsed: true)
            return { f in
                let x = try ea(f)
                return x.isTruthy ? try eb(f) : x
            }
        case .or(let a, let b, _):
            let ea = compileExpr(a, valueUsed: true), eb = compileExpr(b, valueUsed: true)
            return { f in
                let x = try ea(f)
                return x.isTruthy ? x : try eb(f)
            }
        case .binary(let op, let a, let b, let o):
            return compileBinary(op, a, b, offset: o)
        case .member(let x, let name, let o):
            let ev = compileExpr(x, valueUsed: true)
            let l = loc(o)
            return { f in
                let v = try ev(f)
                if case .map(let m) = v, let r = m[.string(name)] { return r }
                return try Compiler.at(l) { try Ops.member(v, name) }
            }
        case .index(let x, let i, let o):
            let ev = compileExpr(x, valueUsed: true), ei = compileExpr(i, valueUsed: true)
            let l = loc(o)
            return { f in
                let base = try ev(f)
                let idx = try ei(f)
                if case .list(let items) = base, case .int(let n) = idx, n >= 0, n < items.count { return items[n] }
                return try Compiler.at(l) { try Ops.index(base, idx) }
            }
        case .call(let callee, let args, let o):
            return compileValueCall(callee, args, offset: o, valueUsed: valueUsed)
        case .namedCall(let name, let args, let o):
            let (shapes, values) = callShapes(args)
            let call = compileNamedCall(name, shapes: shapes, args: compileArguments(values), receiver: false, valueUsed: valueUsed, offset: o)
            return { f in try call(f, nil) }
        case .methodCall(let recv, let name, let args, let o):
            return compileMethodCall(recv, name, args, offset: o, valueUsed: valueUsed)
        case .command(let c):
            return compileCommand(c, valueUsed: valueUsed)
        case .pipeline(let p):
            return compilePipeline(p.stages, usage: valueUsed ? .value : .statement, offset: p.offset)
        case .function(let decl):
            return compileFunctionValue(decl)
        case .functionRef(let name, let o):
            return compileFunctionRef(name, offset: o)
        }
    }

    /// `sorted($xs, key: len)`: a function named in an expression is that function's value.
    func compileFunctionRef(_ name: String, offset: Int) -> Eval {
        let l = loc(offset)
        if let access = scope.resolve("fn:" + name, create: false) {
            let fallback = registry.lookup(name).map { Value.function(FunctionValue(builtin: $0)) }
            return { f in
                let v = Compiler.load(access, f)
                if case .undefined = v {
                    if let b = fallback { return b }
                    throw ScriptError(.nameError, "function '\(name)' is not defined yet", at: l)
                }
                return v
            }
        }
        if let b = registry.lookup(name) {
            let v = Value.function(FunctionValue(builtin: b))
            return { _ in v }
        }
        fail("bare word '\(name)' in an expression: quote it (\"\(name)\"), write $\(name) for a variable, or (\(name) ...) to use a command's value", offset)
        return { _ in .null }
    }

    func compileBinary(_ op: BinaryOp, _ a: Expr, _ b: Expr, offset: Int) -> Eval {
        let l = loc(offset)
        switch op {
        case .eq, .ne, .lt, .le, .gt, .ge, .inOp:
            let t = compileComparison(op, a, b, offset: offset)
            return { f in .bool(try t(f)) }
        case .rangeIncl, .rangeExcl:
            let ea = compileExpr(a, valueUsed: true), eb = compileExpr(b, valueUsed: true)
            let incl = op == .rangeIncl
            return { f in
                let x = try ea(f), y = try eb(f)
                return try Compiler.at(l) { try Ops.makeRange(x, y, inclusive: incl) }
            }
        default: break
        }
        let ea = compileExpr(a, valueUsed: true)
        let slow: (Value, Value) throws -> Value
        switch op {
        case .add: slow = Ops.add
        case .sub: slow = Ops.sub
        case .mul: slow = Ops.mul
        case .div: slow = Ops.div
        case .floorDiv: slow = Ops.floorDiv
        default: slow = Ops.mod
        }
        if case .literal(.int(let k), _) = b {
            // A constant integer on the right (`$i + 1`) is folded into the closure; on a slot or
            // a global the int is read in place (`IntVariables`), anything else takes the folded path.
            let folded = foldedIntOp(op, k, ea, slow, l)
            if let fast = intArithmetic(op, a, k, general: folded) { return fast }
            note("constant \(k) folded in")
            return folded
        }
        return compileBinaryOperands(op, a, ea, b, slow, l)
    }

    /// `x OP k` with the constant folded into the closure.
    private func foldedIntOp(_ op: BinaryOp, _ k: Int, _ ea: @escaping Eval, _ slow: @escaping (Value, Value) throws -> Value,
                             _ l: SourceLoc) -> Eval {
        switch op {
        case .add:
            return { f in
                let x = try ea(f)
                if case .int(let i) = x {
                    let (r, o) = i.addingReportingOverflow(k)
                    if !o { return .int(r) }
                }
                return try Compiler.at(l) { try slow(x, .int(k)) }
            }
        case .sub:
            return { f in
                let x = try ea(f)
                if case .int(let i) = x {
                    let (r, o) = i.subtractingReportingOverflow(k)
                    if !o { return .int(r) }
                }
                return try Compiler.at(l) { try slow(x, .int(k)) }
            }
        default:
            return { f in
                let x = try ea(f)
                return try Compiler.at(l) { try slow(x, .int(k)) }
            }
        }
    }

    /// `a OP b` for the arithmetic operators, `a` compiled.
    private func compileBinaryOperands(_ op: BinaryOp, _ a: Expr, _ ea: @escaping Eval, _ b: Expr,
                                       _ slow: @escaping (Value, Value) throws -> Value, _ l: SourceLoc) -> Eval {
        let eb = compileExpr(b, valueUsed: true)
        // The generic body is specialised per operand kind: a local slot is read in place.
        if let v = slotIndex(a) {
            note("left operand read from slot \(v) in place; int fast path")
            return binaryOperands(op, SlotOperand(slot: v, orElse: ea), eb, slow, l)
        }
        if [.add, .sub, .mul].contains(op) { note("int fast path") }
        return binaryOperands(op, ClosureOperand(eval: ea), eb, slow, l)
    }

    private func binaryOperands<A: Operand>(_ op: BinaryOp, _ ea: A, _ eb: @escaping Eval,
                                             _ slow: @escaping (Value, Value) throws -> Value, _ l: SourceLoc) -> Eval {
        switch op {
        case .add:
            return { f in
                let x = try ea.read(f), y = try eb(f)
                if case .int(let i) = x, case .int(let j) = y {
                    let (r, o) = i.addingReportingOverflow(j)
                    if !o { return .int(r) }
                }
                return try Compiler.at(l) { try slow(x, y) }
            }
        case .sub:
            return { f in
                let x = try ea.read(f), y = try eb(f)
                if case .int(let i) = x, case .int(let j) = y {
                    let (r, o) = i.subtractingReportingOverflow(j)
                    if !o { return .int(r) }
                }
                return try Compiler.at(l) { try slow(x, y) }
            }
        case .mul:
            return { f in
                let x = try ea.read(f), y = try eb(f)
                if case .int(let i) = x, case .int(let j) = y {
                    let (r, o) = i.multipliedReportingOverflow(by: j)
                    if !o { return .int(r) }
                }
                return try Compiler.at(l) { try slow(x, y) }
            }
        default:
            return { f in
                let x = try ea.read(f), y = try eb(f)
                return try Compiler.at(l) { try slow(x, y) }
            }
        }
    }

    /// A condition as a Bool-returning closure (no Value boxing for `if $i < $n`).
    func compileTest(_ e: Expr) -> Test {
        let open = openListing("test " + e.listingLabel, offset: e.offset)
        defer { closeListing(open) }
        return compileTestNode(e)
    }

    private func compileTestNode(_ e: Expr) -> Test {
        compiledNodes += 1
        switch e {
        case .binary(let op, let a, let b, let o) where [.eq, .ne, .lt, .le, .gt, .ge, .inOp].contains(op):
            return compileComparison(op, a, b, offset: o)
        case .and(let a, let b, _):
            let ta = compileTest(a), tb = compileTest(b)
            return { f in try ta(f) && tb(f) }
        case .or(let a, let b, _):
            let ta = compileTest(a), tb = compileTest(b)
            return { f in try ta(f) || tb(f) }
        case .not(let x, _):
            let t = compileTest(x)
            return { f in !(try t(f)) }
        case .literal(let v, _):
            let b = v.isTruthy
            return { _ in b }
        default:
            let ev = compileExpr(e, valueUsed: true)
            return { f in try ev(f).isTruthy }
        }
    }

    func compileComparison(_ op: BinaryOp, _ a: Expr, _ b: Expr, offset: Int) -> Test {
        let ea = compileExpr(a, valueUsed: true)
        if case .literal(.int(let k), _) = b, op != .inOp {
            // `$n < 2` on a slot or a global: the int is read in place; anything else takes `ea`
            // (which reports an undefined variable) and the general comparison.
            let general = compileComparison(op, b, offset: offset, left: ea)
            if let fast = intComparison(op, a, k, general: general) { return fast }
            note("constant \(k) folded in")
            return general
        }
        return compileComparison(op, b, offset: offset, left: ea)
    }

    /// The index of the local slot `e` names, when `e` is a variable the current function keeps in a slot.
    func slotIndex(_ e: Expr) -> Int? {
        guard case .variable(let n, _) = e, case .slot(let i)? = scope.resolve(n, create: false) else { return nil }
        return i
    }

    /// A comparison whose left operand is already compiled.
    private func compileComparison(_ op: BinaryOp, _ b: Expr, offset: Int, left ea: @escaping Eval) -> Test {
        let l = loc(offset)
        if case .literal(.int(let k), _) = b, op != .inOp {
            switch op {
            case .lt: return { f in let x = try ea(f); if case .int(let i) = x { return i < k }; return try Compiler.at(l) { try Ops.less(x, .int(k)) } }
            case .le: return { f in let x = try ea(f); if case .int(let i) = x { return i <= k }; return try Compiler.at(l) { try !Ops.less(.int(k), x) } }
            case .gt: return { f in let x = try ea(f); if case .int(let i) = x { return i > k }; return try Compiler.at(l) { try Ops.less(.int(k), x) } }
            case .ge: return { f in let x = try ea(f); if case .int(let i) = x { return i >= k }; return try Compiler.at(l) { try !Ops.less(x, .int(k)) } }
            case .eq: return { f in let x = try ea(f); if case .int(let i) = x { return i == k }; return x == .int(k) }
            default: return { f in let x = try ea(f); if case .int(let i) = x { return i != k }; return x != .int(k) }
            }
        }
        let eb = compileExpr(b, valueUsed: true)
        switch op {
        case .eq: return { f in try ea(f) == eb(f) }
        case .ne: return { f in try ea(f) != eb(f) }
        case .lt:
            return { f in
                let x = try ea(f), y = try eb(f)
                if case .int(let i) = x, case .int(let j) = y { return i < j }
                return try Compiler.at(l) { try Ops.less(x, y) }
            }
        case .le:
            return { f in
                let x = try ea(f), y = try eb(f)
                if case .int(let i) = x, case .int(let j) = y { return i <= j }
                return try Compiler.at(l) { try !Ops.less(y, x) }
            }
        case .gt:
            return { f in
                let x = try ea(f), y = try eb(f)
                if case .int(let i) = x, case .int(let j) = y { return i > j }
                return try Compiler.at(l) { try Ops.less(y, x) }
            }
        case .ge:
            return { f in
                let x = try ea(f), y = try eb(f)
                if case .int(let i) = x, case .int(let j) = y { return i >= j }
                return try Compiler.at(l) { try !Ops.less(x, y) }
            }
        default:
            return { f in
                let x = try ea(f), y = try eb(f)
                return try Compiler.at(l) { try Ops.contains(y, x) }
            }
        }
    }

    /// `"k$i"`: a leading text starts the string, then each piece appends in place. Pieces are
    /// chained closures rather than an array of closures, so no call goes through a thunk.
    func compileInterpolation(_ parts: [InterpolationPart]) -> Eval {
        var rest = parts[...]
        var head = ""
        if case .text(let t)? = rest.first { head = t; rest = rest.dropFirst() }
        typealias Append = (Frame, inout String) throws -> Void
        var append: Append? = nil
        for p in rest {
            let piece: Append
            switch p {
            case .text(let t): piece = { _, out in out += t }
            case .expr(let x):
                let ev = compileExpr(x, valueUsed: true)
                piece = { f, out in Compiler.appendStr(try ev(f), to: &out) }
            case .dotted(let x, let names, let o):
                let ev = compileExpr(x, valueUsed: true)
                let l = loc(o)
                piece = { f, out in try Compiler.appendDotted(try ev(f), names, to: &out, l) }
            }
            if let before = append { append = { f, out in try before(f, &out); try piece(f, &out) } } else { append = piece }
        }
        guard let body = append else { return { _ in .string(head) } }
        return { f in
            var out = head
            try body(f, &out)
            return .string(out)
        }
    }

    /// `"$web.name.first"`: members of maps, objects and errors are read (a missing one is an
    /// error); from the first value of any other type (a string, number, list) on, the rest is
    /// text, so `"$file.txt"` is `$file` then `.txt`.
    static func appendDotted(_ base: Value, _ names: [String], to out: inout String, _ l: SourceLoc) throws {
        var v = base
        for (i, name) in names.enumerated() {
            switch v {
            case .map, .error: break
            case .object(let o) where !(o is NumberWord): break
            default:
                appendStr(v, to: &out)
                for rest in names[i...] { out += "." + rest }
                return
            }
            if case .map(let m) = v, let r = m[.string(name)] { v = r; continue }
            v = try Compiler.at(l) { try Ops.member(v, name) }
        }
        appendStr(v, to: &out)
    }

    /// Appends a value's `str` form, without building an intermediate string for the common types.
    @inline(__always)
    static func appendStr(_ v: Value, to out: inout String) {
        switch v {
        case .string(let s): out += s
        case .int(let i): out += i.description
        default: out += v.str
        }
    }
}

/// How a compiled binary operator reads its left operand; generic code specialised per kind
/// gives one closure per kind without writing each operator twice.
protocol Operand {
    func read(_ f: Frame) throws -> Value
}

/// Any expression: its compiled closure.
struct ClosureOperand: Operand {
    let eval: Eval
    @inline(__always) func read(_ f: Frame) throws -> Value { try eval(f) }
}

/// A local slot, read in place; an unset slot goes through the variable's closure, which reports it.
struct SlotOperand: Operand {
    let slot: Int
    let orElse: Eval
    @inline(__always) func read(_ f: Frame) throws -> Value {
        let v = f.slots[slot]
        if case .undefined = v { return try orElse(f) }
        return v
    }
}
