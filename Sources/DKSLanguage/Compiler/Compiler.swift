// Compiler: turns the syntax tree into a tree of Swift closures, once, before anything runs.
// Names are resolved to slots here; statements return a `Flow` instead of throwing for
// break/continue/return, so the hot path has no Swift error traffic.
// Must not: run code (the closures do), or look names up by string at run time.

typealias Eval = (Frame) throws -> Value
typealias Exec = (Frame) throws -> Flow
typealias Test = (Frame) throws -> Bool

final class Compiler {
    let interp: Interpreter
    let registry: BuiltinRegistry
    let file: SourceFile
    var scope: Scope
    var loopDepth = 0
    var errors: [SyntaxError] = []
    /// True while compiling top-level statements of a prompt entry (their values are echoed).
    var recordValues = false
    /// The names each nested function uses, for every function's pre-pass (see `ScopeFacts`).
    let factsCache = FactsCache()
    /// How many expressions and statements were compiled: each node of the tree once, so this
    /// grows linearly with the program (tests hold the compiler to that).
    var compiledNodes = 0
    /// When set, every node compiled is recorded here (`dks --dump`); `listingNode` is the open one.
    var listing: CompiledListing?
    var listingNode = -1

    init(file: SourceFile, interp: Interpreter, scope: Scope) {
        self.interp = interp
        self.registry = interp.registry
        self.file = file
        self.scope = scope
    }

    func loc(_ offset: Int) -> SourceLoc { SourceLoc(file: file, offset: offset) }

    func fail(_ message: String, _ offset: Int) { errors.append(SyntaxError(message, at: loc(offset))) }

    /// Compiles a program for the top level of `interp`. Throws `SyntaxErrors`.
    static func compileProgram(_ stmts: [Stmt], file: SourceFile, interp: Interpreter) throws -> Exec {
        try compileCounting(stmts, file: file, interp: interp).program
    }

    /// `compileProgram`, also giving the work done: the nodes compiled plus the nodes the
    /// pre-passes visited (each linear in the program's size).
    static func compileCounting(_ stmts: [Stmt], file: SourceFile, interp: Interpreter,
                                listing: CompiledListing? = nil) throws -> (program: Exec, nodes: Int) {
        let globals = interp.ownGlobals()
        let top = Scope(parent: nil, globals: globals, isBlock: false)
        let c = Compiler(file: file, interp: interp, scope: top)
        c.listing = listing
        // Declare every top-level name first, so functions see globals assigned later in the file.
        let facts = ScopeFacts(body: stmts, cache: c.factsCache)
        for name in facts.assigned {
            if name.hasPrefix("fn:") { _ = globals.fnCell(String(name.dropFirst(3))) } else { _ = globals.varCell(name) }
        }
        c.recordValues = interp.recordsValues
        let body = c.compileStatements(stmts)
        if !c.errors.isEmpty { throw SyntaxErrors(errors: c.errors) }
        return (body, c.compiledNodes + c.factsCache.visits)
    }

    // MARK: Statement lists

    /// A statement list; `fn` declarations in it are bound first, so functions can be called before their text.
    func compileStatements(_ stmts: [Stmt]) -> Exec {
        let record = recordValues
        var ordered: [(Stmt, Bool)] = []
        for s in stmts { if case .function = s { ordered.append((s, false)) } }
        for (i, s) in stmts.enumerated() {
            if case .function = s { continue }
            ordered.append((s, record && i == stmts.count - 1))
        }
        let chain = sequence(ordered[...])
        recordValues = record
        return chain
    }

    /// Chains statements into a balanced tree of closures. The closures never pass through an
    /// array: a closure stored in an array is wrapped in a reabstraction thunk on every call.
    func sequence(_ stmts: ArraySlice<(Stmt, Bool)>) -> Exec {
        switch stmts.count {
        case 0: return { _ in .normal }
        case 1:
            let (s, record) = stmts[stmts.startIndex]
            recordValues = record
            return compileStatement(s)
        case 2:
            let a = sequence(stmts.prefix(1))
            if let ev = returnedValue(stmts[stmts.startIndex + 1].0, fused: true) {
                // `...; return X` (a function's usual last statement): the return is part of this closure.
                return { f in
                    let r = try a(f)
                    guard case .normal = r else { return r }
                    f.returnValue = try ev(f)
                    return .returned
                }
            }
            let b = sequence(stmts.suffix(1))
            return { f in
                let r = try a(f)
                if case .normal = r { return try b(f) }
                return r
            }
        default:
            let mid = stmts.startIndex + stmts.count / 2
            let a = sequence(stmts[..<mid]), b = sequence(stmts[mid...])
            return { f in
                let r = try a(f)
                if case .normal = r { return try b(f) }
                return r
            }
        }
    }

    func compileStatement(_ s: Stmt) -> Exec {
        let open = openListing(s.listingLabel, offset: s.offset)
        defer { closeListing(open) }
        return compileStatementNode(s)
    }

