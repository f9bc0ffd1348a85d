// DocumentAnalysis: what the language server knows about one open document without running
// it — the tree with its layout, the syntax and compile errors, the binder's verdict on every
// command and call (unknown command, unknown option, wrong arity), and where functions and
// variables are defined, with the scope that sees them.
// Owns: the static walk. Must not: run any of the program or reach an engine.
import DKSLanguage
import DKSHost

/// One problem found in a document.
struct Diagnostic {
    enum Severity: Int { case error = 1, warning = 2 }
    var start: Int
    var end: Int
    var message: String
    var severity: Severity
}

/// A name defined in the document.
struct Definition {
    enum Kind { case function, variable, parameter }
    var name: String
    var kind: Kind
    /// Where the name is written (the `$` of a variable, the function's name).
    var offset: Int
    /// Where the definition's whole text starts and ends (for document symbols).
    var fullStart: Int
    var fullEnd: Int
    /// The span of source that sees it (its function's body, or the whole document).
    var scopeStart: Int
    var scopeEnd: Int
    /// A function's parameters (for hover and completion of its options).
    var decl: FunctionDecl?
    /// What a variable was last assigned from, when that tells its members.
    var origin: ValueOrigin?
}

/// What static analysis knows of a variable's value.
enum ValueOrigin {
    /// A map literal and its keys.
    case map([String])
    /// The value of a command (`$c = run -d ...`): its name and whether `-d`/`--detach` was given.
    case command(String, detached: Bool)
    /// The error of a `catch`.
    case caught
}

final class DocumentAnalysis {
    let file: SourceFile
    let trivia = SyntaxTrivia()
    let stmts: [Stmt]
    let syntaxErrors: [SyntaxError]
    private(set) var definitions: [Definition] = []
    private(set) var diagnostics: [Diagnostic] = []
    let registry: BuiltinRegistry
    /// Whether the document loads other files (`source`): their functions are unknown here.
    private(set) var sources = false
    private var commands: [(CommandCall, scope: Range<Int>)] = []
    private var namedCalls: [(String, [CallArg], offset: Int)] = []

    init(text: String, name: String, registry: BuiltinRegistry, checkPrograms: Bool = true) {
        file = SourceFile(name: name, text: text)
        self.registry = registry
        let (stmts, errors) = Parser.parseRecovering(file, trivia: trivia)
        self.stmts = stmts
        syntaxErrors = errors
        walk(stmts, scope: 0..<file.bytes.count, function: nil)
        diagnose(checkPrograms: checkPrograms)
    }

    // MARK: The walk

    private func walk(_ stmts: [Stmt], scope: Range<Int>, function: FunctionDecl?) {
        for s in stmts { walk(s, scope: scope) }
    }

    private func walk(_ s: Stmt, scope: Range<Int>) {
        switch s {
        case .expression(let e): walk(e, scope: scope)
        case .command(let c): command(c, scope: scope)
        case .pipeline(let p): pipeline(p, scope: scope)
        case .assign(let lv, let op, let e, let o):
            if lv.path.isEmpty, op == .set {
                define(Definition(name: lv.variable, kind: .variable, offset: lv.offset, fullStart: o, fullEnd: endOfLine(o),
                                  scopeStart: scope.lowerBound, scopeEnd: scope.upperBound, origin: origin(of: e)))
            } else if lv.path.isEmpty {
                define(Definition(name: lv.variable, kind: .variable, offset: lv.offset, fullStart: o, fullEnd: endOfLine(o),
                                  scopeStart: scope.lowerBound, scopeEnd: scope.upperBound))
            }
            for step in lv.path { if case .index(let i, _) = step { walk(i, scope: scope) } }
            walk(e, scope: scope)
        case .ifElse(let branches, let elseBody, _):
            for b in branches { walk(b.cond, scope: scope); walk(b.body, scope: scope, function: nil) }
            if let e = elseBody { walk(e, scope: scope, function: nil) }
        case .whileLoop(let c, let body, _):
            walk(c, scope: scope)
            walk(body, scope: scope, function: nil)
        case .forLoop(let a, let b, let it, let body, let o):
            for name in [a] + (b.map { [$0] } ?? []) {
                let at = find("$" + name, after: o) ?? o
                define(Definition(name: name, kind: .variable, offset: at, fullStart: at, fullEnd: at + name.utf8.count + 1,
                                  scopeStart: scope.lowerBound, scopeEnd: scope.upperBound))
            }
            walk(it, scope: scope)
            walk(body, scope: scope, function: nil)
        case .breakLoop, .continueLoop: break
        case .function(let d): function(d, scope: scope)
        case .returnValue(let e, _): if let e { walk(e, scope: scope) }
        case .tryCatch(let body, let v, let c, let f, let o):
            walk(body, scope: scope, function: nil)
            if let v, let opens = trivia.blockOpens[o], opens.count > 1 {
                let at = find("$" + v, after: opens[0]) ?? o
                define(Definition(name: v, kind: .variable, offset: at, fullStart: at, fullEnd: at + v.utf8.count + 1,
                                  scopeStart: scope.lowerBound, scopeEnd: scope.upperBound, origin: .caught))
            }
            if let c { walk(c, scope: scope, function: nil) }
            if let f { walk(f, scope: scope, function: nil) }
        case .throwValue(let e, _): walk(e, scope: scope)
        case .deferBlock(let d, _): walk(d.body, scope: scope, function: nil)
        }
    }

