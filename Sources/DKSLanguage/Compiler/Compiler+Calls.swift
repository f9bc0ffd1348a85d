// Compiler+Calls: every kind of call — commands, `name(...)`, `$f(...)`, `$x.method(...)` —
// bound through the one Binder. Builtin signatures are bound at compile time; user functions
// called positionally write their arguments straight into the new frame.
// `$x.name(args)` is `name($x, args)` unless the value itself has a callable member `name`.
// Must not: implement builtins.

/// The runtime side of calling user functions.
enum Calls {
    @inline(__always)
    static func store(_ v: Value, _ t: LocalRef, _ frame: Frame) {
        switch t {
        case .slot(let s): frame.slots[s] = v
        case .cell(let k): frame.cells[k].value = v
        }
    }

    @inline(__always)
    static func isUnset(_ t: LocalRef, _ frame: Frame) -> Bool {
        let v: Value
        switch t {
        case .slot(let s): v = frame.slots[s]
        case .cell(let k): v = frame.cells[k].value
        }
        if case .undefined = v { return true }
        return false
    }

    /// Runs a user function: a new frame, arguments stored by `fill`, defaults for the rest, the body,
    /// its `defer`s, and a traceback line added to any error leaving it.
    @inline(__always)
    static func invoke(_ proto: FunctionProto, _ fn: FunctionValue, interp: Interpreter, callLoc: SourceLoc?,
                       fill: (Frame) throws -> Void) throws -> Value {
        if interp.depth >= interp.maxDepth { throw tooDeep(proto, interp, callLoc) }
        // The frame borrows fn's captured cells: fn must outlive the call.
        return try withExtendedLifetime(fn) {
            let frame = Frame.make(interp: interp, slotCount: proto.slotCount, cellCount: proto.cellCount, captures: fn.captureCells)
            try fill(frame)
            try fillDefaults(proto, frame, callLoc)
            return try execute(proto, frame, interp: interp, callLoc: callLoc)
        }
    }

    static func tooDeep(_ proto: FunctionProto, _ interp: Interpreter, _ callLoc: SourceLoc?) -> ScriptError {
        ScriptError(.recursionError, "maximum call depth (\(interp.maxDepth)) exceeded in \(proto.name); is the recursion missing a base case?", at: callLoc)
    }

    /// Missing arguments are the caller's mistake (reported before the function starts, so no traceback line);
    /// defaults are evaluated in the callee's frame at call time.
    static func fillDefaults(_ proto: FunctionProto, _ frame: Frame, _ callLoc: SourceLoc?) throws {
        for (i, t) in proto.paramTargets.enumerated() where proto.defaults[i] == nil && isUnset(t, frame) {
            throw ScriptError(.typeError, "\(proto.name) is missing its $\(proto.signature.params[i].name) argument (usage: \(proto.signature.usage))", at: callLoc)
        }
        for (i, t) in proto.paramTargets.enumerated() where isUnset(t, frame) {
            if let d = proto.defaults[i] {
                do { store(try d(frame), t, frame) } catch var e as ScriptError {
                    e.frames.append((proto.name, e.unwindLoc ?? e.loc ?? proto.loc))
                    e.unwindLoc = callLoc
                    throw e
                }
            }
        }
    }

    /// Runs the body in a prepared frame: call depth, `defer`s, and the traceback line on errors.
    @inline(__always)
    static func execute(_ proto: FunctionProto, _ frame: Frame, interp: Interpreter, callLoc: SourceLoc?) throws -> Value {
        interp.depth += 1
        do { _ = try proto.body(frame) } catch {
            defer { interp.depth -= 1 }
            throw unwinding(error, proto, frame, interp: interp, callLoc: callLoc)
        }
        defer { interp.depth -= 1 }
        if frame.defers != nil { try finishDefers(proto, frame, interp: interp, callLoc: callLoc) }
        return frame.takeReturnValue()
    }

