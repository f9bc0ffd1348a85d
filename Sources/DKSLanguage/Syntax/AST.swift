// AST: the syntax tree the parser builds and the compiler reads.
// Owns: the shapes of statements, expressions and command calls, each with a source offset.
// Must not: hold runtime state (the compiler turns the tree into closures once).

public enum BinaryOp: String {
    case add = "+", sub = "-", mul = "*", div = "/", floorDiv = "//", mod = "%"
    case eq = "==", ne = "!=", lt = "<", le = "<=", gt = ">", ge = ">=", inOp = "in"
    case rangeIncl = "..", rangeExcl = "..<"
}

/// An argument of an expression-mode call: `f(1, key: 2)`.
public struct CallArg {
    public var label: String?
    public var value: Expr
    public var offset: Int
}

/// An argument of a command-mode call, before the command's signature gives it meaning.
public enum CommandArg {
    /// A value in a positional place (a word, a `$var`, a `(...)`, a string, a list, a block).
    case value(Expr, raw: String?, offset: Int)
    /// `--name`, `--name=value` or `-x` (`raw` is the word as written, for commands that stop parsing options).
    case option(name: String, isShort: Bool, inlineValue: Expr?, raw: String, offset: Int)
    /// `--`: everything after is positional.
    case endOfOptions(offset: Int)
}

/// `name arg arg ...`
public struct CommandCall {
    /// The command word: a name, or for host programs the program as written (`git`, `./build.sh`, `g++`).
    public var name: String
    public var args: [CommandArg]
    public var offset: Int
    /// `^name`, `./x`, `/usr/bin/env`, `python3.11`: always a host program, never a dks command.
    public var hostOnly = false
    /// `> f`, `2>&1`, `< f` ... written among the words, in order.
    public var redirections: [Redirection] = []

    public init(name: String, args: [CommandArg], offset: Int, hostOnly: Bool = false, redirections: [Redirection] = []) {
        self.name = name
        self.args = args
        self.offset = offset
        self.hostOnly = hostOnly
        self.redirections = redirections
    }
}

/// What a redirection does (spec §10).
public enum RedirectKind: String {
    case stdout = ">", stdoutAppend = ">>", stderr = "2>", stderrAppend = "2>>"
    case stderrToStdout = "2>&1", stdoutToStderr = ">&2", both = "&>", bothAppend = "&>>", stdin = "<"

    /// Whether it sends the stage's stdout somewhere else than the next stage.
    public var movesStdout: Bool { [.stdout, .stdoutAppend, .stdoutToStderr, .both, .bothAppend].contains(self) }
    /// Whether it takes a path.
    public var takesPath: Bool { self != .stderrToStdout && self != .stdoutToStderr }
}

/// `> PATH` and friends; `target` is nil for `2>&1` and `>&2`.
public struct Redirection {
    public var kind: RedirectKind
    public var target: Expr?
    public var offset: Int
}

/// One stage of a pipeline: a command, or (first stage only) a value written to the next stage's stdin.
public enum PipeStage {
    case command(CommandCall)
    case value(Expr)

    public var offset: Int {
        switch self {
        case .command(let c): return c.offset
        case .value(let e): return e.offset
        }
    }
}

/// `A | B | C`: at least two stages (a single command with redirections stays a `CommandCall`).
public struct Pipeline {
    public var stages: [PipeStage]
    public var offset: Int
}

/// A function literal, a `fn` declaration, or a `{ ... }` block argument.
public final class FunctionDecl {
    public let name: String?
    public let params: [(name: String, defaultValue: Expr?, offset: Int)]
    public let body: [Stmt]
    public let offset: Int
    /// Blocks share their enclosing function's variables: names they assign live there.
    public let isBlock: Bool
    public init(name: String?, params: [(name: String, defaultValue: Expr?, offset: Int)], body: [Stmt], offset: Int, isBlock: Bool) {
        self.name = name
        self.params = params
        self.body = body
        self.offset = offset
        self.isBlock = isBlock
    }

    /// How calls bind to it: every parameter positional (also reachable as `--name`), a literal
    /// default kept (a boolean default makes it a flag in command form), any other default null.
    public var signature: Signature {
        let params = self.params.map { p -> Param in
            var def: Value?
            if let d = p.defaultValue { if case .literal(let v, _) = d { def = v } else { def = .null } }
            return Param(name: p.name, positional: true, defaultValue: def)
        }
        return Signature(name ?? "fn", params)
    }
}

