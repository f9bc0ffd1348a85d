// Scope: compile-time name resolution. Every `$name` and function name becomes a frame slot,
// a cell (when closures capture it), a captured cell, or a global cell — never a runtime lookup.
// Also the pre-pass that finds which names a function declares and which its closures capture.
// Must not: generate code.

/// Where a name lives when the code runs.
enum VarAccess {
    case slot(Int)
    case cell(Int)
    case capture(Int)
    case global(Cell)
    /// A local function's own name in its body: the running function itself, read from its
    /// capture storage's owner slot instead of capturing the cell that holds it (which would be
    /// a reference cycle, cell -> function -> cell, leaking every such function value).
    case selfFunction
}

/// The program-wide variables and functions (the script's top level, the prompt session, sourced files).
public final class GlobalScope {
    public private(set) var vars: [String: Cell] = [:]
    public private(set) var fns: [String: Cell] = [:]
    /// False for a `parallel` worker's copy, whose cells its `Isolation` empties (or keeps, when
    /// the worker's results may still use them).
    private let emptiesCellsWhenGone: Bool

    public init() { emptiesCellsWhenGone = true }

    /// A worker's copy of another context's globals (see `Isolation`).
    init(vars: [String: Cell], fns: [String: Cell]) {
        self.vars = vars
        self.fns = fns
        emptiesCellsWhenGone = false
    }

    /// Compiled code refers to global cells directly, so a global function that calls itself (or
    /// another global function calling back) is a cycle cell -> function -> code -> cell. Emptying
    /// the cells when the globals go (every interpreter sharing them is gone) frees those functions.
    deinit {
        guard emptiesCellsWhenGone else { return }
        emptyCells()
    }

    func emptyCells() {
        for c in vars.values { c.value = .undefined }
        for c in fns.values { c.value = .undefined }
    }

    public func varCell(_ name: String) -> Cell {
        if let c = vars[name] { return c }
        let c = Cell(.undefined)
        vars[name] = c
        return c
    }

    public func fnCell(_ name: String) -> Cell {
        if let c = fns[name] { return c }
        let c = Cell(.undefined)
        fns[name] = c
        return c
    }

    public func hasVar(_ name: String) -> Bool { vars[name] != nil }
    public func hasFn(_ name: String) -> Bool { fns[name] != nil }

    /// Sets a global variable (the executable defines `$args` and `$env` this way).
    public func set(_ name: String, _ value: Value) { varCell(name).value = value }

    /// The value of a global, if it is set.
    public func get(_ name: String) -> Value? {
        guard let v = vars[name]?.value else { return nil }
        if case .undefined = v { return nil }
        return v
    }

    /// Names that currently hold values (for completion and suggestions).
    public var definedVarNames: [String] {
        vars.compactMap { k, c in if case .undefined = c.value { return nil }; return k }.sorted()
    }
    public var definedFnNames: [String] {
        fns.compactMap { k, c in if case .undefined = c.value { return nil }; return k }.sorted()
    }
}

/// The names of one function being compiled. Function names live beside variables with a `fn:` prefix.
final class Scope {
    let parent: Scope?
    /// Set only on the top-level scope. Weak: compiled call sites keep their scope (for "did you
    /// mean" messages) and the globals hold the compiled functions, so a strong reference would be
    /// a cycle leaking every interpreter's globals. The interpreters own the globals while code runs.
    private(set) weak var globals: GlobalScope?
    let isGlobal: Bool
    let isBlock: Bool
    var locals: [String: VarAccess] = [:]
    var slotCount = 0
    var cellCount = 0
    var captureIndex: [String: Int] = [:]
    var captureSpecs: [CaptureSpec] = []
    /// Names that some closure inside this function uses (so they must live in cells).
    var capturedNames: Set<String> = []
    /// Names this function's body declares or assigns more than once.
    var assignedTwice: Set<String> = []
    /// `fn:NAME` when this is a local function that may reach itself as `.selfFunction`.
    var selfFunctionName: String?
    /// Whether the body did (the function's values then keep an owner slot).
    var usedSelfFunction = false

