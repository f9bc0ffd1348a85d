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

    /// Parses "no", "always", "unless-stopped", "on-failure[:N]".
    static func parse(_ text: String) -> RestartPolicy? {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        switch parts.first ?? "" {
        case "", "no": return parts.count == 1 || text.isEmpty ? RestartPolicy() : nil
        case "always", "unless-stopped": return parts.count == 1 ? RestartPolicy(name: parts[0]) : nil
        case "on-failure":
            if parts.count == 1 { return RestartPolicy(name: "on-failure") }
            guard let n = Int(parts[1]), n >= 0 else { return nil }
            return RestartPolicy(name: "on-failure", maximumRetryCount: n)
        default: return nil
        }
    }
}
