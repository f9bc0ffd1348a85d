// HistoryRedaction: what the prompt's history keeps of an entry that holds a password — the
// value of `login`'s `-p`/`--password` (`-p X`, `-pX`, `--password X`, `--password=X`, and
// `password: X` in the call form) becomes `********`, so no password reaches the history file.
// Owns: finding those values in the text. Must not: change anything else in the entry.

public enum HistoryRedaction {
    public static let mask = "********"

    /// `entry` with every `login` password value masked.
    public static func redact(_ entry: String) -> String {
        let chars = Array(entry)
        guard entry.contains("login") else { return entry }
        var spans: [Range<Int>] = []
        var i = 0
        var atCommandStart = true
        var inLogin = false
        var maskNext = false
        var callDepth: Int?
        var depth = 0
        while i < chars.count {
            let c = chars[i]
            if c == " " || c == "\t" { i += 1; continue }
            if c == "\n" || c == ";" || c == "|" || c == "{" || c == "}" {
                atCommandStart = true
                inLogin = false
                maskNext = false
                i += 1
                continue
            }
            if c == "(" { depth += 1; atCommandStart = true; i += 1; continue }
            if c == ")" {
                if callDepth == depth { callDepth = nil; inLogin = false }
                depth -= 1
                i += 1
                continue
            }
            if c == "," { i += 1; continue }
            // One word: up to unquoted white space or a separator.
            let start = i
            var quote: Character?
            while i < chars.count {
                let d = chars[i]
                if let q = quote {
                    if d == "\\" && q == "\"" { i += 2; continue }
                    if d == q { quote = nil }
                    i += 1
                    continue
                }
                if d == "\"" || d == "'" { quote = d; i += 1; continue }
                if d == " " || d == "\t" || d == "\n" || d == ";" || d == "|" || d == "{" || d == "}" || d == ")" || d == "," { break }
                if d == "(" && i > start { break }
                i += 1
            }
            let end = min(i, chars.count)
            let word = String(chars[start..<end])
            if maskNext {
                spans.append(start..<end)
                maskNext = false
            } else if atCommandStart && (word == "login" || word == "^login") {
                inLogin = true
                if end < chars.count, chars[end] == "(" { callDepth = depth + 1 }
            } else if inLogin {
                if word == "-p" || word == "--password" || word == "password:" {
                    maskNext = true
                } else if word.hasPrefix("--password=") {
                    spans.append((start + "--password=".count)..<end)
                } else if word.hasPrefix("password:") {
                    spans.append((start + "password:".count)..<end)
                } else if word.hasPrefix("-p"), !word.hasPrefix("--"), word.count > 2 {
                    spans.append((start + 2)..<end)
                }
            }
            // `$x = login ...` and `return login ...`: the command comes after them.
            atCommandStart = word == "=" || word == "return"
        }
        guard !spans.isEmpty else { return entry }
        var out = ""
        var k = 0
        for s in spans.sorted(by: { $0.lowerBound < $1.lowerBound }) where s.lowerBound >= k {
            out += String(chars[k..<s.lowerBound]) + mask
            k = s.upperBound
        }
        out += String(chars[k...])
        return out
    }
}