    /// The hot path of a positional call with exact arity: a pooled frame, the arguments (after
    /// the receiver of a method call) evaluated in the caller's frame straight into its slots,
    /// the body, the frame back to the pool.
    @inline(__always)
    static func callInPooledFrame(_ proto: FunctionProto, _ fn: FunctionValue, caller f: Frame, receiver: Value?,
                                  args writeArgs: ArgWriter, callLoc: SourceLoc) throws -> Value {
        // The interpreter, the new frame and fn's captured cells are borrowed, not retained: this
        // path runs for every call. fn (which owns the cells) is kept alive to the end.
        try withExtendedLifetime(fn) { try f.header.interpRef._withUnsafeGuaranteedRef { interp in
            if interp.depth >= interp.maxDepth { throw tooDeep(proto, interp, callLoc) }
            let u = interp.takeFrameRef(slotCount: proto.slotCount, captures: fn.captureCells)
            do {
                let result = try u._withUnsafeGuaranteedRef { frame -> Value in
                    let slots = frame.slots
                    if let r = receiver {
                        slots[0] = r
                        try writeArgs(f, slots + 1)
                    } else {
                        try writeArgs(f, slots)
                    }
                    return try execute(proto, frame, interp: interp, callLoc: callLoc)
                }
                interp.recycleRef(u, slotCount: proto.slotCount)
                return result
            } catch {
                u.release()
                throw error
            }
        } }
    }

    /// A normal return from a function with `defer`s: they run, and the first error among them leaves the call.
    @inline(never)
    static func finishDefers(_ proto: FunctionProto, _ frame: Frame, interp: Interpreter, callLoc: SourceLoc?) throws {
        do { try interp.runDefers(frame, pending: nil) } catch {
            throw traced(error, proto, callLoc)
        }
    }

    /// An error leaving a function: its `defer`s run (their own error replaces it), then the traceback gains this call.
    @inline(never)
    static func unwinding(_ error: Error, _ proto: FunctionProto, _ frame: Frame, interp: Interpreter, callLoc: SourceLoc?) -> Error {
        var err = error
        if frame.defers != nil {
            do { try interp.runDefers(frame, pending: error) } catch let e { err = e }
        }
        return traced(err, proto, callLoc)
    }

    /// The error with this call's line added to its traceback (blocks add none: they are part of their caller).
    static func traced(_ error: Error, _ proto: FunctionProto, _ callLoc: SourceLoc?) -> Error {
        if var se = error as? ScriptError, !proto.isBlock, let here = se.unwindLoc ?? se.loc {
            se.frames.append((proto.name, here))
            se.unwindLoc = callLoc
            return se
        }
        return error
    }

    /// Calls any function value with arguments bound at run time (options, keywords, builtins in variables).
    static func callBound(_ fn: FunctionValue, shapes: [ArgShape], values: [Value], interp: Interpreter, usage: Usage, loc: SourceLoc) throws -> Value {
        switch fn.impl {
        case .builtin(let b):
            let plan: BindPlan
            do { plan = try Binder.plan(b.signature, shapes) } catch let e as BindError { throw ScriptError(.typeError, e.message, at: loc) }
            var vals = b.signature.initialValues
            Binder.apply(plan.steps, values: values, into: &vals)
            var args = Arguments(values: vals, interp: interp, usage: usage, signature: b.signature, loc: loc)
            return try Compiler.runBuiltin(b, &args, loc)
        case .user(let proto):
            let plan: BindPlan
            do { plan = try Binder.plan(proto.signature, shapes) } catch let e as BindError { throw ScriptError(.typeError, e.message, at: loc) }
            var vals = [Value](repeating: .undefined, count: proto.paramTargets.count)
            Binder.apply(plan.steps, values: values, into: &vals)
            return try invoke(proto, fn, interp: interp, callLoc: loc) { frame in
                for (i, v) in vals.enumerated() {
                    if case .undefined = v { continue }
                    store(v, proto.paramTargets[i], frame)
                }
            }
        }
    }
}

/// Evaluates a call's arguments (in the caller's frame) into consecutive slots starting at a pointer.
typealias ArgWriter = (Frame, UnsafeMutablePointer<Value>) throws -> Void