    private func function(_ d: FunctionDecl, scope: Range<Int>) {
        let open = trivia.blockOpens[d.offset]?.first
        let close = open.flatMap { trivia.closes[$0] }.map { $0 + 1 } ?? file.bytes.count
        let body = d.offset..<max(d.offset, close)
        if let name = d.name, name != "fn", !d.isBlock {
            let at = find(name, after: d.offset + 2) ?? d.offset
            define(Definition(name: name, kind: .function, offset: at, fullStart: d.offset, fullEnd: body.upperBound,
                              scopeStart: scope.lowerBound, scopeEnd: scope.upperBound, decl: d))
        }
        for p in d.params {
            define(Definition(name: p.name, kind: .parameter, offset: p.offset, fullStart: p.offset,
                              fullEnd: p.offset + p.name.utf8.count + 1, scopeStart: body.lowerBound, scopeEnd: body.upperBound))
            if let v = p.defaultValue { walk(v, scope: body) }
        }
        walk(d.body, scope: d.isBlock ? scope : body, function: d)
    }

    private func command(_ c: CommandCall, scope: Range<Int>) {
        if c.name == "source" { sources = true }
        commands.append((c, scope))
        for a in c.args {
            switch a {
            case .value(let e, _, _): walk(e, scope: scope)
            case .option(_, _, let v, _, _): if let v { walk(v, scope: scope) }
            case .endOfOptions: break
            }
        }
        for r in c.redirections { if let t = r.target { walk(t, scope: scope) } }
    }

    private func pipeline(_ p: Pipeline, scope: Range<Int>) {
        for stage in p.stages {
            switch stage {
            case .command(let c): command(c, scope: scope)
            case .value(let e): walk(e, scope: scope)
            }
        }
    }

    private func walk(_ e: Expr, scope: Range<Int>) {
        switch e {
        case .literal, .variable, .functionRef: break
        case .interpolation(let parts, _):
            for p in parts {
                switch p {
                case .text: break
                case .expr(let x), .dotted(let x, _, _): walk(x, scope: scope)
                }
            }
        case .list(let items, _): items.forEach { walk($0, scope: scope) }
        case .map(let entries, _): entries.forEach { walk($0.key, scope: scope); walk($0.value, scope: scope) }
        case .unaryMinus(let x, _), .not(let x, _), .member(let x, _, _): walk(x, scope: scope)
        case .and(let a, let b, _), .or(let a, let b, _), .binary(_, let a, let b, _), .index(let a, let b, _):
            walk(a, scope: scope)
            walk(b, scope: scope)
        case .call(let f, let args, _):
            walk(f, scope: scope)
            args.forEach { walk($0.value, scope: scope) }
        case .namedCall(let name, let args, let o):
            namedCalls.append((name, args, o))
            args.forEach { walk($0.value, scope: scope) }
        case .methodCall(let x, _, let args, _):
            walk(x, scope: scope)
            args.forEach { walk($0.value, scope: scope) }
        case .command(let c): command(c, scope: scope)
        case .pipeline(let p): pipeline(p, scope: scope)
        case .function(let d): function(d, scope: scope)
        }
    }

    private func define(_ d: Definition) { definitions.append(d) }

    private func origin(of e: Expr) -> ValueOrigin? {
        switch e {
        case .map(let entries, _):
            return .map(entries.compactMap { en in
                if case .literal(.string(let k), _) = en.key { return k }
                return nil
            })
        case .command(let c):
            let detached = c.args.contains { a in
                if case .option(let n, _, _, _, _) = a { return n == "d" || n == "detach" }
                return false
            }
            return .command(c.hostOnly ? "^" : c.name, detached: detached)
        case .pipeline: return .command("^", detached: false)
        default: return nil
        }
    }

    /// The offset of `text` at or after `start` (on the same statement), if it is there.
    private func find(_ text: String, after start: Int) -> Int? {
        let needle = Array(text.utf8)
        let bytes = file.bytes
        var i = max(0, start)
        let limit = min(bytes.count, start + 4096)
        while i + needle.count <= limit {
            if bytes[i] == needle[0], Array(bytes[i..<(i + needle.count)]) == needle { return i }
            i += 1
        }
        return nil
    }

    func endOfLine(_ offset: Int) -> Int {
        var i = offset
        while i < file.bytes.count, file.bytes[i] != 10 { i += 1 }
        return i
    }

    // MARK: Diagnostics

