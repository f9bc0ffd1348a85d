// Compiler+Variables: reading and writing resolved names, assignment (including in-place
// `+=` on uniquely held lists and strings, and nested `$m.a[0] = v`), and `for` loops.
// Must not: resolve names at run time.

extension Compiler {
    func resolveVariable(_ name: String, forWrite: Bool) -> VarAccess {
        scope.resolve(name) ?? .global(interp.globals.varCell(name))
    }

    @inline(__always)
    static func load(_ a: VarAccess, _ f: Frame) -> Value {
        switch a {
        case .slot(let s): return f.slots[s]
        case .cell(let k): return f.cells[k].value
        case .capture(let i): return f.captures[i].value
        case .global(let c): return c.value
        case .selfFunction: return f.captures.owner.map { .function($0) } ?? .undefined
        }
    }

    @inline(__always)
    static func store(_ a: VarAccess, _ f: Frame, _ v: Value) {
        switch a {
        case .slot(let s): f.slots[s] = v
        case .cell(let k): f.cells[k].value = v
        case .capture(let i): f.captures[i].value = v
        case .global(let c): c.value = v
        case .selfFunction: break  // never a write target: a body that assigns the name has its own local
        }
    }

    /// Mutates a variable's storage in place (so uniquely held lists and maps are not copied).
    @inline(__always)
    static func modify<T>(_ a: VarAccess, _ f: Frame, _ body: (inout Value) throws -> T) rethrows -> T {
        switch a {
        case .slot(let s): return try body(&f.slots[s])
        case .cell(let k): return try body(&f.cells[k].value)
        case .capture(let i): return try body(&f.captures[i].value)
        case .global(let c): return try body(&c.value)
        case .selfFunction:
            var own = load(a, f)
            return try body(&own)
        }
    }

    static func undefinedVariable(_ name: String, _ s: Scope) -> ScriptError {
        var msg = "undefined variable $\(name)"
        if let best = closestName(name, among: s.visibleNames(functions: false)) { msg += " (did you mean $\(best)?)" }
        else if let advice = Habits.advice(forVariable: name) { msg += ": \(advice)" }
        return ScriptError(.nameError, msg)
    }

    func compileVariable(_ name: String, offset: Int) -> Eval {
        let access = resolveVariable(name, forWrite: false)
        let l = loc(offset)
        let s = scope
        let fail: () -> ScriptError = { Compiler.undefinedVariable(name, s).located(l) }
        note(Compiler.describe(access))
        switch access {
        case .slot(let i):
            return { f in
                let v = f.slots[i]
                if case .undefined = v { throw fail() }
                return v
            }
        case .cell(let k):
            return { f in
                let v = f.cells[k].value
                if case .undefined = v { throw fail() }
                return v
            }
        case .capture(let i):
            return { f in
                let v = f.captures[i].value
                if case .undefined = v { throw fail() }
                return v
            }
        case .global(let c):
            return { _ in
                let v = c.value
                if case .undefined = v { throw fail() }
                return v
            }
        case .selfFunction:
            return { f in
                let v = Compiler.load(access, f)
                if case .undefined = v { throw fail() }
                return v
            }
        }
    }

    // MARK: Assignment

    func compileAssignment(_ lv: LValue, _ op: AssignOp, _ rhs: Expr, offset: Int) -> Exec {
        let access = resolveVariable(lv.variable, forWrite: true)
        note(Compiler.describe(access))
        let l = loc(offset)
        let name = lv.variable
        let s = scope
        if lv.path.isEmpty, op == .add, case .list(let items, _) = rhs, items.count == 1 {
            // `$xs += [v]`, the append idiom: no one-item list is built just to be appended.
            let item = compileExpr(items[0], valueUsed: true)
            return { f in
                let v = try item(f)
                try Compiler.modify(access, f) { slot in
                    if case .list(var arr) = slot {
                        slot = .null
                        arr.append(v)
                        slot = .list(arr)
                    } else {
                        if case .undefined = slot { throw Compiler.undefinedVariable(name, s).located(l) }
                        try Compiler.compound(op, &slot, .list([v]), l)
                    }
                }
                return .normal
            }
        }
        let value = compileExpr(rhs, valueUsed: true)
        if lv.path.isEmpty {
            if op == .set {
                switch access {
                case .slot(let i): return { f in f.slots[i] = try value(f); return .normal }
                case .global(let c): return { f in c.value = try value(f); return .normal }
                default: return { f in Compiler.store(access, f, try value(f)); return .normal }
                }
            }
            let general: (Frame, Value) throws -> Flow = { f, v in
                try Compiler.modify(access, f) { slot in
                    if case .undefined = slot { throw Compiler.undefinedVariable(name, s).located(l) }
                    try Compiler.compound(op, &slot, v, l)
                }
                return .normal
            }
            if let fast = intCompoundAssignment(op, name, rhs, value, general: general) { return fast }
            return { f in try general(f, try value(f)) }
        }
        // `$m.a[0] = v`: evaluate the keys, then walk the path mutating in place.
        let keys: [Eval] = lv.path.map { step in
            switch step {
            case .member(let n, _): return { _ in .string(n) }
            case .index(let e, _): return compileExpr(e, valueUsed: true)
            }
        }
        let isMember = lv.path.map { if case .member = $0 { return true }; return false }
        return { f in
            let v = try value(f)
            var ks: [Value] = []
            ks.reserveCapacity(keys.count)
            for k in keys { ks.append(try k(f)) }
            try Compiler.modify(access, f) { root in
                if case .undefined = root { throw Compiler.undefinedVariable(name, s).located(l) }
                do { try Compiler.setPath(&root, ks, isMember, 0, op, v) } catch let e as ScriptError { throw e.located(l) }
            }
            return .normal
        }
    }

