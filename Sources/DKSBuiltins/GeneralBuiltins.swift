// GeneralBuiltins: registers every builtin of spec section 6 into a registry.
// Each topic file declares its commands (signature, help paragraph, example, body) once.
// Must not: know about containers (DKSContainers registers those).
import DKSLanguage

public enum GeneralBuiltins {
    /// Adds the general builtins (values, strings, collections, system, blocks, help) to `registry`.
    public static func register(into registry: BuiltinRegistry) {
        registerValues(registry)
        registerStrings(registry)
        registerCollections(registry)
        registerSystem(registry)
        registerBlocks(registry)
        registerHelp(registry)
        SyntaxHelp.register(registry)
    }
}

/// A ValueError with a message.
func valueError(_ message: String) -> ScriptError { ScriptError(.valueError, message) }
/// A TypeError with a message.
func typeError(_ message: String) -> ScriptError { ScriptError(.typeError, message) }
