// CleanupBound: the batch-mode setting of how long cleanup may take once dks is terminating
// (DKS_CLEANUP_TIMEOUT, default 30 s) and arming the watchdog with it. Must not: arm at the prompt
// (Ctrl-C there returns to the prompt; nothing is terminating) or decide exit statuses itself.
#if canImport(Glibc)
import Glibc
#endif
import DKSLanguage
import DKSSupport

enum CleanupBound {
    /// Arms the watchdog for a batch run. A signal that came before this still starts the bound:
    /// its handler already posted the watchdog's semaphore.
    static func arm() {
        let setting = getenv("DKS_CLEANUP_TIMEOUT").map { String(cString: $0) }
        let (seconds, warning) = CleanupWatchdog.seconds(fromSetting: setting)
        if let warning = warning { writeStderr(warning + "\n") }
        CleanupWatchdog.arm(seconds: seconds)
    }

    /// An uncaught error reached the top level: the top-level `defer` blocks and the engine's
    /// shutdown now run under the bound, and exit with `status` (1; 141 for a broken stdout) if
    /// they overrun it. `report` is the error as
    /// the normal path prints it after cleanup; an overrun prints it instead.
    static func uncaughtError(report: String, status: Int32 = ExitStatus.runtimeError) {
        CleanupWatchdog.setPendingReport(report)
        CleanupWatchdog.terminationStarted(exitStatus: status)
    }
}
