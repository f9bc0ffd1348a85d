// Signature: one declaration per command of its parameters: positionals, rest, options,
// flags, repeatable options. The binder, `help` and prompt completion all read it.
// Must not: bind arguments (Binder does) or run anything.
import Synchronization

/// One parameter of a command or function.
public struct Param {
    /// The snake_case name (`health_cmd`); as an option it is spelt `--health-cmd`.
    public var name: String
    /// Filled by position (`len $x`); false for options only reachable by name.
    public var positional: Bool
    /// Collects every remaining positional argument into a list (`run IMAGE CMD...`).
    public var rest: Bool
    /// Takes no value: `--rm` means true.
    public var flag: Bool
    /// May be given many times; collects a list (`-e A=1 -e B=2`).
    public var repeatable: Bool
    /// Single-letter spelling (`-d`).
    public var short: Character?
    /// The value when absent; nil means required (positional) or null (option).
    public var defaultValue: Value?
    /// Placeholder in help (`N`, `DURATION`).
    public var valueName: String
    /// One line for `help NAME`.
    public var help: String

    public init(name: String, positional: Bool = false, rest: Bool = false, flag: Bool = false, repeatable: Bool = false,
                short: Character? = nil, defaultValue: Value? = nil, valueName: String = "", help: String = "") {
        self.name = name
        self.positional = positional
        self.rest = rest
        self.flag = flag
        self.repeatable = repeatable
        self.short = short
        self.defaultValue = defaultValue
        self.valueName = valueName.isEmpty ? name.uppercased() : valueName
        self.help = help
    }

    /// A required positional parameter.
    public static func arg(_ name: String, _ help: String = "") -> Param { Param(name: name, positional: true, help: help) }
    /// An optional positional parameter.
    public static func arg(_ name: String, default value: Value, _ help: String = "") -> Param {
        Param(name: name, positional: true, defaultValue: value, help: help)
    }
    /// Every remaining positional argument, as a list.
    public static func rest(_ name: String, _ help: String = "") -> Param { Param(name: name, positional: true, rest: true, help: help) }
    /// `--name VALUE` (or `-s VALUE`).
    public static func option(_ name: String, short: Character? = nil, _ valueName: String = "", default value: Value? = nil, _ help: String = "") -> Param {
        Param(name: name, short: short, defaultValue: value, valueName: valueName, help: help)
    }
    /// `--name` alone means true.
    public static func flag(_ name: String, short: Character? = nil, _ help: String = "") -> Param {
        Param(name: name, flag: true, short: short, defaultValue: .bool(false), help: help)
    }
    /// `--name V` given many times, collected into a list.
    public static func repeated(_ name: String, short: Character? = nil, _ valueName: String = "", _ help: String = "") -> Param {
        Param(name: name, repeatable: true, short: short, valueName: valueName, help: help)
    }

    /// `--health-cmd` (a one-letter option that is its own short form is spelt `-n`).
    public var longOption: String {
        if name.count == 1, short.map({ String($0) }) == name { return "-" + name }
        return "--" + name.replacingAll("_", with: "-")
    }
}

/// A signature's parameters by name (snake and dashed spellings) and by short option letter.
final class OptionTables {
    let byName: [String: Int]
    let byShort: [Character: Int]

    init(_ params: [Param]) {
        var byName: [String: Int] = [:]
        var byShort: [Character: Int] = [:]
        for (i, p) in params.enumerated() {
            byName[p.name] = i
            byName[p.name.replacingAll("_", with: "-")] = i
            if let s = p.short { byShort[s] = i }
        }
        self.byName = byName
        self.byShort = byShort
    }
}

