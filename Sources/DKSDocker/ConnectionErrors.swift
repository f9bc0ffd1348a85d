// ConnectionErrors: turns NIO/NIOSSL/POSIX failures into short human reasons for messages.
// Owns: the wording ("no such file", "connection refused"). Must not: decide error kinds.
import Foundation
import NIOCore
import NIOPosix
import NIOSSL

enum ConnectionErrors {
    static func describe(_ error: Error) -> String {
        if let io = error as? IOError { return errnoReason(io.errnoCode) }
        if let channelError = error as? ChannelError {
            switch channelError {
            case .connectTimeout(let t): return "timed out after \(Double(t.nanoseconds) / 1e9)s"
            case .ioOnClosedChannel, .alreadyClosed, .outputClosed: return "connection closed"
            case .eof: return "connection closed by the daemon"
            default: return "\(channelError)"
            }
        }
        if let connection = error as? NIOConnectionError {
            if let first = connection.connectionErrors.first { return describe(first.error) }
            if let dns = connection.dnsAError ?? connection.dnsAAAAError { return "cannot resolve \(connection.host): \(dns)" }
            return "cannot connect to \(connection.host):\(connection.port)"
        }
        if let ssl = error as? NIOSSLError {
            let text = "\(ssl)"
            if text.contains("CERTIFICATE_VERIFY_FAILED") {
                return "TLS: the daemon's certificate is not trusted (CERTIFICATE_VERIFY_FAILED); check ca.pem in DOCKER_CERT_PATH"
            }
            if text.contains("CERTIFICATE_REQUIRED") || text.contains("HANDSHAKE_FAILURE") {
                return "TLS handshake refused; does the daemon want a client certificate (cert.pem, key.pem)? (\(text.prefix(200)))"
            }
            return "TLS: \(text.prefix(300))"
        }
        if error is NIOSSLExtraError { return "TLS: \(error)" }
        return "\(error)"
    }

    static func errnoReason(_ code: Int32) -> String {
        switch code {
        case ENOENT: return "no such file"
        case ECONNREFUSED: return "connection refused"
        case EACCES, EPERM: return "permission denied"
        case ETIMEDOUT: return "timed out"
        case EHOSTUNREACH, ENETUNREACH: return "host unreachable"
        case ECONNRESET: return "connection reset"
        case EPIPE: return "connection closed"
        default: return String(cString: strerror(code))
        }
    }

    /// Peers that close TLS without close_notify, or reset after a finished exchange, ended the stream normally.
    static func isCleanEnd(_ error: Error) -> Bool {
        if let ssl = error as? NIOSSLError, case .uncleanShutdown = ssl { return true }
        if let channelError = error as? ChannelError, case .eof = channelError { return true }
        return false
    }
}
