// SyntaxDump: a syntax tree as text without positions — two programs with the same dump parse
// to the same tree, so they do the same thing. `dks fmt` compares the dumps of its input and its
// output before it writes anything, and the tests compare them for every file in the repository.
// Owns: that rendering. Must not: depend on offsets, layout or comments.
import DKSLanguage

public enum SyntaxDump {
    /// The dump of a whole program.
    public static func dump(_ stmts: [Stmt]) -> String {
        var out = ""
        block(stmts, &out)
        return out
    }

    static func block(_ stmts: [Stmt], _ o: inout String) {
        o += "{"
        for s in stmts { stmt(s, &o); o += ";" }
        o += "}"
    }

    static func stmt(_ s: Stmt, _ o: inout String) {
        switch s {
        case .expression(let e): o += "(expr "; expr(e, &o); o += ")"
        case .command(let c): command(c, &o)
        case .pipeline(let p): pipeline(p, &o)
        case .assign(let lv, let op, let e, _):
            o += "(assign $\(lv.variable)"
            for step in lv.path {
                switch step {
                case .member(let n, _): o += " .\(n)"
                case .index(let i, _): o += " ["; expr(i, &o); o += "]"
                }
            }
            o += " \(op.rawValue) "
            expr(e, &o)
            o += ")"
        case .ifElse(let branches, let elseBody, _):
            o += "(if"
            for b in branches { o += " "; expr(b.cond, &o); o += " "; block(b.body, &o) }
            if let e = elseBody { o += " else "; block(e, &o) }
            o += ")"
        case .whileLoop(let c, let body, _): o += "(while "; expr(c, &o); o += " "; block(body, &o); o += ")"
        case .forLoop(let a, let b, let it, let body, _):
            o += "(for $\(a)\(b.map { " $" + $0 } ?? "") "
            expr(it, &o)
            o += " "
            block(body, &o)
            o += ")"
        case .breakLoop: o += "(break)"
        case .continueLoop: o += "(continue)"
        case .function(let d): function(d, &o)
        case .returnValue(let e, _):
            o += "(return"
            if let e { o += " "; expr(e, &o) }
            o += ")"
        case .tryCatch(let body, let v, let c, let f, _):
            o += "(try "
            block(body, &o)
            if let c { o += " catch\(v.map { " $" + $0 } ?? "") "; block(c, &o) }
            if let f { o += " finally "; block(f, &o) }
            o += ")"
        case .throwValue(let e, _): o += "(throw "; expr(e, &o); o += ")"
        case .deferBlock(let d, _): o += "(defer "; function(d, &o); o += ")"
        }
    }

    static func function(_ d: FunctionDecl, _ o: inout String) {
        o += "(fn \(d.name ?? "-") \(d.isBlock ? "block" : "fn") ("
        for p in d.params {
            o += "$\(p.name)"
            if let v = p.defaultValue { o += "="; expr(v, &o) }
            o += " "
        }
        o += ") "
        block(d.body, &o)
        o += ")"
    }

    static func command(_ c: CommandCall, _ o: inout String) {
        o += "(cmd \(quote(c.name))\(c.hostOnly ? " host" : "")"
        for a in c.args {
            o += " "
            switch a {
            case .value(let e, let raw, _):
                o += "(v "
                expr(e, &o)
                if let raw { o += " raw=\(quote(raw))" }
                o += ")"
            case .option(let name, let isShort, let inline, let raw, _):
                o += "(opt \(quote(name)) \(isShort ? "short" : "long") raw=\(quote(raw))"
                if let inline { o += " "; expr(inline, &o) }
                o += ")"
            case .endOfOptions:
                o += "(--)"
            }
        }
        for r in c.redirections {
            o += " (redirect \(r.kind.rawValue)"
            if let t = r.target { o += " "; expr(t, &o) }
            o += ")"
        }
        o += ")"
    }

    static func pipeline(_ p: Pipeline, _ o: inout String) {
        o += "(pipe"
        for s in p.stages {
            o += " "
            switch s {
            case .command(let c): command(c, &o)
            case .value(let e): o += "(value "; expr(e, &o); o += ")"
            }
        }
        o += ")"
    }

    static func args(_ args: [CallArg], _ o: inout String) {
        o += "("
        for a in args {
            if let l = a.label { o += "\(l): " }
            expr(a.value, &o)
            o += ", "
        }
        o += ")"
    }

    static func literal(_ v: Value) -> String {
        if let spelling = v.numberWordSpelling { return "\(v.typeName):\(quote(spelling))" }
        return "\(v.typeName):\(v.repr)"
    }

    static func expr(_ e: Expr, _ o: inout String) {
        switch e {
        case .literal(let v, _): o += literal(v)
        case .variable(let n, _): o += "$\(n)"
        case .interpolation(let parts, _):
            o += "(str"
            for p in parts {
                o += " "
                switch p {
                case .text(let t): o += quote(t)
                case .expr(let x): o += "{"; expr(x, &o); o += "}"
                case .dotted(let x, let names, _): o += "{"; expr(x, &o); o += names.map { "." + $0 }.joined(); o += "}"
                }
            }
            o += ")"
        case .list(let items, _):
            o += "["
            for i in items { expr(i, &o); o += ", " }
            o += "]"
        case .map(let entries, _):
            o += "(map"
            for en in entries { o += " "; expr(en.key, &o); o += ": "; expr(en.value, &o) }
            o += ")"
        case .unaryMinus(let x, _): o += "(neg "; expr(x, &o); o += ")"
        case .not(let x, _): o += "(not "; expr(x, &o); o += ")"
        case .and(let a, let b, _): o += "(and "; expr(a, &o); o += " "; expr(b, &o); o += ")"
        case .or(let a, let b, _): o += "(or "; expr(a, &o); o += " "; expr(b, &o); o += ")"
        case .binary(let op, let a, let b, _): o += "(\(op.rawValue) "; expr(a, &o); o += " "; expr(b, &o); o += ")"
        case .member(let x, let n, _): o += "(. "; expr(x, &o); o += " \(n))"
        case .index(let x, let i, _): o += "([] "; expr(x, &o); o += " "; expr(i, &o); o += ")"
        case .call(let f, let a, _): o += "(call "; expr(f, &o); o += " "; args(a, &o); o += ")"
        case .namedCall(let n, let a, _): o += "(call \(n) "; args(a, &o); o += ")"
        case .methodCall(let x, let n, let a, _): o += "(method "; expr(x, &o); o += " \(n) "; args(a, &o); o += ")"
        case .command(let c): command(c, &o)
        case .pipeline(let p): pipeline(p, &o)
        case .function(let d): function(d, &o)
        case .functionRef(let n, _): o += "(ref \(n))"
        }
    }

    static func quote(_ s: String) -> String { Value.string(s).repr }
}
