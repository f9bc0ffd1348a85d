// Token: what the lexer hands the parser in expression mode.
// Must not: carry meaning beyond spelling (the parser decides what a name is).

/// One piece of an interpolated string.
public enum StringPart {
    case text(String)
    /// `$name` inside the string; offset of the `$`.
    case variable(String, Int)
    /// `${EXPR}`: the byte range of EXPR in the source.
    case expression(start: Int, end: Int)
}

public enum TokenKind: Equatable {
    case name(String)          // bare name (command names may contain '-')
    case keyword(String)
    case variable(String)      // $name
    case int(Int)
    case float(Double)
    case string([StringPartBox])
    case punct(String)         // ( ) [ ] { } , : . ; = == != < <= > >= + - * / // % .. ..< += -= *=
    case newline
    case eof
    case invalid(String)       // a lexical error, with its message

    public static func == (a: TokenKind, b: TokenKind) -> Bool {
        switch (a, b) {
        case let (.name(x), .name(y)), let (.keyword(x), .keyword(y)), let (.variable(x), .variable(y)), let (.punct(x), .punct(y)),
             let (.invalid(x), .invalid(y)):
            return x == y
        case let (.int(x), .int(y)): return x == y
        case let (.float(x), .float(y)): return x == y
        case (.newline, .newline), (.eof, .eof): return true
        case (.string, .string): return false
        default: return false
        }
    }
}

/// A wrapper so `TokenKind` stays cheap to compare while strings carry their parts.
public struct StringPartBox {
    public let part: StringPart
}

public struct Token {
    public var kind: TokenKind
    /// Byte offset of the first character.
    public var start: Int
    /// Byte offset just past the last character.
    public var end: Int
    /// Whether blank space (or a line continuation) came right before the token.
    public var spaceBefore: Bool
}

public let dksKeywords: Set<String> = [
    "if", "elif", "else", "while", "for", "in", "fn", "return", "break", "continue", "try", "catch",
    "finally", "throw", "defer", "and", "or", "not", "true", "false", "null",
]