public indirect enum Expr {
    case literal(Value, offset: Int)
    case variable(String, offset: Int)
    case interpolation([InterpolationPart], offset: Int)
    case list([Expr], offset: Int)
    case map([(key: Expr, value: Expr)], offset: Int)
    case unaryMinus(Expr, offset: Int)
    case not(Expr, offset: Int)
    case and(Expr, Expr, offset: Int)
    case or(Expr, Expr, offset: Int)
    case binary(BinaryOp, Expr, Expr, offset: Int)
    case member(Expr, String, offset: Int)
    case index(Expr, Expr, offset: Int)
    /// `$f(args)`: calling a function value.
    case call(Expr, [CallArg], offset: Int)
    /// `name(args)`: calling a named function or builtin.
    case namedCall(String, [CallArg], offset: Int)
    /// `$x.name(args)`.
    case methodCall(Expr, String, [CallArg], offset: Int)
    /// A command whose value is used: `(ps -a)`, or the right side of `=` / `return`.
    case command(CommandCall)
    /// A pipeline whose value is used: `(^git log | ^head -1)`.
    case pipeline(Pipeline)
    case function(FunctionDecl)
    /// A bare name in an expression: the function (user or builtin) of that name, as a value.
    case functionRef(String, offset: Int)

    public var offset: Int {
        switch self {
        case .literal(_, let o), .variable(_, let o), .interpolation(_, let o), .list(_, let o), .map(_, let o),
             .unaryMinus(_, let o), .not(_, let o), .and(_, _, let o), .or(_, _, let o), .binary(_, _, _, let o),
             .member(_, _, let o), .index(_, _, let o), .call(_, _, let o), .namedCall(_, _, let o),
             .methodCall(_, _, _, let o), .functionRef(_, let o):
            return o
        case .command(let c): return c.offset
        case .pipeline(let p): return p.offset
        case .function(let f): return f.offset
        }
    }
}

public enum InterpolationPart {
    case text(String)
    case expr(Expr)
    /// `"$web.name"`: the variable, then `.name` parts that read members of a map, object or
    /// error; on any other value the rest is plain text (`"$file.txt"`).
    case dotted(Expr, [String], offset: Int)
}

/// One step of an assignment target's path: `$m.key`, `$xs[0]`.
public enum LValueStep {
    case member(String, offset: Int)
    case index(Expr, offset: Int)
}

public struct LValue {
    public var variable: String
    public var path: [LValueStep]
    public var offset: Int
}

public enum AssignOp: String {
    case set = "=", add = "+=", sub = "-=", mul = "*="
}

public indirect enum Stmt {
    case expression(Expr)
    /// A command at statement level: its output streams, its value is discarded (or echoed at the prompt).
    case command(CommandCall)
    /// A pipeline at statement level.
    case pipeline(Pipeline)
    case assign(LValue, AssignOp, Expr, offset: Int)
    case ifElse([(cond: Expr, body: [Stmt])], elseBody: [Stmt]?, offset: Int)
    case whileLoop(Expr, [Stmt], offset: Int)
    case forLoop(String, String?, Expr, [Stmt], offset: Int)
    case breakLoop(offset: Int)
    case continueLoop(offset: Int)
    case function(FunctionDecl)
    case returnValue(Expr?, offset: Int)
    case tryCatch(body: [Stmt], catchVar: String?, catchBody: [Stmt]?, finallyBody: [Stmt]?, offset: Int)
    case throwValue(Expr, offset: Int)
    case deferBlock(FunctionDecl, offset: Int)

    public var offset: Int {
        switch self {
        case .expression(let e): return e.offset
        case .command(let c): return c.offset
        case .pipeline(let p): return p.offset
        case .assign(_, _, _, let o), .ifElse(_, _, let o), .whileLoop(_, _, let o), .forLoop(_, _, _, _, let o),
             .breakLoop(let o), .continueLoop(let o), .returnValue(_, let o), .tryCatch(_, _, _, _, let o),
             .throwValue(_, let o), .deferBlock(_, let o):
            return o
        case .function(let f): return f.offset
        }
    }
}