/// A compiled argument. A closure kept directly in an array or dictionary is stored in its most
/// general (reabstracted) form and called through a thunk, which cost fib 11% more instructions;
/// wrapped in a struct it keeps its own form, so call paths taking it out call it directly.
struct CompiledArg {
    let eval: Eval
}

extension Compiler {
    /// A call's argument expressions, compiled. Every call shape compiles its arguments exactly
    /// once, here, and its specialised paths share the closures: compiling an argument once per
    /// path would double the work at each level of nesting (`f(f(f(1)))`), exponentially.
    func compileArguments(_ exprs: [Expr]) -> [CompiledArg] { exprs.map { CompiledArg(eval: compileExpr($0, valueUsed: true)) } }

    /// An argument writer specialised for small counts, so the argument closures are called directly.
    func argWriter(_ evals: [CompiledArg]) -> ArgWriter {
        switch evals.count {
        case 0: return { _, _ in }
        case 1:
            let a = evals[0].eval
            return { f, p in p[0] = try a(f) }
        case 2:
            let a = evals[0].eval, b = evals[1].eval
            return { f, p in p[0] = try a(f); p[1] = try b(f) }
        case 3:
            let a = evals[0].eval, b = evals[1].eval, c = evals[2].eval
            return { f, p in p[0] = try a(f); p[1] = try b(f); p[2] = try c(f) }
        default:
            let first = argWriter(Array(evals.prefix(3)))
            let rest = argWriter(Array(evals.dropFirst(3)))
            return { f, p in
                try first(f, p)
                try rest(f, p + 3)
            }
        }
    }

    /// Runs a builtin body, giving its errors the call's position.
    @inline(__always)
    static func runBuiltin(_ b: Builtin, _ args: inout Arguments, _ l: SourceLoc) throws -> Value {
        do { return try b.body(&args) } catch { throw builtinError(error, b, l) }
    }

    /// A builtin's error as the script sees it: located at the call; a non-script error is an IOError.
    @inline(never)
    static func builtinError(_ error: Error, _ b: Builtin, _ l: SourceLoc) -> Error {
        if let e = error as? ScriptError { return e.located(l) }
        if error is ExitRequest { return error }
        return ScriptError(.ioError, "\(b.signature.name): \(error)", at: l)
    }

    /// Shapes and value expressions of an expression-form argument list.
    func callShapes(_ args: [CallArg]) -> ([ArgShape], [Expr]) {
        (Binder.shapes(of: args), args.map { $0.value })
    }

    /// Shapes and compiled values of a command's words. An inline option value (`--x=V`) also
    /// has its whole-word form (`"--x=" + str(V)`), for options a signature takes as positionals;
    /// it reuses V's closure.
    func commandShapes(_ args: [CommandArg]) -> ([ArgShape], [CompiledArg], [Int: CompiledArg]) {
        let shapes = Binder.shapes(of: args)
        var values: [CompiledArg] = []
        var whole: [Int: CompiledArg] = [:]
        for a in args {
            switch a {
            case .value(let e, _, _):
                values.append(CompiledArg(eval: compileExpr(e, valueUsed: true)))
            case .option(let name, let isShort, let inline, _, _):
                if let v = inline {
                    let prefix = (isShort ? "-" : "--") + name + "="
                    let ev = compileExpr(v, valueUsed: true)
                    whole[values.count] = CompiledArg(eval: { f in
                        var out = prefix
                        Compiler.appendStr(try ev(f), to: &out)
                        return .string(out)
                    })
                    values.append(CompiledArg(eval: ev))
                }
            case .endOfOptions:
                break
            }
        }
        return (shapes, values, whole)
    }

    func compileCommand(_ c: CommandCall, valueUsed: Bool) -> Eval {
        compileCommand(c, usage: valueUsed ? .value : .statement)
    }

    /// A command: a dks command or function (they win), else a host program; with redirections
    /// or `^`/a path, always through the pipeline runner.
    func compileCommand(_ c: CommandCall, usage: Usage) -> Eval {
        if c.hostOnly || !c.redirections.isEmpty { return compilePipeline([.command(c)], usage: usage, offset: c.offset) }
        let (shapes, values, whole) = commandShapes(c.args)
        let host = hostProgramCall(c.name, shapes: shapes, usage: usage, offset: c.offset)
        let call = compileNamedCall(c.name, shapes: shapes, args: values, wholeWords: whole, receiver: false, usage: usage,
                                    offset: c.offset, hostFallback: host)
        return { f in try call(f, nil) }
    }

