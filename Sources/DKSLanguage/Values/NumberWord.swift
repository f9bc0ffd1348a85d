// NumberWord: a number written as a command word in a spelling that is not its canonical
// form (`1.10`, `007`, `0x10`, `1_000`, `1e3`). It is that number wherever a number is wanted
// (arithmetic, comparison, equality, hashing, `--tail 007`) and the text as typed wherever a
// string is wanted (argv, names, paths, echo, interpolation): spec §4.
// Owns: the pair and the unwrapping helpers. Must not: appear for canonical spellings (`42`
// stays a plain int, so the interpreter's fast paths never see this type).

/// A number that keeps the spelling it was written in.
public final class NumberWord: HostObject {
    /// The plain number (`.int` or `.float`).
    public let number: Value
    /// The text as typed.
    public let spelling: String

    init(number: Value, spelling: String) {
        self.number = number
        self.spelling = spelling
    }

    /// The value of a number word: the plain number when `spelling` is its canonical form, else a NumberWord.
    public static func value(_ number: Value, spelling: String) -> Value {
        if number.str == spelling { return number }
        return .object(NumberWord(number: number, spelling: spelling))
    }

    public override var typeName: String { number.typeName }
    public override var description: String { spelling }
    public override var isTruthy: Bool { number.isTruthy }
    public override func isEqual(to other: HostObject) -> Bool {
        if let w = other as? NumberWord { return number == w.number }
        return false
    }
    /// As its number hashes: a number word is the same map key as the plain number.
    public override func hash(into hasher: inout Hasher) { number.hash(into: &hasher) }
}

extension Value {
    /// The plain number behind a number word; every other value as it is.
    @inline(__always)
    public var unwrapped: Value {
        if case .object(let o) = self, let w = o as? NumberWord { return w.number }
        return self
    }

    /// The number word's spelling, or nil when this is not a number word.
    public var numberWordSpelling: String? {
        if case .object(let o) = self, let w = o as? NumberWord { return w.spelling }
        return nil
    }
}