    private func compileStatementNode(_ s: Stmt) -> Exec {
        compiledNodes += 1
        switch s {
        case .expression(let e):
            let ev = compileExpr(e, valueUsed: false)
            if recordValues {
                return { f in f.interp.lastValue = try ev(f); return .normal }
            }
            return { f in _ = try ev(f); return .normal }
        case .command(let c):
            let ev = compileCommand(c, valueUsed: false)
            if recordValues {
                return { f in f.interp.lastValue = try ev(f); return .normal }
            }
            return { f in _ = try ev(f); return .normal }
        case .pipeline(let p):
            let ev = compilePipeline(p.stages, usage: .statement, offset: p.offset)
            if recordValues {
                return { f in f.interp.lastValue = try ev(f); return .normal }
            }
            return { f in _ = try ev(f); return .normal }
        case .assign(let lv, let op, let e, let o):
            return compileAssignment(lv, op, e, offset: o)
        case .ifElse(let branches, let elseBody, _):
            return compileIf(branches, elseBody)
        case .whileLoop(let cond, let body, let o):
            return compileWhile(cond, body, offset: o)
        case .forLoop(let a, let b, let iterable, let body, let o):
            return compileFor(a, b, iterable, body, offset: o)
        case .breakLoop(let o):
            if loopDepth == 0 { fail("'break' outside a loop", o) }
            return { _ in .breakLoop }
        case .continueLoop(let o):
            if loopDepth == 0 { fail("'continue' outside a loop", o) }
            return { _ in .continueLoop }
        case .function(let decl):
            return compileFunctionDeclaration(decl)
        case .returnValue(let e, _):
            guard let e = e else { return { f in f.returnValue = .null; return .returned } }
            let ev = compileExpr(e, valueUsed: true)
            return { f in f.returnValue = try ev(f); return .returned }
        case .tryCatch(let body, let v, let c, let fin, _):
            return compileTry(body, v, c, fin)
        case .throwValue(let e, let o):
            let ev = compileExpr(e, valueUsed: true)
            let l = loc(o)
            return { f in throw Compiler.thrownError(try ev(f), at: l) }
        case .deferBlock(let decl, _):
            let make = compileFunctionValue(decl)
            return { f in
                guard case .function(let fn) = try make(f) else { return .normal }
                if f.defers == nil { f.defers = [fn] } else { f.defers?.append(fn) }
                return .normal
            }
        }
    }

    static func thrownError(_ v: Value, at l: SourceLoc) -> ScriptError {
        switch v {
        case .error(let e):
            // Rethrowing a caught error keeps its kind, position and traceback.
            return e.error
        case .string(let s):
            var err = ScriptError(.thrown, s, at: l)
            err.value = v
            return err
        default:
            var err = ScriptError(.thrown, v.str, at: l)
            if case .map(let m) = v, case .string(let msg)? = m[.string("message")] { err.message = msg }
            err.value = v
            return err
        }
    }

    // MARK: Control flow

    func compileIf(_ branches: [(cond: Expr, body: [Stmt])], _ elseBody: [Stmt]?) -> Exec {
        let record = recordValues
        recordValues = false
        defer { recordValues = record }
        return ifChain(branches[...], elseBody)
    }

    /// `if/elif/else` as nested closures (no arrays of closures on the hot path).
    /// The compiled value of `return X` (null for a bare `return`), or nil for any other statement.
    func returnedValue(_ s: Stmt, fused: Bool) -> Eval? {
        guard case .returnValue(let e, let o) = s else { return nil }
        let open = openListing("return", offset: o)
        defer { closeListing(open) }
        note(fused ? "part of the closure of the statement before it" : "part of the if's closure")
        guard let e = e else { return { _ in .null } }
        return compileExpr(e, valueUsed: true)
    }

    func ifChain(_ branches: ArraySlice<(cond: Expr, body: [Stmt])>, _ elseBody: [Stmt]?) -> Exec {
        guard let first = branches.first else {
            return elseBody.map { compileStatements($0) } ?? { _ in .normal }
        }
        let c = compileTest(first.cond)
        if branches.count == 1 && elseBody == nil, first.body.count == 1, let ev = returnedValue(first.body[0], fused: false) {
            // `if C { return X }`, the guard idiom, as one closure.
            return { f in
                guard try c(f) else { return .normal }
                f.returnValue = try ev(f)
                return .returned
            }
        }
        let b = compileStatements(first.body)
        if branches.count == 1 && elseBody == nil {
            return { f in try c(f) ? try b(f) : .normal }
        }
        let rest = ifChain(branches.dropFirst(), elseBody)
        return { f in try c(f) ? try b(f) : try rest(f) }
    }

    func compileWhile(_ cond: Expr, _ body: [Stmt], offset: Int) -> Exec {
        let record = recordValues
        recordValues = false
        defer { recordValues = record }
        let c = compileTest(cond)
        loopDepth += 1
        let b = compileStatements(body)
        loopDepth -= 1
        let l = loc(offset)
        return { f in
            while try c(f) {
                try Interpreter.checkInterrupt(at: l)
                switch try b(f) {
                case .normal, .continueLoop: continue
                case .breakLoop: return .normal
                case .returned: return .returned
                }
            }
            return .normal
        }
    }

    func compileTry(_ body: [Stmt], _ v: String?, _ c: [Stmt]?, _ fin: [Stmt]?) -> Exec {
        let record = recordValues
        recordValues = false
        defer { recordValues = record }
        let b = compileStatements(body)
        let setVar: ((Frame, Value) -> Void)? = v.map { name in
            let access = resolveVariable(name, forWrite: true)
            return { f, val in Compiler.store(access, f, val) }
        }
        let handler: Exec? = c.map { compileStatements($0) }
        let finally: Exec? = fin.map { compileStatements($0) }
        let guarded: Exec
        if let handler = handler {
            guarded = { f in
                do { return try b(f) } catch let e as ScriptError {
                    setVar?(f, .error(ErrorValue(e)))
                    return try handler(f)
                }
            }
        } else {
            guarded = b
        }
        guard let finally = finally else { return guarded }
        return { f in
            let flow: Flow
            do { flow = try guarded(f) } catch {
                // `finally` runs on every path; a return or break inside it wins over the error,
                // and an error it raises is recorded on the pending one (as for `defer`).
                let ff: Flow
                do { ff = try finally(f) } catch let cleanup { throw addingCleanupError(cleanup, to: error) }
                if case .normal = ff { throw error }
                return ff
            }
            let ff = try finally(f)
            if case .normal = ff { return flow }
            return ff
        }
    }
}