    /// `receiver`: the value before the dot of a method call (`$c.reload()`), which the message names.
    static func unknownCommand(_ name: String, _ s: Scope, _ registry: BuiltinRegistry, receiver: Value? = nil) -> ScriptError {
        let what = receiver.map { "\($0.typeNameWithArticle) has no method '\(name)'" } ?? "unknown command '\(name)'"
        if let advice = Habits.advice(forName: name) { return ScriptError(.nameError, "\(what): \(advice)") }
        var msg = what
        if let best = closestName(name, among: s.visibleNames(functions: true) + registry.names) { msg += " (did you mean '\(best)'?)" }
        return ScriptError(.nameError, msg + "; see 'help' for the commands")
    }

    /// A call by name, its arguments compiled. With `receiver`, the first value is supplied by
    /// the caller (method-call form). With `hostFallback` (command form), a name that is no
    /// builtin and no function when the call runs is a host program.
    func compileNamedCall(_ name: String, shapes inShapes: [ArgShape], args: [CompiledArg], wholeWords: [Int: CompiledArg] = [:], receiver: Bool,
                          valueUsed: Bool, offset: Int) -> (Frame, Value?) throws -> Value {
        compileNamedCall(name, shapes: inShapes, args: args, wholeWords: wholeWords, receiver: receiver,
                         usage: valueUsed ? .value : .statement, offset: offset)
    }

    func compileNamedCall(_ name: String, shapes inShapes: [ArgShape], args: [CompiledArg], wholeWords: [Int: CompiledArg] = [:], receiver: Bool,
                          usage: Usage, offset: Int, hostFallback: ((Frame, [Value]) throws -> Value)? = nil) -> (Frame, Value?) throws -> Value {
        let l = loc(offset)
        let shapes = receiver ? [ArgShape.positional(raw: nil)] + inShapes : inShapes
        let builtin = registry.lookup(name)
        let local = scope.resolve("fn:" + name, create: false)
        var builtinCall: ((Frame, Value?) throws -> Value)?
        if let b = builtin {
            if local == nil { note("builtin, bound at compile time") }
            builtinCall = compileBuiltinCall(b, shapes: shapes, args: args, wholeWords: wholeWords, receiver: receiver, usage: usage, loc: l)
            if b.signature.usesCallerScope, let inner = builtinCall {
                builtinCall = { f, recv in try f.interp.withCallerScope(f) { try inner(f, recv) } }
            }
            if local == nil { return builtinCall ?? { _, _ in .null } }
        }
        let access = local ?? scope.resolve("fn:" + name) ?? .global(interp.globals.fnCell(name))
        note("user function from its \(Compiler.describe(access))" + (builtin != nil ? ", else the builtin" : "")
             + "; positional with its exact arity: arguments evaluated into a pooled frame")
        let writeArgs = argWriter(args)
        let evals = args.map { $0.eval }
        let allPositional = shapes.allSatisfy { if case .positional = $0 { return true }; return false }
        let s = scope
        let registry = self.registry
        return { f, recv in
            let target = Compiler.load(access, f)
            guard case .function(let fn) = target else {
                if case .undefined = target, let bc = builtinCall { return try bc(f, recv) }
                if case .undefined = target, let host = hostFallback {
                    var vals: [Value] = []
                    vals.reserveCapacity(evals.count)
                    for ev in evals { vals.append(try ev(f)) }
                    return try host(f, vals)
                }
                if case .undefined = target { throw Compiler.unknownCommand(name, s, registry, receiver: recv).located(l) }
                throw ScriptError(.typeError, "'\(name)' is \(target.typeNameWithArticle), not a function", at: l)
            }
            if allPositional, let pu = fn.protoRef {
                let n = evals.count + (recv == nil ? 0 : 1)
                // The hot path: exact arity, parameters in slots 0..<n — arguments go straight into
                // the new frame; the prototype is borrowed from fn, which is held for the call.
                if let result = try pu._withUnsafeGuaranteedRef({ proto -> Value? in
                    guard n == proto.paramCount, proto.paramsInSlots, proto.cellCount == 0 else { return nil }
                    return try Calls.callInPooledFrame(proto, fn, caller: f, receiver: recv, args: writeArgs, callLoc: l)
                }) {
                    return result
                }
                let proto = pu.takeUnretainedValue()
                if n <= proto.paramCount {
                    return try Calls.invoke(proto, fn, interp: f.interp, callLoc: l) { frame in
                        var k = 0
                        if let r = recv { Calls.store(r, proto.paramTargets[0], frame); k = 1 }
                        for ev in evals {
                            Calls.store(try ev(f), proto.paramTargets[k], frame)
                            k += 1
                        }
                    }
                }
            }
            var vals: [Value] = []
            vals.reserveCapacity(evals.count + 1)
            if let r = recv { vals.append(r) }
            for ev in evals { vals.append(try ev(f)) }
            return try Calls.callBound(fn, shapes: shapes, values: vals, interp: f.interp, usage: usage, loc: l)
        }
    }

