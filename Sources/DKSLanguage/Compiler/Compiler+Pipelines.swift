// Compiler+Pipelines: host programs, pipelines and redirected commands. Each stage compiles
// to a closure that evaluates its arguments and files into a `StageRun`; all stages are
// evaluated before any starts, then the installed `PipelineRunner` runs them. Whether a name
// is a dks command or function (they win) or a host program is decided at compile time for
// builtins and `^`/path words, and when the call runs for other names (a function may be
// defined later, e.g. by `source`).
// Must not: spawn, open files or wait (the runner does).

extension Compiler {
    /// Stages joined by pipes (or one stage with redirections, or a host program).
    func compilePipeline(_ stages: [PipeStage], usage: Usage, offset: Int) -> Eval {
        let l = loc(offset)
        let makers = stages.map { compileStage($0) }
        let s = scope
        let registry = self.registry
        return { f in
            var runs: [StageRun] = []
            runs.reserveCapacity(makers.count)
            for make in makers { runs.append(try make(f)) }
            return try Compiler.runStages(runs, usage: usage, interp: f.interp, loc: l, scope: s, registry: registry)
        }
    }

    /// The host-program form of a command whose name turned out to be no dks command or function.
    func hostProgramCall(_ name: String, shapes: [ArgShape], usage: Usage, offset: Int) -> (Frame, [Value]) throws -> Value {
        let l = loc(offset)
        let s = scope
        let registry = self.registry
        return { f, values in
            let run = StageRun(stage: .host(program: name, args: Compiler.hostWords(shapes, values)), redirects: [], loc: l,
                               display: Compiler.display(name, Compiler.hostWords(shapes, values)))
            return try Compiler.runStages([run], usage: usage, interp: f.interp, loc: l, scope: s, registry: registry)
        }
    }

    static func runStages(_ runs: [StageRun], usage: Usage, interp: Interpreter, loc: SourceLoc, scope s: Scope,
                          registry: BuiltinRegistry) throws -> Value {
        guard let runner = registry.pipelineRunner else {
            throw ScriptError(.valueError, "host programs, pipes and redirection are not available in this dks", at: loc)
        }
        do {
            return try runner.run(runs, usage: usage, interp: interp, loc: loc)
        } catch let e as ProgramNotFound {
            if let advice = Habits.advice(forName: e.name) {
                throw ScriptError(.nameError, "unknown command '\(e.name)': \(advice)", at: e.loc ?? loc)
            }
            var msg = "unknown command '\(e.name)'"
            let candidates = s.visibleNames(functions: true) + registry.names + runner.programNames(interp: interp)
            if let best = closestName(e.name, among: candidates) { msg += " (did you mean '\(best)'?)" }
            throw ScriptError(.nameError, msg + ": no dks command or function has that name, and no program on $PATH; see 'help' for the commands",
                              at: e.loc ?? loc)
        }
    }

    /// One stage: a closure evaluating its arguments and redirection files.
    func compileStage(_ stage: PipeStage) -> (Frame) throws -> StageRun {
        switch stage {
        case .value(let e):
            let ev = compileExpr(e, valueUsed: true)
            let l = loc(e.offset)
            return { f in StageRun(stage: .value(try ev(f)), redirects: [], loc: l, display: "value") }
        case .command(let c):
            return compileCommandStage(c)
        }
    }

    private func compileCommandStage(_ c: CommandCall) -> (Frame) throws -> StageRun {
        let l = loc(c.offset)
        let redirects = c.redirections.map(compileRedirect)
        func files(_ f: Frame) throws -> [RedirectSpec] {
            var out: [RedirectSpec] = []
            for r in redirects { out.append(try r(f)) }
            return out
        }
        let (shapes, values, whole) = commandShapes(c.args)
        let name = c.name
        if c.hostOnly {
            let evals = values.map { $0.eval }
            return { f in
                let vals = try evals.map { try $0(f) }
                let words = Compiler.hostWords(shapes, vals)
                return StageRun(stage: .host(program: name, args: words), redirects: try files(f), loc: l, display: Compiler.display(name, words))
            }
        }
        let builtin = registry.lookup(name).map { compileBuiltinStage($0, shapes: shapes, values: values, wholeWords: whole, loc: l) }
        let local = scope.resolve("fn:" + name, create: false)
        if let b = builtin, local == nil {
            return { f in
                let (stage, vals) = try b(f)
                return StageRun(stage: stage, redirects: try files(f), loc: l, display: Compiler.display(name, Compiler.displayWords(shapes, vals)))
            }
        }
        let access = local ?? scope.resolve("fn:" + name) ?? .global(interp.globals.fnCell(name))
        let evals = values.map { $0.eval }
        return { f in
            let target = Compiler.load(access, f)
            if case .function(let fn) = target {
                let vals = try evals.map { try $0(f) }
                let run: (Interpreter, Bool) throws -> Value = { ctx, onWorker in
                    // On a worker thread the stage runs on copies of the function and its values,
                    // as a `parallel` call does (a recursive function's graph included).
                    guard onWorker else { return try Calls.callBound(fn, shapes: shapes, values: vals, interp: ctx, usage: .statement, loc: l) }
                    return try ctx.isolatedCall(fn, vals) { g, args in
                        try Calls.callBound(g, shapes: shapes, values: args, interp: ctx, usage: .statement, loc: l)
                    }
                }
                return StageRun(stage: .dks(name: name, run: run), redirects: try files(f), loc: l,
                                display: Compiler.display(name, Compiler.displayWords(shapes, vals)))
            }
            guard case .undefined = target else {
                throw ScriptError(.typeError, "'\(name)' is \(target.typeNameWithArticle), not a function", at: l)
            }
            if let b = builtin {
                let (stage, vals) = try b(f)
                return StageRun(stage: stage, redirects: try files(f), loc: l, display: Compiler.display(name, Compiler.displayWords(shapes, vals)))
            }
            let words = Compiler.hostWords(shapes, try evals.map { try $0(f) })
            return StageRun(stage: .host(program: name, args: words), redirects: try files(f), loc: l, display: Compiler.display(name, words))
        }
    }