    /// `+= -= *=` in place: ints with overflow checks, lists and strings appended without copying when unique.
    static func compound(_ op: AssignOp, _ slot: inout Value, _ v: Value, _ l: SourceLoc) throws {
        do {
            switch op {
            case .set: slot = v
            case .add:
                if case .int(let x) = slot, case .int(let y) = v {
                    let (r, o) = x.addingReportingOverflow(y)
                    if o { throw Ops.overflow("+=") }
                    slot = .int(r)
                } else if case .list(var arr) = slot, case .list(let other) = v {
                    slot = .null
                    arr.append(contentsOf: other)
                    slot = .list(arr)
                } else if case .string(var str) = slot, case .string(let other) = v {
                    slot = .null
                    str += other
                    slot = .string(str)
                } else if case .map(var m) = slot, case .map(let other) = v {
                    slot = .null
                    for (k, x) in other { m[k] = x }
                    slot = .map(m)
                } else {
                    slot = try Ops.add(slot, v)
                }
            case .sub: slot = try Ops.sub(slot, v)
            case .mul: slot = try Ops.mul(slot, v)
            }
        } catch let e as ScriptError { throw e.located(l) }
    }

    static func setPath(_ target: inout Value, _ keys: [Value], _ isMember: [Bool], _ i: Int, _ op: AssignOp, _ v: Value) throws {
        if i == keys.count {
            if op == .set { target = v } else {
                switch op {
                case .add: target = try Ops.add(target, v)
                case .sub: target = try Ops.sub(target, v)
                case .mul: target = try Ops.mul(target, v)
                case .set: target = v
                }
            }
            return
        }
        let key = keys[i]
        // `if case` (not `switch`) so no second reference to the collection stays alive:
        // with `target` cleared, the bound copy is unique and mutates in place.
        if case .map(var m) = target {
            target = .null
            defer { target = .map(m) }
            if i == keys.count - 1 && op == .set {
                m[key] = v
            } else if let idx = m.index(forKey: key) {
                var child = m.values[idx]
                m.values[idx] = .null
                defer { m.values[idx] = child }
                try setPath(&child, keys, isMember, i + 1, op, v)
            } else {
                throw Ops.keyError(key, m)
            }
            return
        }
        if case .list(var l) = target {
            guard case .int(let n) = key else {
                throw ScriptError(.typeError, isMember[i] ? "a list has no member '\(key.str)'" : "list indexes must be integers, got \(key.typeName)")
            }
            let j = try Ops.normalize(n, count: l.count, what: "list")
            target = .null
            defer { target = .list(l) }
            try setPath(&l[j], keys, isMember, i + 1, op, v)
            return
        }
        throw ScriptError(.typeError, "cannot assign \(isMember[i] ? "member ." + key.str : "index [" + key.repr + "]") of \(target.typeNameWithArticle); only lists and maps can be changed in place")
    }

    // MARK: for loops

