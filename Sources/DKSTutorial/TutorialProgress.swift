// TutorialProgress: how far the learner got, kept across sessions in the state directory
// (`$XDG_STATE_HOME/dks/tutorial`, else `~/.local/state/dks/tutorial`): one line, `lesson N`,
// N the number of lessons done.
// Owns: reading and writing that file. Must not: decide what a lesson is.
import DKSSupport

public final class TutorialProgress {
    /// The file; nil when there is no state directory (no HOME): progress lasts the session only.
    public let path: String?
    private var inMemory = 0

    public init(path: String?) { self.path = path }

    /// The progress file for this process's environment.
    public static func current() -> TutorialProgress {
        TutorialProgress(path: StatePaths.current().map { $0 + "/tutorial" })
    }

    /// Lessons done (0 when there is no file, or it is unreadable).
    public func load() -> Int {
        guard let path, let bytes = readFileBytes(path) else { return inMemory }
        let text = String(decoding: bytes, as: UTF8.self)
        for line in text.split(separator: "\n") where line.hasPrefix("lesson ") {
            if let n = Int(String(line.dropFirst("lesson ".count)).trimmingSpaces()), n >= 0 { return n }
        }
        return 0
    }

    public func save(_ done: Int) {
        inMemory = done
        guard let path, let slash = path.lastIndex(of: "/") else { return }
        StatePaths.makeDirectories(String(path[..<slash]))
        StatePaths.writeAtomically(path, "lesson \(done)\n")
    }
}