    init(parent: Scope?, globals: GlobalScope?, isBlock: Bool) {
        self.parent = parent
        self.globals = globals
        self.isGlobal = globals != nil
        self.isBlock = isBlock
    }

    func declare(_ name: String) {
        guard locals[name] == nil else { return }
        if capturedNames.contains(name) {
            locals[name] = .cell(cellCount)
            cellCount += 1
        } else {
            locals[name] = .slot(slotCount)
            slotCount += 1
        }
    }

    /// The nearest function scope (not a block, not the top level) that declares `name`, if any, or the top level when it does.
    func hasInChain(_ name: String) -> Bool {
        var s: Scope? = self
        while let cur = s {
            if let g = cur.globals {
                if name.hasPrefix("fn:") { return g.hasFn(String(name.dropFirst(3))) }
                return g.hasVar(name)
            }
            if cur.locals[name] != nil { return true }
            s = cur.parent
        }
        return false
    }

    /// Resolves `name`, creating captures along the way. With `create` false, unknown globals give nil.
    func resolve(_ name: String, create: Bool = true) -> VarAccess? {
        if let g = globals {
            if name.hasPrefix("fn:") {
                let fn = String(name.dropFirst(3))
                if !create && !g.hasFn(fn) { return nil }
                return .global(g.fnCell(fn))
            }
            if !create && !g.hasVar(name) { return nil }
            return .global(g.varCell(name))
        }
        if let l = locals[name] { return l }
        if let i = captureIndex[name] { return .capture(i) }
        if name == selfFunctionName {
            usedSelfFunction = true
            return .selfFunction
        }
        guard let parent = parent, let outer = parent.resolve(name, create: create) else { return nil }
        let spec: CaptureSpec
        switch outer {
        case .global(let c): spec = .global(c)
        case .cell(let k): spec = .localCell(k)
        case .capture(let j): spec = .capture(j)
        case .selfFunction:
            // Never: a function is its own `.selfFunction` only when nothing nested in it uses
            // its name (see Compiler.selfReference). Unresolved is the safe answer.
            return nil
        case .slot:
            // The pre-pass puts every captured name in a cell; reaching here means it missed one.
            // Falling back to a global keeps the program running rather than trapping.
            return nil
        }
        let i = captureSpecs.count
        captureSpecs.append(spec)
        captureIndex[name] = i
        return .capture(i)
    }

    /// Every name visible from here, for "did you mean" suggestions.
    func visibleNames(functions: Bool) -> [String] {
        var out: [String] = []
        var s: Scope? = self
        while let cur = s {
            if let g = cur.globals {
                out += functions ? g.definedFnNames : g.definedVarNames
            } else {
                for k in cur.locals.keys where k.hasPrefix("fn:") == functions {
                    out.append(functions ? String(k.dropFirst(3)) : k)
                }
            }
            s = cur.parent
        }
        return out
    }
}

/// What the pre-pass found in each nested function and block, computed once per compilation:
/// every enclosing function's pre-pass needs it, and so does the block's own compilation, and
/// walking them again at each level would make the pre-pass quadratic in the nesting depth.
final class FactsCache {
    /// Every name used inside a (non-block) function.
    var uses: [ObjectIdentifier: Set<String>] = [:]
    /// A block's facts.
    var blocks: [ObjectIdentifier: BlockNames] = [:]
    /// How many syntax nodes the pre-passes visited: each node once, so this grows linearly with
    /// the program (tests hold the compiler to that).
    var visits = 0
}

/// The pre-pass's result for one block (a closure without a scope of its own).
struct BlockNames {
    /// Names the block assigns, in order (they belong to the enclosing function).
    var assigned: [String]
    /// Names used inside functions and blocks nested in the block.
    var usedInNested: Set<String>
    /// Every name the block mentions (all of them are captured from the enclosing function).
    var mentions: Set<String>
}

/// The pre-pass over one function body. Walks each node once: a nested block's or function's
/// names come from the cache (the first walk fills it).
struct ScopeFacts {
    /// Names the body assigns (variables, loop and catch variables, `fn:` declarations), blocks included, in order.
    var assigned: [String] = []
    /// Names the body declares or assigns more than once (blocks included).
    var assignedTwice: Set<String> = []
    /// Names used anywhere inside nested functions and blocks.
    var usedInNested: Set<String> = []
    /// While walking a block: every name mentioned in it so far (nil otherwise).
    private var mentions: Set<String>?
    private let cache: FactsCache