    func compileFor(_ a: String, _ b: String?, _ iterable: Expr, _ body: [Stmt], offset: Int) -> Exec {
        let record = recordValues
        recordValues = false
        defer { recordValues = record }
        let first = resolveVariable(a, forWrite: true)
        let second = b.map { resolveVariable($0, forWrite: true) }
        let l = loc(offset)
        // `for $i in A..B` counts without building a range.
        if second == nil, case .binary(let op, let lo, let hi, let ro) = iterable, op == .rangeIncl || op == .rangeExcl {
            note("counts in a machine int, no range built; $\(a) in its \(Compiler.describe(first))")
            let loE = compileExpr(lo, valueUsed: true), hiE = compileExpr(hi, valueUsed: true)
            let rl = loc(ro)
            loopDepth += 1
            let bodyE = compileStatements(body)
            loopDepth -= 1
            let inclusive = op == .rangeIncl
            return { f in
                guard case .int(let start) = try loE(f), case .int(var end) = try hiE(f) else {
                    throw ScriptError(.typeError, "range bounds must be integers", at: rl)
                }
                if inclusive {
                    if end == Int.max { throw ScriptError(.arithmeticError, "range end overflows", at: rl) }
                    end += 1
                }
                var i = start
                while i < end {
                    Compiler.store(first, f, .int(i))
                    try Interpreter.checkInterrupt(at: l)
                    switch try bodyE(f) {
                    case .normal, .continueLoop: break
                    case .breakLoop: return .normal
                    case .returned: return .returned
                    }
                    i += 1
                }
                return .normal
            }
        }
        // `for $line in (CMD)`: a command or pipeline streams its stdout lines as they arrive.
        let iter: Eval
        if case .command = iterable { note("the command's output lines stream in as they arrive") }
        if case .pipeline = iterable { note("the pipeline's output lines stream in as they arrive") }
        switch iterable {
        case .command(let c): iter = compileCommand(c, usage: .iterated)
        case .pipeline(let p): iter = compilePipeline(p.stages, usage: .iterated, offset: p.offset)
        case .namedCall(let name, let args, let o):
            // `for $l in input_lines()`: builtins may stream when iterated.
            let (shapes, values) = callShapes(args)
            let call = compileNamedCall(name, shapes: shapes, args: compileArguments(values), receiver: false, usage: .iterated, offset: o)
            iter = { f in try call(f, nil) }
        default: iter = compileExpr(iterable, valueUsed: true)
        }
        loopDepth += 1
        let bodyE = compileStatements(body)
        loopDepth -= 1
        return { f in
            let seq = try iter(f)
            // Returns nil to go on, or the flow that ends the loop.
            @inline(__always) func step(_ x: Value, _ y: Value?) throws -> Flow? {
                Compiler.store(first, f, x)
                if let s = second, let y = y { Compiler.store(s, f, y) }
                try Interpreter.checkInterrupt(at: l)
                switch try bodyE(f) {
                case .normal, .continueLoop: return nil
                case .breakLoop: return .normal
                case .returned: return .returned
                }
            }
            switch seq {
            case .list(let items):
                if second == nil {
                    for x in items { if let r = try step(x, nil) { return r } }
                } else {
                    for (i, x) in items.enumerated() { if let r = try step(.int(i), x) { return r } }
                }
            case .map(let m):
                for (k, v) in m { if let r = try step(k, v) { return r } }
            case .string(let s):
                var i = 0
                for ch in s {
                    if second == nil {
                        if let r = try step(.string(String(ch)), nil) { return r }
                    } else if let r = try step(.int(i), .string(String(ch))) { return r }
                    i += 1
                }
            case .range(let r):
                var i: UInt = 0
                while i < r.length {
                    let v = Value.int(r.element(i))
                    if second == nil {
                        if let out = try step(v, nil) { return out }
                    } else {
                        // The position is an int: a range longer than that cannot be enumerated.
                        guard i <= UInt(Int.max) else { throw Ops.overflow("the position of a for loop") }
                        if let out = try step(.int(Int(i)), v) { return out }
                    }
                    i += 1
                }
            case .object(let o):
                var result: Flow = .normal
                var index = 0
                let iterable: Bool
                do {
                    iterable = try o.iterate { item in
                        let r = second == nil ? try step(item, nil) : try step(.int(index), item)
                        index += 1
                        if let r = r { result = r; return false }
                        return true
                    }
                } catch let e as ScriptError {
                    // An error of the iteration itself (a stream that failed, an interruption
                    // while waiting for the next item) happened at the loop.
                    throw e.located(l)
                }
                if !iterable { throw ScriptError(.typeError, "cannot iterate over \(withArticle(o.typeName))", at: l) }
                return result
            default:
                throw ScriptError(.typeError, "cannot iterate over \(seq.typeNameWithArticle); for loops take a list, range, string, map or stream", at: l)
            }
            return .normal
        }
    }
}
