// IntVariables: the int fast paths of variables in a local slot, a global cell or a captured cell:
// `$i < 5000000`, `$i % 7`, `$i += 1` read the int in place and write it back without copying
// or releasing a Value. Anything that is not an int (or an unset variable) takes the general
// path, which reports errors as before.
// Owns: the `IntVariable` kinds and the closures specialised over them. Must not: change what
// an operator means (each fast path computes exactly what `Ops` would, or falls back to it).

/// A variable read and written as an int without copying a `Value`.
protocol IntVariable {
    /// The int the variable holds; nil for any other value (or none).
    func int(_ f: Frame) -> Int?
    /// Replaces the int the variable holds (the caller has just read one: nothing to release).
    func replaceInt(_ f: Frame, _ v: Int)
}

/// A local of the running function, in its frame's slots.
struct SlotVariable: IntVariable {
    let slot: Int
    @inline(__always) func int(_ f: Frame) -> Int? {
        if case .int(let i) = f.slots[slot] { return i }
        return nil
    }
    @inline(__always) func replaceInt(_ f: Frame, _ v: Int) { (f.slots + slot).initialize(to: .int(v)) }
}

/// A global (a script's top-level variable), in its cell.
struct GlobalVariable: IntVariable {
    let cell: Cell
    @inline(__always) func int(_ f: Frame) -> Int? {
        if case .int(let i) = cell.value { return i }
        return nil
    }
    @inline(__always) func replaceInt(_ f: Frame, _ v: Int) {
        withUnsafeMutablePointer(to: &cell.value) { $0.initialize(to: .int(v)) }
    }
}

/// A variable of an enclosing scope that the running function captured (a global used in a
/// function, or a closure's outer variable), in its captured cell.
struct CaptureVariable: IntVariable {
    let index: Int
    @inline(__always) func int(_ f: Frame) -> Int? {
        if case .int(let i) = f.captures[index].value { return i }
        return nil
    }
    @inline(__always) func replaceInt(_ f: Frame, _ v: Int) {
        withUnsafeMutablePointer(to: &f.captures[index].value) { $0.initialize(to: .int(v)) }
    }
}

/// The variable an expression names, when it has an int fast path. Each user switches over it
/// and calls a local generic `make`, so every closure is specialised for its kind of variable
/// and returned with its concrete type (a closure returned through a generic result type is
/// wrapped in reabstraction thunks, which cost more than the fast path saves).
enum IntVariableRef {
    case slot(SlotVariable)
    case global(GlobalVariable)
    case capture(CaptureVariable)
}

extension Compiler {
    /// The variable `e` names, when it lives in a slot, a global cell or a captured cell.
    func intVariable(_ e: Expr) -> IntVariableRef? {
        guard case .variable(let n, _) = e else { return nil }
        switch scope.resolve(n, create: false) {
        case .slot(let i)?: return .slot(SlotVariable(slot: i))
        case .global(let c)?: return .global(GlobalVariable(cell: c))
        case .capture(let i)?: return .capture(CaptureVariable(index: i))
        default: return nil
        }
    }

    /// `$v OP k` for a comparison, the int read in place; anything else runs `general`.
    func intComparison(_ op: BinaryOp, _ a: Expr, _ k: Int, general: @escaping Test) -> Test? {
        func make<V: IntVariable>(_ v: V) -> Test {
            switch op {
            case .lt: return { f in if let i = v.int(f) { return i < k }; return try general(f) }
            case .le: return { f in if let i = v.int(f) { return i <= k }; return try general(f) }
            case .gt: return { f in if let i = v.int(f) { return i > k }; return try general(f) }
            case .ge: return { f in if let i = v.int(f) { return i >= k }; return try general(f) }
            case .eq: return { f in if let i = v.int(f) { return i == k }; return try general(f) }
            default: return { f in if let i = v.int(f) { return i != k }; return try general(f) }
            }
        }
        switch intVariable(a) {
        case .slot(let v)?: note("int read in place from slot \(v.slot), constant \(k)"); return make(v)
        case .global(let v)?: note("int read in place from its global cell, constant \(k)"); return make(v)
        case .capture(let v)?: note("int read in place from capture \(v.index), constant \(k)"); return make(v)
        case nil: return nil
        }
    }