    init(body: [Stmt], cache: FactsCache) {
        self.cache = cache
        var seen = Set<String>()
        for s in body { collect(s, nested: false, seen: &seen) }
    }

    /// The facts of a function's or block's body (a block's from the cache when known).
    init(of decl: FunctionDecl, cache: FactsCache) {
        guard decl.isBlock else { self.init(body: decl.body, cache: cache); return }
        let b = ScopeFacts.blockNames(decl, cache: cache)
        self.init(body: [], cache: cache)
        assigned = b.assigned
        usedInNested = b.usedInNested
    }

    /// Every name used inside a nested function (over-approximate: any use counts).
    private init(usesOf f: FunctionDecl, cache: FactsCache) {
        self.cache = cache
        var seen = Set<String>()
        for p in f.params { if let d = p.defaultValue { collect(d, nested: true, seen: &seen) } }
        for x in f.body { collect(x, nested: true, seen: &seen) }
    }

    private init(blockBody f: FunctionDecl, cache: FactsCache) {
        self.cache = cache
        mentions = []
        var seen = Set<String>()
        for x in f.body { collect(x, nested: false, seen: &seen) }
    }

    private static func blockNames(_ f: FunctionDecl, cache: FactsCache) -> BlockNames {
        let id = ObjectIdentifier(f)
        if let known = cache.blocks[id] { return known }
        let facts = ScopeFacts(blockBody: f, cache: cache)
        let names = BlockNames(assigned: facts.assigned, usedInNested: facts.usedInNested, mentions: facts.mentions ?? [])
        cache.blocks[id] = names
        return names
    }

    /// A name assigned (or declared) here: the function's own in its body, a nested use inside a nested one.
    private mutating func note(_ name: String, nested: Bool, seen: inout Set<String>) {
        if nested {
            usedInNested.insert(name)
        } else if seen.insert(name).inserted {
            assigned.append(name)
        } else {
            assignedTwice.insert(name)
        }
        mentions?.insert(name)
    }

    /// A name read here (it matters to the enclosing function only when nested).
    private mutating func use(_ name: String, nested: Bool) {
        if nested { usedInNested.insert(name) }
        mentions?.insert(name)
    }

    private mutating func useAll(_ names: Set<String>) {
        usedInNested.formUnion(names)
        if mentions != nil { mentions?.formUnion(names) }
    }

    private mutating func collect(_ s: Stmt, nested: Bool, seen: inout Set<String>) {
        cache.visits += 1
        switch s {
        case .expression(let e): collect(e, nested: nested, seen: &seen)
        case .command(let c): collect(c, nested: nested, seen: &seen)
        case .pipeline(let p): collect(p, nested: nested, seen: &seen)
        case .assign(let lv, _, let e, _):
            note(lv.variable, nested: nested, seen: &seen)
            for step in lv.path { if case .index(let i, _) = step { collect(i, nested: nested, seen: &seen) } }
            collect(e, nested: nested, seen: &seen)
        case .ifElse(let branches, let elseBody, _):
            for b in branches { collect(b.cond, nested: nested, seen: &seen); for x in b.body { collect(x, nested: nested, seen: &seen) } }
            for x in elseBody ?? [] { collect(x, nested: nested, seen: &seen) }
        case .whileLoop(let c, let body, _):
            collect(c, nested: nested, seen: &seen)
            for x in body { collect(x, nested: nested, seen: &seen) }
        case .forLoop(let a, let b, let it, let body, _):
            note(a, nested: nested, seen: &seen)
            if let b = b { note(b, nested: nested, seen: &seen) }
            collect(it, nested: nested, seen: &seen)
            for x in body { collect(x, nested: nested, seen: &seen) }
        case .breakLoop, .continueLoop: break
        case .function(let f):
            if let n = f.name { note("fn:" + n, nested: nested, seen: &seen) }
            collectFunction(f)
        case .returnValue(let e, _): if let e = e { collect(e, nested: nested, seen: &seen) }
        case .tryCatch(let body, let v, let c, let fin, _):
            for x in body { collect(x, nested: nested, seen: &seen) }
            if let v = v { note(v, nested: nested, seen: &seen) }
            for x in c ?? [] { collect(x, nested: nested, seen: &seen) }
            for x in fin ?? [] { collect(x, nested: nested, seen: &seen) }
        case .throwValue(let e, _): collect(e, nested: nested, seen: &seen)
        case .deferBlock(let f, _): collectBlock(f, nested: nested, seen: &seen)
        }
    }