    /// A builtin bound at compile time: the plan is fixed, so the call only evaluates and places values.
    func compileBuiltinCall(_ b: Builtin, shapes: [ArgShape], args values: [CompiledArg], wholeWords: [Int: CompiledArg], receiver: Bool,
                            usage: Usage, loc l: SourceLoc) -> (Frame, Value?) throws -> Value {
        let sig = b.signature
        let plan: BindPlan
        do { plan = try Binder.plan(sig, shapes) } catch {
            let message = (error as? BindError)?.message ?? "\(error)"
            return { _, _ in throw ScriptError(.typeError, message, at: l) }
        }
        // Value 0 is the receiver in method form; expression values follow.
        let exprs: [CompiledArg] = values.enumerated().map { i, v in
            plan.wholeWordValues.contains(receiver ? i + 1 : i) ? wholeWords[i] ?? v : v
        }
        let initial = sig.initialValues
        let steps = plan.steps
        let given = exprs.count + (receiver ? 1 : 0)
        // The common case: the values fill the leading parameters in order. They are written
        // straight into a pooled frame's slots, defaults after them: no array, no allocation.
        let inOrder = steps.count == given && steps.enumerated().allSatisfy { k, s in
            if case .set(let p) = s.target { return p == k && s.valueIndex == k }
            return false
        }
        if inOrder, let direct = directBuiltinCall(b, exprs, receiver: receiver, loc: l) {
            note("pure: its body is called on the plain values")
            return direct
        }
        if inOrder {
            note("arguments written into a pooled frame in order")
            let writeArgs = argWriter(exprs)
            let defaults = Array(initial[given...])
            let width = initial.count
            return { f, recv in
                let interp = f.interp
                var frame = interp.takeFrame(slotCount: width)
                let slots = frame.slots
                if let r = recv {
                    slots[0] = r
                    try writeArgs(f, slots + 1)
                } else {
                    try writeArgs(f, slots)
                }
                var k = given
                for d in defaults { slots[k] = d; k += 1 }
                let result: Value
                do {
                    var args = Arguments(storage: frame, count: width, interp: interp, usage: usage, signature: sig, loc: l)
                    result = try Compiler.runBuiltin(b, &args, l)
                }
                interp.recycle(&frame, slotCount: width)
                return result
            }
        }
        let evals = exprs
        return { f, recv in
            var raw: [Value] = []
            raw.reserveCapacity(evals.count + 1)
            if let r = recv { raw.append(r) }
            for ev in evals { raw.append(try ev.eval(f)) }
            var vals = initial
            Binder.apply(steps, values: raw, into: &vals)
            var args = Arguments(values: vals, interp: f.interp, usage: usage, signature: sig, loc: l)
            return try Compiler.runBuiltin(b, &args, l)
        }
    }