/// The declared interface of a command: how both call forms bind, and what `help` prints.
public final class Signature {
    public var name: String
    public var params: [Param]
    /// `run` and `exec`: options end at the first positional (the image or container), as in the docker CLI.
    public var stopsAtFirstPositional: Bool
    /// `echo`: words that look like unknown options are printed as they are, like the shell's echo.
    public var unknownOptionsArePositional = false
    /// Commands whose first positional is a verb (`service create IMAGE CMD...`): after one of
    /// these verbs, written as a bare word, options end at the next positional, as
    /// `stopsAtFirstPositional` makes them end at the first one (`service create -e A=1 IMAGE sh -c X`).
    public var verbsThatStopOptions: Set<String> = []
    /// The builtin changes something for the rest of its caller's scope (`use-engine $e`): a
    /// direct call lets it register cleanup in the caller's frame (`Interpreter.deferInCallerScope`).
    public var usesCallerScope = false
    /// Topic for `help` listings ("values", "strings", "containers", ...).
    public var topic: String
    /// One paragraph saying what it does.
    public var summary: String
    /// A short example.
    public var example: String
    /// The option lookup tables, built on first use: a start registers some 300 signatures and a
    /// script calls a few of them (hashing every name at start-up cost a tenth of `dks -c`).
    /// Published once through an atomic, because parallel workers share signatures.
    private let tablesRef = Atomic<Unmanaged<OptionTables>?>(nil)

    private var tables: OptionTables {
        if let t = tablesRef.load(ordering: .acquiring) { return t.takeUnretainedValue() }
        let fresh = Unmanaged.passRetained(OptionTables(params))
        let (stored, existing) = tablesRef.compareExchange(expected: nil, desired: fresh, ordering: .acquiringAndReleasing)
        if stored { return fresh.takeUnretainedValue() }
        fresh.release()
        return existing?.takeUnretainedValue() ?? OptionTables(params)
    }

    var byName: [String: Int] { tables.byName }
    var byShort: [Character: Int] { tables.byShort }
    let positionalIndexes: [Int]
    let restIndex: Int?

    public init(_ name: String, topic: String = "general", _ params: [Param] = [], stopsAtFirstPositional: Bool = false,
                summary: String = "", example: String = "") {
        self.name = name
        self.params = params
        self.stopsAtFirstPositional = stopsAtFirstPositional
        self.topic = topic
        self.summary = summary
        self.example = example
        var pos: [Int] = []
        var rest: Int?
        for (i, p) in params.enumerated() {
            if p.rest { rest = i } else if p.positional { pos.append(i) }
        }
        self.positionalIndexes = pos
        self.restIndex = rest
    }

    deinit { tablesRef.load(ordering: .acquiring)?.release() }

    /// The index of a parameter named `name` (snake or dashed spelling).
    public func index(of name: String) -> Int? { byName[name] }

    /// The values every call starts from: defaults, `false` for flags, `[]` for lists, `.undefined` for required.
    public var initialValues: [Value] {
        params.map { p in
            if p.rest || p.repeatable { return .list([]) }
            return p.defaultValue ?? (p.positional ? .undefined : .null)
        }
    }

    /// `name ARG [ARG2] [--opt VALUE] [--flag]` for help and errors.
    public var usage: String {
        var parts = [name]
        for p in params where p.positional {
            if p.rest { parts.append("[\(p.name.uppercased())...]") } else if p.defaultValue != nil { parts.append("[\(p.name.uppercased())]") } else { parts.append(p.name.uppercased()) }
        }
        for p in params where !p.positional {
            let oneLetter = p.name.count == 1 && p.short.map { String($0) } == p.name
            let spelling = oneLetter ? "" : (p.short.map { "-\($0)|" } ?? "")
            if p.flag { parts.append("[\(spelling)\(p.longOption)]") } else {
                parts.append("[\(spelling)\(p.longOption) \(p.valueName)]" + (p.repeatable ? "..." : ""))
            }
        }
        return parts.joined(separator: " ")
    }

    /// Every option spelling, for completion.
    public var optionSpellings: [String] {
        params.flatMap { p -> [String] in
            var s = [p.longOption]
            if let c = p.short { s.append("-\(c)") }
            return s
        }
    }
}