    /// `$v OP k` for `+ - * % //`, the int read in place; overflow, a zero divisor or any other
    /// value runs `general` (which computes or reports it as `Ops` does).
    func intArithmetic(_ op: BinaryOp, _ a: Expr, _ k: Int, general: @escaping Eval) -> Eval? {
        func make<V: IntVariable>(_ v: V) -> Eval {
            switch op {
            case .add:
                return { f in
                    if let i = v.int(f) { let (r, o) = i.addingReportingOverflow(k); if !o { return .int(r) } }
                    return try general(f)
                }
            case .sub:
                return { f in
                    if let i = v.int(f) { let (r, o) = i.subtractingReportingOverflow(k); if !o { return .int(r) } }
                    return try general(f)
                }
            case .mul:
                return { f in
                    if let i = v.int(f) { let (r, o) = i.multipliedReportingOverflow(by: k); if !o { return .int(r) } }
                    return try general(f)
                }
            case .mod where k > 0:
                // Floored: the result takes the divisor's sign (`-7 % 3` is 2), as `Ops.mod`.
                return { f in
                    if let i = v.int(f) { let r = i % k; return .int(r < 0 ? r + k : r) }
                    return try general(f)
                }
            case .floorDiv where k > 0:
                return { f in
                    if let i = v.int(f) { let q = i / k; return .int(i % k < 0 ? q - 1 : q) }
                    return try general(f)
                }
            default: return general
            }
        }
        switch intVariable(a) {
        case .slot(let v)?: note("int read in place from slot \(v.slot), constant \(k)"); return make(v)
        case .global(let v)?: note("int read in place from its global cell, constant \(k)"); return make(v)
        case .capture(let v)?: note("int read in place from capture \(v.index), constant \(k)"); return make(v)
        case nil: return nil
        }
    }

    /// `$v += E`, `-=`, `*=` on a slot, a global or a capture: E is evaluated first (as always), and when
    /// it and the variable are ints the result is written in place; anything else (lists,
    /// strings, maps, overflow, an unset variable) goes to `general` with E's value.
    func intCompoundAssignment(_ op: AssignOp, _ name: String, _ rhs: Expr, _ value: @escaping Eval,
                               general: @escaping (Frame, Value) throws -> Flow) -> Exec? {
        var constant: Int?
        if case .literal(.int(let k), _) = rhs { constant = k }
        func make<V: IntVariable>(_ v: V) -> Exec {
            if let k = constant, op == .add {
                // `$i += 1`: nothing to evaluate.
                return { f in
                    if let i = v.int(f) { let (r, o) = i.addingReportingOverflow(k); if !o { v.replaceInt(f, r); return .normal } }
                    return try general(f, .int(k))
                }
            }
            switch op {
            case .add:
                return { f in
                    let y = try value(f)
                    if case .int(let j) = y, let i = v.int(f) {
                        let (r, o) = i.addingReportingOverflow(j)
                        if !o { v.replaceInt(f, r); return .normal }
                    }
                    return try general(f, y)
                }
            case .sub:
                return { f in
                    let y = try value(f)
                    if case .int(let j) = y, let i = v.int(f) {
                        let (r, o) = i.subtractingReportingOverflow(j)
                        if !o { v.replaceInt(f, r); return .normal }
                    }
                    return try general(f, y)
                }
            case .mul:
                return { f in
                    let y = try value(f)
                    if case .int(let j) = y, let i = v.int(f) {
                        let (r, o) = i.multipliedReportingOverflow(by: j)
                        if !o { v.replaceInt(f, r); return .normal }
                    }
                    return try general(f, y)
                }
            case .set: return { f in try general(f, try value(f)) }
            }
        }
        switch intVariable(.variable(name, offset: 0)) {
        case .slot(let v)?: note("int updated in place in slot \(v.slot)" + (constant.map { ", constant \($0)" } ?? "")); return make(v)
        case .global(let v)?: note("int updated in place in its global cell" + (constant.map { ", constant \($0)" } ?? "")); return make(v)
        case .capture(let v)?: note("int updated in place in capture \(v.index)" + (constant.map { ", constant \($0)" } ?? "")); return make(v)
        case nil: return nil
        }
    }
}
