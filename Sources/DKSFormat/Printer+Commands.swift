// Printer+Commands: command mode — the command word and every argument and redirection
// written exactly as in the source (their text is their meaning: quoting, number spellings,
// `$var.member` attachments), one space apart, in source order. A line the source continued
// (`\` at the end, or a line break inside parentheses) is continued at the same place, one
// level deeper. Block arguments, list literals and whole `(...)` words are laid out like any
// block or expression. Pipelines: ` | ` between stages, line breaks kept.
// Must not: respell, join or split a word.
import DKSLanguage

extension Printer {
    private enum Piece {
        case argument(CommandArg)
        case redirection(Redirection)

        var offset: Int {
            switch self {
            case .argument(.value(_, _, let o)), .argument(.option(_, _, _, _, let o)), .argument(.endOfOptions(let o)):
                return o
            case .redirection(let r):
                return r.offset
            }
        }
    }

    func command(_ c: CommandCall) {
        let nameText = c.offset < bytes.count && bytes[c.offset] == 94 ? "^" + c.name : c.name
        var prevEnd = c.offset + nameText.utf8.count
        w.write(nameText, start: c.offset, end: prevEnd)
        let pieces = (c.args.map { Piece.argument($0) } + c.redirections.map { Piece.redirection($0) }).sorted { $0.offset < $1.offset }
        var continued = false
        for piece in pieces {
            let start = piece.offset
            if lineBreak(from: prevEnd, to: start) {
                if !continued { w.indent += 1; continued = true }
                if continuation(before: start, after: prevEnd) { w.write(" \\") }
                w.flushComments(before: start)
                w.newline()
            } else {
                w.space()
            }
            let end = trivia.wordEnds[start] ?? start
            switch piece {
            case .argument(let a):
                argument(a, start: start, end: end)
            case .redirection:
                redirection(start: start, end: end)
            }
            prevEnd = max(end, start)
        }
        if continued { w.indent -= 1 }
    }

    /// One argument: a block or list literal laid out, a whole `(...)` word printed as an
    /// expression, anything else exactly as written.
    private func argument(_ a: CommandArg, start: Int, end: Int) {
        let first = start < bytes.count ? bytes[start] : 0
        if case .value(let e, _, _) = a {
            if first == 123, case .function(let decl) = e, decl.isBlock {
                block(decl.body, open: start)
                return
            }
            if first == 91 {
                expr(e, 9)
                return
            }
            if first == 40, wholeParenthesized(e, start: start) {
                expr(e, 9)
                return
            }
        }
        w.write(text(start, end), start: start, end: end)
    }

    /// The redirection operators, longest first, as the parser reads them.
    static let redirectionOperators = ["2>&1", "1>&2", "2>>", "1>>", "&>>", ">&2", "2>", "1>", "&>", ">>", ">", "<"]

    /// A redirection: its operator, one space if the source had blanks before the file, then
    /// the file exactly as written.
    private func redirection(start: Int, end: Int) {
        let written = text(start, end)
        guard let op = Printer.redirectionOperators.first(where: { written.hasPrefix($0) }) else {
            return w.write(written, start: start, end: end)
        }
        let rest = written.dropFirst(op.count)
        let target = rest.drop { $0 == " " || $0 == "\t" }
        if target.isEmpty || target.count == rest.count || target.hasPrefix("\\") {
            return w.write(written, start: start, end: end)
        }
        w.write(op + " " + target, start: start, end: end)
    }

    /// Whether a word starting with `(` is one parenthesized statement with attached parts
    /// (`(len $x)`, `(exec $c ls).stdout`), not several pieces joined (`(x)-suffix`).
    private func wholeParenthesized(_ e: Expr, start: Int) -> Bool {
        if case .interpolation = e { return false }
        var base = e
        while true {
            switch base {
            case .member(let x, _, _), .index(let x, _, _), .call(let x, _, _), .methodCall(let x, _, _, _):
                base = x
                continue
            default:
                break
            }
            break
        }
        return trivia.parentheses(of: base).last?.open == start
    }

    /// Whether the source breaks the line between two offsets (outside comments, which end at the break).
    private func lineBreak(from a: Int, to b: Int) -> Bool { hasNewline(a, b) }

    /// Whether the first line break after `a` is a `\` continuation.
    private func continuation(before b: Int, after a: Int) -> Bool {
        var i = a
        while i < min(b, bytes.count) {
            if bytes[i] == 10 {
                var j = i - 1
                if j >= 0, bytes[j] == 13 { j -= 1 }
                return j >= 0 && bytes[j] == 92
            }
            i += 1
        }
        return false
    }

    func pipeline(_ p: Pipeline) {
        var bars = trivia.pipeBars.filter { $0 >= p.offset }.sorted()
        var continued = false
        for (i, stage) in p.stages.enumerated() {
            let stageStart: Int
            switch stage {
            case .command(let c): stageStart = c.offset
            case .value(let e): stageStart = start(of: e)
            }
            if i > 0 {
                let bar = bars.last(where: { $0 < stageStart }) ?? stageStart
                bars.removeAll { $0 <= bar }
                if let lineEnd = breakBefore(bar) {
                    if !continued { w.indent += 1; continued = true }
                    if isContinuation(lineEnd) { w.write(" \\") }
                    w.flushComments(before: bar)
                    w.newline()
                    w.write("|", start: bar, end: bar + 1)
                    w.space()
                } else if hasNewline(bar + 1, stageStart) {
                    if !continued { w.indent += 1; continued = true }
                    w.space()
                    w.write("|", start: bar, end: bar + 1)
                    w.flushComments(before: stageStart)
                    w.newline()
                } else {
                    w.space()
                    w.write("|", start: bar, end: bar + 1)
                    w.space()
                }
            }
            switch stage {
            case .command(let c): command(c)
            case .value(let e): expr(e, 1)
            }
        }
        if continued { w.indent -= 1 }
    }

    /// The line break between the bar and the stage before it, when only blanks separate them.
    private func breakBefore(_ bar: Int) -> Int? {
        var i = bar - 1
        while i >= 0 {
            switch bytes[i] {
            case 32, 9, 13: i -= 1
            case 10: return i
            default: return nil
            }
        }
        return nil
    }

    /// Whether the line break at `newline` is escaped by a `\` (a continuation).
    private func isContinuation(_ newline: Int) -> Bool {
        var j = newline - 1
        if j >= 0, bytes[j] == 13 { j -= 1 }
        return j >= 0 && bytes[j] == 92
    }
}
