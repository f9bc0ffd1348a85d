// HelpTests: every container command has a topic, a summary and an example that parses.
import DKSBuiltins
@testable import DKSContainers
import DKSLanguage
import XCTest

final class HelpTests: XCTestCase {
    func testEveryCommandIsDocumentedAndItsExampleParses() throws {
        let registry = BuiltinRegistry()
        GeneralBuiltins.register(into: registry)
        ContainerBuiltins.register(into: registry, engine: EngineProvider(engine: FakeEngine()))
        let expected = ["run", "create", "start", "stop", "restart", "kill", "pause", "unpause", "rename", "rm", "exec", "logs",
                        "wait", "wait-healthy", "wait-log", "inspect", "ps", "get", "top", "stats", "diff", "cp", "prune",
                        "images", "pull", "tag", "rmi", "volume", "network", "engine", "connect", "contexts", "use-engine",
                        "swarm", "node", "service", "wait-converged"]
        for name in expected {
            let b = try XCTUnwrap(registry.lookup(name), name)
            let sig = b.signature
            XCTAssertTrue(["containers", "images", "volumes", "networks", "engines", "services"].contains(sig.topic), name)
            XCTAssertFalse(sig.summary.isEmpty, name)
            XCTAssertFalse(sig.example.isEmpty, name)
            XCTAssertNoThrow(try Parser.parse(SourceFile(name: name, text: sig.example)), "example of \(name): \(sig.example)")
        }
        XCTAssertTrue(registry.lookup("run")?.signature.stopsAtFirstPositional ?? false)
        XCTAssertTrue(registry.lookup("exec")?.signature.stopsAtFirstPositional ?? false)
        XCTAssertEqual(registry.lookup("service")?.signature.verbsThatStopOptions, ["create"])
        XCTAssertTrue(registry.lookup("use-engine")?.signature.usesCallerScope ?? false)
    }

    /// `help` appends "(repeatable)" itself: an option's own text must not say it again
    /// (build's -t once read "a name for the image (repeatable) (repeatable)").
    func testNoOptionTextRepeatsWhatHelpAdds() {
        let registry = BuiltinRegistry()
        GeneralBuiltins.register(into: registry)
        ContainerBuiltins.register(into: registry, engine: EngineProvider(engine: FakeEngine()))
        for name in registry.names {
            guard let sig = registry.lookup(name)?.signature else { continue }
            for p in sig.params where p.repeatable {
                XCTAssertFalse(p.help.contains("(repeatable)"), "\(name) \(p.longOption): \(p.help)")
            }
        }
    }
}
