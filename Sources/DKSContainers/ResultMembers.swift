// ResultMembers: the member names of what container commands return, known without an engine —
// for completion where no value exists yet (the language server completes `$c.` after
// `$c = run -d ...`). Must not: create objects or call the engine.

public enum ResultMembers {
    /// The members of the value `command` returns (`detached`: `-d`/`--detach` was given), or [].
    public static func names(command: String, detached: Bool) -> [String] {
        let container = ContainerObject.attributes + ContainerObject.methods
        let execResult = ["exit_code", "output", "stdout", "stderr", "ok"]
        switch command {
        case "run": return detached ? container : execResult
        case "exec": return detached ? ["id", "running", "exit_code", "pid"] : execResult
        case "create", "get", "start", "stop", "restart", "kill", "pause", "unpause", "rename", "wait-healthy", "wait-log":
            return container
        case "pull", "build":
            return ["id", "short_id", "tags", "size", "created", "labels", "attrs", "tag", "rmi", "inspect"]
        default: return []
        }
    }
}