    /// A builtin as a stage: bound at compile time; its values are evaluated when the stage is built.
    private func compileBuiltinStage(_ b: Builtin, shapes: [ArgShape], values: [CompiledArg], wholeWords: [Int: CompiledArg],
                                     loc l: SourceLoc) -> (Frame) throws -> (StageSpec, [Value]) {
        let sig = b.signature
        let plan: BindPlan
        do { plan = try Binder.plan(sig, shapes) } catch {
            let message = (error as? BindError)?.message ?? "\(error)"
            return { _ in throw ScriptError(.typeError, message, at: l) }
        }
        let evals = values.enumerated().map { i, v in (plan.wholeWordValues.contains(i) ? wholeWords[i] ?? v : v).eval }
        let initial = sig.initialValues
        let steps = plan.steps
        return { f in
            let raw = try evals.map { try $0(f) }
            return (.dks(name: sig.name, run: { ctx, _ in
                var vals = initial
                Binder.apply(steps, values: raw, into: &vals)
                var args = Arguments(values: vals, interp: ctx, usage: .statement, signature: sig, loc: l)
                return try Compiler.runBuiltin(b, &args, l)
            }), raw)
        }
    }

    private func compileRedirect(_ r: Redirection) -> (Frame) throws -> RedirectSpec {
        let rl = loc(r.offset)
        let kind = r.kind
        guard let target = r.target else { return { _ in RedirectSpec(kind: kind, path: nil, loc: rl) } }
        let ev = compileExpr(target, valueUsed: true)
        return { f in RedirectSpec(kind: kind, path: try Compiler.redirectPath(try ev(f), kind, rl), loc: rl) }
    }

    /// A redirection's file: a string (or a number word as typed), never empty.
    static func redirectPath(_ v: Value, _ kind: RedirectKind, _ l: SourceLoc) throws -> String {
        let path: String
        switch v {
        case .string(let s): path = s
        case .int, .float: path = v.str
        case .object(let w as NumberWord): path = w.spelling
        default:
            throw ScriptError(.typeError, "the file after '\(kind.rawValue)' must be a path (a string), got \(v.typeName) \(v.repr.prefix(40))", at: l)
        }
        if path.isEmpty { throw ScriptError(.valueError, "the file after '\(kind.rawValue)' is an empty string", at: l) }
        return path
    }

    /// A host program's argv words from a command's shapes and evaluated values: options as
    /// written, `--name=VALUE` with its value, `--` kept, lists spread (see `Arguments.appendArgv`).
    static func hostWords(_ shapes: [ArgShape], _ values: [Value]) -> [String] {
        var out: [String] = []
        var k = 0
        func next() -> Value {
            defer { k += 1 }
            return k < values.count ? values[k] : .null
        }
        for shape in shapes {
            switch shape {
            case .positional: Arguments.appendArgv(next(), to: &out)
            case .option(let name, let isShort, let hasInline, let raw):
                if hasInline {
                    var words: [String] = []
                    Arguments.appendArgv(next(), to: &words)
                    out.append((isShort ? "-" : "--") + name + "=" + words.joined(separator: " "))
                } else {
                    out.append(raw)
                }
            case .endOfOptions: out.append("--")
            case .keyword: k += 1
            }
        }
        return out
    }

    /// A dks command's words for messages: values as text, engine objects by their type (their
    /// text may need the engine), long values cut.
    static func displayWords(_ shapes: [ArgShape], _ values: [Value]) -> [String] {
        var plain: [Value] = []
        for v in values {
            switch v {
            case .object(let o) where !(o is NumberWord): plain.append(.string("<\(o.typeName)>"))
            case .list, .map, .function: plain.append(.string(String(v.repr.prefix(20))))
            default: plain.append(v)
            }
        }
        return hostWords(shapes, plain)
    }

    /// How messages name a stage: its words, shortened.
    static func display(_ name: String, _ words: [String]) -> String {
        let text = ([name] + words).map { w in
            w.contains(" ") || w.isEmpty ? "\"" + w.replacingAll("\"", with: "\\\"") + "\"" : w
        }.joined(separator: " ")
        return text.count > 60 ? String(text.prefix(59)) + "…" : text
    }
}