    /// Blocks assign into the enclosing function, and what they use is captured.
    private mutating func collectBlock(_ f: FunctionDecl, nested: Bool, seen: inout Set<String>) {
        let b = ScopeFacts.blockNames(f, cache: cache)
        if !nested { for name in b.assigned { note(name, nested: false, seen: &seen) } }
        useAll(b.mentions)
    }

    private mutating func collectFunction(_ f: FunctionDecl) {
        let id = ObjectIdentifier(f)
        if let known = cache.uses[id] { useAll(known); return }
        let names = ScopeFacts(usesOf: f, cache: cache).usedInNested
        cache.uses[id] = names
        useAll(names)
    }

    private mutating func collect(_ p: Pipeline, nested: Bool, seen: inout Set<String>) {
        for stage in p.stages {
            switch stage {
            case .command(let c): collect(c, nested: nested, seen: &seen)
            case .value(let e): collect(e, nested: nested, seen: &seen)
            }
        }
    }

    private mutating func collect(_ c: CommandCall, nested: Bool, seen: inout Set<String>) {
        use("fn:" + c.name, nested: nested)
        for r in c.redirections { if let t = r.target { collect(t, nested: nested, seen: &seen) } }
        for a in c.args {
            switch a {
            case .value(let e, _, _):
                if case .function(let f) = e, f.isBlock { collectBlock(f, nested: nested, seen: &seen) } else { collect(e, nested: nested, seen: &seen) }
            case .option(_, _, let v, _, _): if let v = v { collect(v, nested: nested, seen: &seen) }
            case .endOfOptions: break
            }
        }
    }

    private mutating func collect(_ e: Expr, nested: Bool, seen: inout Set<String>) {
        cache.visits += 1
        switch e {
        case .literal: break
        case .variable(let n, _): use(n, nested: nested)
        case .interpolation(let parts, _):
            for p in parts {
                switch p {
                case .expr(let x), .dotted(let x, _, _): collect(x, nested: nested, seen: &seen)
                case .text: break
                }
            }
        case .list(let items, _): for x in items { collect(x, nested: nested, seen: &seen) }
        case .map(let entries, _): for (k, v) in entries { collect(k, nested: nested, seen: &seen); collect(v, nested: nested, seen: &seen) }
        case .unaryMinus(let x, _), .not(let x, _), .member(let x, _, _): collect(x, nested: nested, seen: &seen)
        case .and(let a, let b, _), .or(let a, let b, _), .binary(_, let a, let b, _), .index(let a, let b, _):
            collect(a, nested: nested, seen: &seen); collect(b, nested: nested, seen: &seen)
        case .call(let f, let args, _):
            collect(f, nested: nested, seen: &seen)
            for a in args { collect(a.value, nested: nested, seen: &seen) }
        case .functionRef(let n, _):
            use("fn:" + n, nested: nested)
        case .namedCall(let n, let args, _):
            use("fn:" + n, nested: nested)
            for a in args { collect(a.value, nested: nested, seen: &seen) }
        case .methodCall(let r, let n, let args, _):
            use("fn:" + n, nested: nested)
            collect(r, nested: nested, seen: &seen)
            for a in args { collect(a.value, nested: nested, seen: &seen) }
        case .command(let c): collect(c, nested: nested, seen: &seen)
        case .pipeline(let p): collect(p, nested: nested, seen: &seen)
        case .function(let f):
            if f.isBlock { collectBlock(f, nested: nested, seen: &seen) } else { collectFunction(f) }
        }
    }
}