    /// A call of a pure one- or two-parameter builtin with exactly its arguments: the plain values
    /// go straight to its direct body (no frame, no `Arguments`). Nil when the builtin has none.
    func directBuiltinCall(_ b: Builtin, _ exprs: [CompiledArg], receiver: Bool, loc l: SourceLoc) -> ((Frame, Value?) throws -> Value)? {
        let count = exprs.count + (receiver ? 1 : 0)
        if let un = b.unary, count == 1 {
            if receiver {
                return { _, recv in
                    do { return try un(recv ?? .null) } catch { throw Compiler.builtinError(error, b, l) }
                }
            }
            let a0 = exprs[0].eval
            return { f, _ in
                let x = try a0(f)
                do { return try un(x) } catch { throw Compiler.builtinError(error, b, l) }
            }
        }
        if let bin = b.binary, count == 2 {
            if receiver {
                let a1 = exprs[0].eval
                return { f, recv in
                    let y = try a1(f)
                    do { return try bin(recv ?? .null, y) } catch { throw Compiler.builtinError(error, b, l) }
                }
            }
            let a0 = exprs[0].eval, a1 = exprs[1].eval
            return { f, _ in
                let x = try a0(f), y = try a1(f)
                do { return try bin(x, y) } catch { throw Compiler.builtinError(error, b, l) }
            }
        }
        return nil
    }

    /// `$f(args)`: calling whatever function value an expression gives.
    func compileValueCall(_ callee: Expr, _ args: [CallArg], offset: Int, valueUsed: Bool) -> Eval {
        let l = loc(offset)
        let ec = compileExpr(callee, valueUsed: true)
        let (shapes, values) = callShapes(args)
        let evals = compileArguments(values)
        let writeArgs = argWriter(evals)
        let allPositional = shapes.allSatisfy { if case .positional = $0 { return true }; return false }
        note("the callee is evaluated first; a user function with its exact arity gets a pooled frame")
        return { f in
            let target = try ec(f)
            guard case .function(let fn) = target else {
                throw ScriptError(.typeError, "\(target.typeNameWithArticle) is not a function and cannot be called", at: l)
            }
            if allPositional, let pu = fn.protoRef {
                // As in compileNamedCall: the prototype is borrowed from fn, held for the call.
                if let result = try pu._withUnsafeGuaranteedRef({ proto -> Value? in
                    guard evals.count == proto.paramCount, proto.paramsInSlots, proto.cellCount == 0 else { return nil }
                    return try Calls.callInPooledFrame(proto, fn, caller: f, receiver: nil, args: writeArgs, callLoc: l)
                }) {
                    return result
                }
            }
            if allPositional, let proto = fn.proto, evals.count <= proto.paramCount {
                return try Calls.invoke(proto, fn, interp: f.interp, callLoc: l) { frame in
                    for k in 0..<evals.count { Calls.store(try evals[k].eval(f), proto.paramTargets[k], frame) }
                }
            }
            var vals: [Value] = []
            for ev in evals { vals.append(try ev.eval(f)) }
            return try Calls.callBound(fn, shapes: shapes, values: vals, interp: f.interp, usage: valueUsed ? .value : .statement, loc: l)
        }
    }

    /// `$x.name(args)`: a callable member of a map or object, else `name($x, args)`.
    func compileMethodCall(_ recv: Expr, _ name: String, _ args: [CallArg], offset: Int, valueUsed: Bool) -> Eval {
        let l = loc(offset)
        let er = compileExpr(recv, valueUsed: true)
        let (shapes, values) = callShapes(args)
        let evals = compileArguments(values)
        let byName = compileNamedCall(name, shapes: shapes, args: evals, receiver: true, valueUsed: valueUsed, offset: offset)
        return { f in
            let r = try er(f)
            var member: Value?
            switch r {
            case .map(let m): member = m[.string(name)]
            case .object(let o): member = try Compiler.at(l) { try o.member(name) }
            default: break
            }
            if case .function(let fn)? = member {
                var vals: [Value] = []
                for ev in evals { vals.append(try ev.eval(f)) }
                return try Calls.callBound(fn, shapes: shapes, values: vals, interp: f.interp, usage: valueUsed ? .value : .statement, loc: l)
            }
            return try byName(f, r)
        }
    }

