// RestartDecision: Docker's restart-policy rules for a container whose process exited by itself.
// Must not: know about manual stops or shutdown (the supervisor checks those first).
import DKSEngine

enum RestartDecision {
    /// Whether `policy` restarts after an exit with `exitCode`, given the restarts so far.
    static func shouldRestart(_ policy: RestartPolicy, exitCode: Int, restartCount: Int) -> Bool {
        switch policy.name {
        case "always", "unless-stopped": return true
        case "on-failure":
            guard exitCode != 0 else { return false }
            return policy.maximumRetryCount <= 0 || restartCount < policy.maximumRetryCount
        default: return false
        }
    }

    /// Seconds before the next restart: Docker's 100 ms doubling, capped small so scripts stay responsive.
    static func backoff(restartCount: Int) -> Double {
        min(0.1 * Double(1 << min(restartCount, 5)), 2.0)
    }
}
