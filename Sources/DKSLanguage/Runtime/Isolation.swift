// Isolation: copies of functions, their captured cells and the values in them, for running on
// another thread (`parallel` workers) without sharing any mutable state with the thread that
// made them. The copy keeps the shape of the original graph: each cell and each function is
// copied once (a recursive function's copy calls its copy; two functions sharing a cell share
// its copy), so any graph of functions and cells, cycles included, copies in linear time.
// Owns: the copy and, once the call is done, breaking the cycles among the copies.
// Must not: run code, or touch the originals (they are only read).

/// The copies one `parallel` call made (one per call of the function on an item).
final class Isolation {
    private var cells: [ObjectIdentifier: Cell] = [:]
    private var functions: [ObjectIdentifier: FunctionValue] = [:]
    /// Copied cells whose value is still to be copied (a worklist, so long chains of closures
    /// never recurse deeply).
    private var pending: [(from: Cell, to: Cell)] = []
    /// Every copy made, for `release`.
    private var copiedCells: [Cell] = []

    /// The copy of `f` (builtins are immutable and shared as they are).
    func copy(_ f: FunctionValue) -> FunctionValue {
        let g = shallowCopy(f)
        drain()
        return g
    }

    /// The value with every function in it copied (values without functions are shared as
    /// they are: lists and maps are values, copied on write).
    func copy(_ v: Value) -> Value {
        let out = copyValue(v)
        drain()
        return out
    }

    /// A copy of `globals`: every variable and function cell copied (cells this isolation copied
    /// already map to those copies).
    func copy(_ globals: GlobalScope) -> GlobalScope {
        let out = GlobalScope(vars: globals.vars.mapValues { shallowCopy($0) }, fns: globals.fns.mapValues { shallowCopy($0) })
        drain()
        return out
    }

    /// Empties every copied cell (and the call's own globals, if it took a copy), which breaks
    /// the reference cycles among the copies (a recursive function's copy holds the cell that
    /// holds it), unless a value that outlives the call (a result, an error) contains a
    /// function, which may still use them: then they stay, as a closure's variables do.
    func release(unlessReachableFrom escaping: [Value], globals: GlobalScope?) {
        defer { cells = [:]; functions = [:]; copiedCells = [] }
        if escaping.contains(where: Isolation.containsFunction) { return }
        for c in copiedCells { c.value = .undefined }
        globals?.emptyCells()
    }

    /// Whether a value is or holds a function (which may hold cells).
    static func containsFunction(_ v: Value) -> Bool {
        switch v {
        case .function: return true
        case .list(let l): return l.contains(where: containsFunction)
        case .map(let m): return m.contains { containsFunction($0.key) || containsFunction($0.value) }
        case .error(let e): return e.error.value.map(containsFunction) ?? false
        default: return false
        }
    }

    // MARK: Copying

    private func shallowCopy(_ c: Cell) -> Cell {
        let id = ObjectIdentifier(c)
        if let done = cells[id] { return done }
        let fresh = Cell(.undefined)
        cells[id] = fresh
        copiedCells.append(fresh)
        pending.append((c, fresh))
        return fresh
    }

    /// A function's copy with its cells allocated (their values are filled in by `drain`).
    private func shallowCopy(_ f: FunctionValue) -> FunctionValue {
        guard let proto = f.proto else { return f }
        let id = ObjectIdentifier(f)
        if let done = functions[id] { return done }
        var caps = ContiguousArray<Cell>()
        caps.reserveCapacity(f.captureCells.count)
        for i in 0..<f.captureCells.count { caps.append(shallowCopy(f.captureCells[i])) }
        let g = FunctionValue(proto: proto, captures: caps)
        functions[id] = g
        return g
    }

    private func drain() {
        while let (from, to) = pending.popLast() { to.value = copyValue(from.value) }
    }

    /// The value with every function in it replaced by its copy; values without functions are
    /// returned as they are (no list or map is rebuilt).
    private func copyValue(_ v: Value) -> Value { copyIfNeeded(v) ?? v }

    /// The copy of `v`, or nil when `v` holds no function (each element is visited once).
    private func copyIfNeeded(_ v: Value) -> Value? {
        switch v {
        case .function(let f):
            return f.proto == nil ? nil : .function(shallowCopy(f))
        case .list(let l):
            var out: [Value]?
            for i in l.indices {
                guard let c = copyIfNeeded(l[i]) else { continue }
                if out == nil { out = l }
                out?[i] = c
            }
            return out.map { .list($0) }
        case .map(let m):
            // A copied key hashes differently, so a map that changes is rebuilt in order.
            var out: MapStorage?
            var done = 0
            for (k, x) in m {
                let ck = copyIfNeeded(k), cx = copyIfNeeded(x)
                if out == nil, ck != nil || cx != nil {
                    var fresh = MapStorage(minimumCapacity: m.count)
                    for (k0, x0) in m.prefix(done) { fresh[k0] = x0 }
                    out = fresh
                }
                out?[ck ?? k] = cx ?? x
                done += 1
            }
            return out.map { .map($0) }
        case .error(let e):
            guard let thrown = e.error.value, let c = copyIfNeeded(thrown) else { return nil }
            var err = e.error
            err.value = c
            return .error(ErrorValue(err))
        default:
            return nil
        }
    }
}
