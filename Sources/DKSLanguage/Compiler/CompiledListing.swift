// CompiledListing: what `dks --dump FILE` prints — the compiled form of a program, the tree of
// closures the compiler built, one line per node with the path it chose (a slot, a global, an
// int fast path, a builtin bound at compile time, a call into a pooled frame). The closures
// themselves cannot be inspected, so the compiler records each node as it builds it.
// Owns: the listing and its text. Must not: change what is compiled (recording is off unless
// a listing is attached, and then only adds lines).

/// The compiled form of a program as an indented tree, recorded while compiling.
public final class CompiledListing {
    private var nodes: [(depth: Int, text: String, line: Int)] = []
    private var depth = 0

    public init() {}

    /// Starts a node (its children follow, one level deeper) and returns its index.
    func open(_ text: String, line: Int) -> Int {
        nodes.append((depth, text, line))
        depth += 1
        return nodes.count - 1
    }

    func close() { depth -= 1 }

    /// Adds to what the innermost open node says (the path the compiler chose for it).
    func note(_ text: String, at index: Int) {
        guard nodes.indices.contains(index) else { return }
        nodes[index].text += "  [" + text + "]"
    }

    /// One line per node: `LINE  <indent>TEXT`.
    public var text: String {
        var out = ""
        for n in nodes {
            let line = n.line > 0 ? String(n.line) : ""
            out += String(repeating: " ", count: max(0, 4 - line.count)) + line + "  "
            out += String(repeating: "  ", count: n.depth) + n.text + "\n"
        }
        return out
    }
}

extension Compiler {
    /// Opens a listing node labelled `label()` (evaluated only when listing) for the node about
    /// to be compiled; pass what it returns to `closeListing` once that node is compiled. Not a
    /// generic wrapper around the compile call: a closure returned through a generic result is
    /// wrapped in reabstraction thunks, which every run of it would pay.
    @inline(__always)
    func openListing(_ label: @autoclosure () -> String, offset: Int) -> Int? {
        guard let l = listing else { return nil }
        let saved = listingNode
        listingNode = l.open(label(), line: offset >= 0 ? loc(offset).line : 0)
        return saved
    }

    @inline(__always)
    func closeListing(_ saved: Int?) {
        guard let l = listing, let saved = saved else { return }
        l.close()
        listingNode = saved
    }

    /// Records the path the compiler chose for the node being compiled.
    @inline(__always)
    func note(_ text: @autoclosure () -> String) {
        guard let l = listing else { return }
        l.note(text(), at: listingNode)
    }

    /// How a resolved variable is reached, for the listing.
    static func describe(_ a: VarAccess) -> String {
        switch a {
        case .slot(let i): return "slot \(i)"
        case .cell(let k): return "cell \(k)"
        case .capture(let i): return "capture \(i)"
        case .global: return "global cell"
        case .selfFunction: return "the running function"
        }
    }
}

extension Stmt {
    /// A short name for the listing.
    var listingLabel: String {
        switch self {
        case .expression: return "expression statement"
        case .command(let c): return "command \(c.name)"
        case .pipeline: return "pipeline"
        case .assign(let lv, let op, _, _): return "$\(lv.variable)\(lv.path.isEmpty ? "" : "...") \(op.rawValue)"
        case .ifElse: return "if"
        case .whileLoop: return "while"
        case .forLoop(let a, let b, _, _, _): return "for $\(a)" + (b.map { ", $\($0)" } ?? "")
        case .breakLoop: return "break"
        case .continueLoop: return "continue"
        case .function(let d): return "fn \(d.name ?? "fn")"
        case .returnValue: return "return"
        case .tryCatch: return "try"
        case .throwValue: return "throw"
        case .deferBlock: return "defer"
        }
    }
}

extension Expr {
    /// A short name for the listing.
    var listingLabel: String {
        switch self {
        case .literal(let v, _): return "constant \(v.repr)"
        case .variable(let n, _): return "$\(n)"
        case .interpolation: return "interpolated string"
        case .list: return "list"
        case .map: return "map"
        case .unaryMinus: return "negate"
        case .not: return "not"
        case .and: return "and"
        case .or: return "or"
        case .binary(let op, _, _, _): return op.rawValue
        case .member(_, let name, _): return ".\(name)"
        case .index: return "index"
        case .call: return "call of a value"
        case .namedCall(let name, _, _): return "call \(name)"
        case .methodCall(_, let name, _, _): return "method .\(name)"
        case .command(let c): return "command \(c.name)"
        case .pipeline: return "pipeline"
        case .function: return "fn literal"
        case .functionRef(let name, _): return "function \(name)"
        }
    }
}