    // MARK: Functions

    func compileFunctionDeclaration(_ decl: FunctionDecl) -> Exec {
        let make = compileFunctionValue(decl)
        let access = resolveVariable("fn:" + (decl.name ?? "fn"), forWrite: true)
        return { f in
            Compiler.store(access, f, try make(f))
            return .normal
        }
    }

    func compileFunctionValue(_ decl: FunctionDecl) -> Eval {
        let proto = compileFunction(decl)
        let specs = proto.captureSpecs
        if specs.isEmpty {
            return { _ in .function(FunctionValue(proto: proto, captures: [])) }
        }
        return { f in
            var caps = ContiguousArray<Cell>()
            caps.reserveCapacity(specs.count)
            for s in specs {
                switch s {
                case .localCell(let k): caps.append(f.cells[k])
                case .capture(let j): caps.append(f.captures[j])
                case .global(let c): caps.append(c)
                }
            }
            return .function(FunctionValue(proto: proto, captures: caps))
        }
    }

    func compileFunction(_ decl: FunctionDecl) -> FunctionProto {
        let facts = ScopeFacts(of: decl, cache: factsCache)
        let s = Scope(parent: scope, globals: nil, isBlock: decl.isBlock)
        s.capturedNames = facts.usedInNested
        s.assignedTwice = facts.assignedTwice
        s.selfFunctionName = selfReference(decl, facts: facts)
        for p in decl.params { s.declare(p.name) }
        if !decl.isBlock {
            for name in facts.assigned where s.locals[name] == nil {
                // A name an enclosing function (or the top level) has is that variable; otherwise it is local.
                if name.hasPrefix("fn:") || !scope.hasInChain(name) { s.declare(name) }
            }
        }
        let saved = scope, savedLoop = loopDepth, savedRecord = recordValues
        scope = s
        loopDepth = 0
        recordValues = false
        let defaults: [Eval?] = decl.params.map { p in p.defaultValue.map { compileExpr($0, valueUsed: true) } }
        let body = compileStatements(decl.body)
        scope = saved
        loopDepth = savedLoop
        recordValues = savedRecord
        let targets: [LocalRef] = decl.params.map { p in
            if case .cell(let k)? = s.locals[p.name] { return .cell(k) }
            if case .slot(let i)? = s.locals[p.name] { return .slot(i) }
            return .slot(0)
        }
        let name = decl.name ?? "fn"
        note("\(s.slotCount) slot\(s.slotCount == 1 ? "" : "s"), \(s.cellCount) cell\(s.cellCount == 1 ? "" : "s"), \(s.captureSpecs.count) captured"
             + (targets.enumerated().allSatisfy { i, t in if case .slot(i) = t { return true }; return false } ? "; parameters in slots 0..<\(targets.count)" : ""))
        let proto = FunctionProto(name: decl.isBlock ? "block" : name, signature: decl.signature, slotCount: s.slotCount,
                                  cellCount: s.cellCount, paramTargets: targets, defaults: defaults, captureSpecs: s.captureSpecs,
                                  body: body, loc: loc(decl.offset), isBlock: decl.isBlock,
                                  refersToItself: s.usedSelfFunction)
        return proto
    }

    /// `fn:NAME` when `decl`, a local function, may call itself as the running function rather
    /// than through the enclosing function's cell (so its values hold no cycle): it is declared
    /// once in a function (not at the top level, whose functions are globals, nor in a block),
    /// and nothing in its body rebinds the name or uses it from a nested function or block
    /// (those would need the cell, captured along the chain). Otherwise nil.
    func selfReference(_ decl: FunctionDecl, facts: ScopeFacts) -> String? {
        guard !decl.isBlock, let name = decl.name else { return nil }
        let key = "fn:" + name
        guard scope.globals == nil, !scope.isBlock, scope.locals[key] != nil, !scope.assignedTwice.contains(key),
              !facts.usedInNested.contains(key), !facts.assigned.contains(key) else { return nil }
        return key
    }
}
