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
        if error is NIOSSLError || error is NIOSSLExtraError || error is BoringSSLError { return tlsReason("\(error)") }
        return "\(error)"
    }

    /// A TLS failure in words: whose certificate was refused, and what to check.
    static func tlsReason(_ text: String) -> String {
        if text.contains("CERTIFICATE_VERIFY_FAILED") {
            return "TLS verification failed: the daemon's certificate is not trusted by the CA given (CERTIFICATE_VERIFY_FAILED); check ca.pem (DOCKER_CERT_PATH, the context's TLS files, connect's ca)"
        }
        if text.contains("BAD_CERTIFICATE") || text.contains("CERTIFICATE_REQUIRED") || text.contains("UNKNOWN_CA") || text.contains("HANDSHAKE_FAILURE") {
            return "TLS handshake failed: the daemon refused the client certificate, or none was sent; give cert.pem and key.pem signed by the daemon's CA"
        }
        if text.contains("WRONG_VERSION_NUMBER") || text.contains("PACKET_LENGTH_TOO_LONG") {
            return "TLS handshake failed: nothing speaks TLS there (WRONG_VERSION_NUMBER); is it a plain tcp:// daemon? unset DOCKER_TLS_VERIFY or connect with tls: false"
        }
        return "TLS handshake failed: \(text.prefix(300))"
    }

    /// Whether a failure's reason (from `describe`) is about TLS.
    static func isTLS(_ reason: String) -> Bool { reason.hasPrefix("TLS") }

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