    /// The functions the document defines, by name (the innermost wins where several do).
    func functions(visibleAt offset: Int) -> [String: FunctionDecl] {
        var out: [String: (FunctionDecl, Int)] = [:]
        for d in definitions where d.kind == .function && d.scopeStart <= offset && offset <= d.scopeEnd {
            guard let decl = d.decl else { continue }
            let width = d.scopeEnd - d.scopeStart
            if let seen = out[d.name], seen.1 <= width { continue }
            out[d.name] = (decl, width)
        }
        return out.mapValues { $0.0 }
    }

    private func diagnose(checkPrograms: Bool) {
        for e in syntaxErrors {
            let o = e.loc.offset
            diagnostics.append(Diagnostic(start: o, end: wordEnd(o), message: e.message, severity: .error))
        }
        if syntaxErrors.isEmpty {
            // The compiler's own checks (`break` outside a loop, a bare word in an expression),
            // in a context of its own: compiling runs nothing.
            let scratch = Interpreter(registry: registry, scriptName: file.name)
            do { try scratch.compileOnly(file) } catch let e as SyntaxErrors {
                for err in e.errors {
                    let o = err.loc.offset
                    diagnostics.append(Diagnostic(start: o, end: wordEnd(o), message: err.message, severity: .error))
                }
            } catch {}
        }
        let path = environmentPath()
        for (c, _) in commands {
            checkCommand(c, path: path, checkPrograms: checkPrograms)
        }
        for (name, args, o) in namedCalls {
            let shapes = Binder.shapes(of: args)
            if let sig = registry.lookup(name)?.signature ?? functions(visibleAt: o)[name]?.signature {
                bind(sig, shapes, at: o, argOffsets: args.map(\.offset))
            } else if !sources, name != "fn" {
                var msg = "unknown function '\(name)'"
                if let best = closestName(name, among: registry.names + definitions.filter { $0.kind == .function }.map(\.name)) {
                    msg += " (did you mean '\(best)'?)"
                }
                diagnostics.append(Diagnostic(start: o, end: o + name.utf8.count, message: msg, severity: .error))
            }
        }
    }

    private func checkCommand(_ c: CommandCall, path: String?, checkPrograms: Bool) {
        let nameEnd = c.offset + c.name.utf8.count + (c.hostOnly && file.bytes.indices.contains(c.offset) && file.bytes[c.offset] == 94 ? 1 : 0)
        if c.hostOnly {
            guard checkPrograms, !c.name.contains("/") else { return }
            if ProgramLookup.locate(c.name, path: path) == .notFound {
                diagnostics.append(Diagnostic(start: c.offset, end: nameEnd,
                                              message: "no program '\(c.name)' on PATH", severity: .warning))
            }
            return
        }
        let shapes = Binder.shapes(of: c.args)
        let argOffsets = c.args.map { a -> Int in
            switch a {
            case .value(_, _, let o), .option(_, _, _, _, let o), .endOfOptions(let o): return o
            }
        }
        if let decl = functions(visibleAt: c.offset)[c.name] {
            bind(decl.signature, shapes, at: c.offset, argOffsets: argOffsets)
            return
        }
        if let b = registry.lookup(c.name) {
            bind(b.signature, shapes, at: c.offset, argOffsets: argOffsets)
            return
        }
        guard checkPrograms else { return }
        if ProgramLookup.locate(c.name, path: path) != .notFound { return }
        var msg = "unknown command '\(c.name)'"
        if let best = closestName(c.name, among: registry.names + definitions.filter { $0.kind == .function }.map(\.name)) {
            msg += " (did you mean '\(best)'?)"
        }
        msg += ": no dks command, no function in this file and no program on PATH has this name"
        diagnostics.append(Diagnostic(start: c.offset, end: nameEnd, message: msg, severity: sources ? .warning : .error))
    }

    private func bind(_ sig: Signature, _ shapes: [ArgShape], at offset: Int, argOffsets: [Int]) {
        do { _ = try Binder.plan(sig, shapes) } catch let e as BindError {
            let start = e.argIndex.flatMap { $0 < argOffsets.count ? argOffsets[$0] : nil } ?? offset
            let end = trivia.wordEnds[start] ?? wordEnd(start)
            diagnostics.append(Diagnostic(start: start, end: end, message: e.message, severity: .error))
        } catch {}
    }

    func wordEnd(_ o: Int) -> Int {
        if let e = trivia.wordEnds[o] { return e }
        return scanWordEnd(o)
    }

    private func scanWordEnd(_ o: Int) -> Int {
        let bytes = file.bytes
        var i = o
        if i < bytes.count, bytes[i] == 36 || bytes[i] == 94 { i += 1 }
        while i < bytes.count {
            let c = bytes[i]
            if c == 32 || c == 9 || c == 10 || c == 13 || c == 59 || c == 40 || c == 41 || c == 123 || c == 125 || c == 44 { break }
            i += 1
        }
        if i == o {
            while i < bytes.count, bytes[i] != 10 { i += 1 }
        }
        return max(i, min(o + 1, bytes.count))
    }

    private func environmentPath() -> String? {
        guard let p = getenv("PATH") else { return nil }
        return String(cString: p)
    }
}

#if canImport(Glibc)
import Glibc
#endif
