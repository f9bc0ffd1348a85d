// Wording: small pieces of English that error messages share, so every message says "an int",
// "an exec_result", "a list" the same way.
// Owns: articles before type names and nouns. Must not: build whole messages (callers do).

/// `noun` with its indefinite article: "a list", "an int", "an exec_result", "an image".
/// `null` and `undefined` take none ("cannot iterate over null"). The article follows the
/// written first letter (a, e, i, o: "an"), which is right for every dks type name.
public func withArticle(_ noun: String) -> String {
    if noun == "null" || noun == "undefined" { return noun }
    guard let first = noun.first?.lowercased() else { return noun }
    return ("aeio".contains(first) ? "an " : "a ") + noun
}

extension Value {
    /// The value's type name with its article, for messages: "an int", "a container", "null".
    public var typeNameWithArticle: String { withArticle(typeName) }
}
