// NameGenerator: container ids (64 hex) and Docker-style adjective_surname names.
// Must not: check uniqueness against the table (the engine retries under its lock).

enum NameGenerator {
    private static let adjectives = [
        "admiring", "adoring", "affectionate", "agitated", "amazing", "angry", "awesome", "beautiful", "blissful",
        "bold", "boring", "brave", "busy", "charming", "clever", "compassionate", "competent", "condescending",
        "confident", "cool", "cranky", "crazy", "dazzling", "determined", "distracted", "dreamy", "eager",
        "ecstatic", "elastic", "elated", "elegant", "eloquent", "epic", "exciting", "fervent", "festive",
        "flamboyant", "focused", "friendly", "frosty", "funny", "gallant", "gifted", "goofy", "gracious", "great",
        "happy", "hardcore", "heuristic", "hopeful", "hungry", "infallible", "inspiring", "intelligent",
        "interesting", "jolly", "jovial", "keen", "kind", "laughing", "loving", "lucid", "magical", "modest",
        "musing", "mystifying", "naughty", "nervous", "nice", "nifty", "nostalgic", "objective", "optimistic",
        "peaceful", "pedantic", "pensive", "practical", "priceless", "quirky", "quizzical", "relaxed", "reverent",
        "romantic", "sad", "serene", "sharp", "silly", "sleepy", "stoic", "strange", "stupefied", "suspicious",
        "sweet", "tender", "thirsty", "trusting", "upbeat", "vibrant", "vigilant", "vigorous", "wizardly",
        "wonderful", "xenodochial", "youthful", "zealous", "zen",
    ]
    private static let surnames = [
        "agnesi", "albattani", "allen", "archimedes", "babbage", "banach", "bardeen", "bartik", "bell", "bhabha",
        "black", "bohr", "booth", "borg", "brahmagupta", "brattain", "brown", "burnell", "cannon", "carson",
        "cerf", "chandrasekhar", "clarke", "curie", "darwin", "davinci", "dijkstra", "driscoll", "easley",
        "einstein", "elion", "engelbart", "euclid", "euler", "faraday", "fermat", "fermi", "feynman", "franklin",
        "galileo", "gauss", "goldberg", "goodall", "hamilton", "hawking", "heisenberg", "hermann", "hodgkin",
        "hopper", "hypatia", "jackson", "jennings", "johnson", "kalam", "kepler", "khorana", "knuth", "lamarr",
        "lamport", "leakey", "leavitt", "lovelace", "lumiere", "mayer", "mccarthy", "mcclintock", "meitner",
        "mendel", "merkle", "mirzakhani", "montalcini", "moore", "morse", "napier", "newton", "nobel", "noether",
        "pascal", "pasteur", "payne", "perlman", "pike", "poincare", "ramanujan", "ritchie", "rosalind", "sammet",
        "shannon", "shockley", "sinoussi", "stonebraker", "swartz", "tesla", "thompson", "torvalds", "turing",
        "varahamihira", "visvesvaraya", "wescoff", "wiles", "williams", "wozniak", "wright", "yalow", "yonath",
    ]

    /// A random adjective_surname (Docker never generates "boring_wozniak"; neither do we).
    static func name() -> String {
        while true {
            let a = adjectives[Int.random(in: 0..<adjectives.count)]
            let s = surnames[Int.random(in: 0..<surnames.count)]
            if a == "boring" && s == "wozniak" { continue }
            return a + "_" + s
        }
    }

    /// 64 lowercase hex digits.
    static func id() -> String {
        // The system generator reads the kernel's random source (getrandom).
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let digits = Array("0123456789abcdef")
        var out = ""
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        return out
    }

    /// Docker's rule for container names.
    static func isValid(_ name: String) -> Bool {
        let u = Array(name.utf8)
        guard u.count >= 2 else { return false }
        func alnum(_ c: UInt8) -> Bool { (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) }
        return alnum(u[0]) && u.dropFirst().allSatisfy { alnum($0) || $0 == 95 || $0 == 46 || $0 == 45 }
    }
}
