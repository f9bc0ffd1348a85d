// ResendPolicy: whether a request that failed on a reused keep-alive connection may be sent again.
// Owns: the HTTP rule (RFC 9110 §9.2.2) applied to dks's requests. Must not: do I/O or retry by
// itself (DockerHTTPClient.send does, once, on a fresh connection).
import DKSEngine

/// A daemon may close an idle keep-alive connection in the very instant the pool hands it out;
/// the request then fails with EOF or "connection reset" before any answer byte. Sending it again
/// is safe only when the daemon cannot have acted on it: either the request never left (the write
/// failed), or acting on it twice is the same as once (an idempotent method). A `POST
/// /containers/create` that was written might have created a container already, so it is not resent.
enum ResendPolicy {
    /// Methods whose effect is the same however often they are sent (RFC 9110 §9.2.2).
    static let idempotentMethods: Set<String> = ["GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"]

    /// How far the failed attempt got.
    enum Stage {
        /// Writing the request failed: no complete request reached the daemon.
        case notWritten
        /// The request was written; the answer failed before its first byte.
        case writtenNoAnswer
        /// Some of the answer arrived: the daemon acted on the request.
        case answering
    }

    /// True when the failed attempt may be sent once more on a fresh connection.
    /// - reused: the attempt ran on a kept-alive connection (a fresh one failing means the daemon is
    ///   really gone or broken, and a resend would only hide that).
    /// - firstAttempt: at most one resend per request.
    /// - error: timeouts and interruptions are never resent (the time is spent, or the user said stop).
    static func mayResend(_ request: DockerRequest, stage: Stage, reused: Bool, firstAttempt: Bool, error: EngineError) -> Bool {
        guard reused, firstAttempt, error.kind == .engine else { return false }
        switch stage {
        case .notWritten: return true
        case .writtenNoAnswer: return idempotentMethods.contains(request.method)
        case .answering: return false
        }
    }
}
