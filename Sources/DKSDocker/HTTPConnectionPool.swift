// HTTPConnectionPool: the process's event loop (one thread) and keep-alive connections to one endpoint.
// Owns: connecting (unix, tcp, TLS), connect timeouts and their messages, idle reuse, shutdown.
// Must not: speak HTTP beyond checking reusability, or block an event-loop thread.
import DKSEngine
import DKSSupport
import Foundation
import NIOCore
import NIOPosix
import NIOSSL

final class HTTPConnectionPool: @unchecked Sendable {
    /// One event-loop thread for the whole process: every engine and probe shares it.
    static let sharedGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    let endpoint: DockerEndpoint
    private let lock = NSLock()
    private var idle: [HTTPConnection] = []
    private var sslContext: NIOSSLContext?
    /// How many connections were opened (keep-alive reuse keeps this low; tests check it).
    var connectionsOpened: Int { lock.withLock { opened } }
    private var opened = 0
    private let maxIdle = 4

    init(endpoint: DockerEndpoint) { self.endpoint = endpoint }

    /// An idle live connection, else a new one. `fresh` skips the idle ones: a retry after a stale
    /// keep-alive failed must not land on another connection the daemon may have closed as well.
    /// Connecting gives up at `connectTimeout`, at `deadline` (a `.timeout` error) and, when
    /// `interruptible`, on an interrupt (an `.interrupted` error).
    func acquire(connectTimeout: Double = 2, fresh: Bool = false, deadline: Deadline = .never,
                 interruptible: Bool = true) throws -> HTTPConnection {
        while !fresh, let candidate = lock.withLock({ idle.popLast() }) {
            if candidate.isReusable {
                candidate.useCount += 1
                return candidate
            }
            candidate.close()
        }
        let connection = try connect(timeout: connectTimeout, deadline: deadline, interruptible: interruptible)
        connection.useCount = 1
        return connection
    }

    /// Keeps `connection` for reuse when it is clean, else closes it.
    func release(_ connection: HTTPConnection) {
        connection.deadline = .never
        connection.interruptible = true
        let keep: Bool = lock.withLock {
            guard connection.isReusable, idle.count < maxIdle else { return false }
            idle.append(connection)
            return true
        }
        if !keep { connection.close() }
    }

    /// Closes idle connections; later calls connect afresh.
    func shutdown() {
        let all: [HTTPConnection] = lock.withLock {
            defer { idle.removeAll() }
            return idle
        }
        for c in all { c.close() }
    }

    /// The caller's deadline passed while connecting (a `.timeout` that the engine never answered).
    private func connectTimedOut() -> EngineError {
        var error = EngineError(.timeout, "cannot connect to \(endpoint) before the deadline")
        error.unanswered = true
        return error
    }

    /// The message every connection failure carries: endpoint, reason, what to do.
    func connectFailure(_ reason: String) -> EngineError {
        var hint = "is the Docker daemon running? set DOCKER_HOST or use --engine local"
        if reason == "permission denied" { hint = "is your user allowed to use the Docker socket (group 'docker')?" }
        return EngineError(.engine, "cannot connect to \(endpoint): \(reason); \(hint)")
    }

    private func tlsContext() throws -> NIOSSLContext? {
        guard let tls = endpoint.tls else { return nil }
        if let existing = lock.withLock({ sslContext }) { return existing }
        var config = TLSConfiguration.makeClientConfiguration()
        do {
            if let ca = tls.caFile { config.trustRoots = .file(ca) }
            if let cert = tls.certFile, let key = tls.keyFile {
                config.certificateChain = try NIOSSLCertificate.fromPEMFile(cert).map { .certificate($0) }
                config.privateKey = .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
            }
            config.certificateVerification = tls.verify ? .fullVerification : .none
            let context = try NIOSSLContext(configuration: config)
            lock.withLock { sslContext = context }
            return context
        } catch {
            throw EngineError(.engine, "cannot set up TLS for \(endpoint): \(ConnectionErrors.describe(error)) (certificates from \(tls.caFile ?? "system trust roots"))")
        }
    }

    private func connect(timeout: Double, deadline: Deadline, interruptible: Bool) throws -> HTTPConnection {
        let queue = InboundQueue()
        let ssl = try tlsContext()
        var serverName: String?
        if case .tcp(let host, _) = endpoint.transport, !HTTPConnectionPool.isIPAddress(host) { serverName = host }
        // When the caller's deadline comes before the connect timeout, running out is its Timeout.
        let deadlineBinds = deadline.remainingSeconds < timeout
        let millis = Int64(max(0.05, min(timeout, deadline.remainingSeconds)) * 1000)
        let bootstrap = ClientBootstrap(group: HTTPConnectionPool.sharedGroup)
            .connectTimeout(.milliseconds(millis))
            .channelOption(ChannelOptions.autoRead, value: false)
            .channelOption(ChannelOptions.allowRemoteHalfClosure, value: true)
            // Streams (a 1 GB exec output) come in reads of up to 256 KiB instead of NIO's 64 KiB:
            // a quarter of the wake-ups of the thread that consumes them.
            .channelOption(ChannelOptions.recvAllocator, value: AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 2048, maximum: 1 << 18))
            .channelInitializer { channel in
                do {
                    if let ssl = ssl {
                        let handler = try NIOSSLClientHandler(context: ssl, serverHostname: serverName)
                        try channel.pipeline.syncOperations.addHandler(handler)
                    }
                    try channel.pipeline.syncOperations.addHandler(QueueingHandler(queue: queue))
                    return channel.eventLoop.makeSucceededFuture(())
                } catch {
                    return channel.eventLoop.makeFailedFuture(error)
                }
            }
        let future: EventLoopFuture<Channel>
        switch endpoint.transport {
        case .unix(let path):
            future = bootstrap.connect(unixDomainSocketPath: path)
        case .tcp(let host, let port):
            future = bootstrap.connect(host: host, port: port)
        }
        do {
            // A channel that connects after the caller gave up is closed at once, never pooled.
            let channel = try FutureWait.result(of: future, deadline: deadline, interruptible: interruptible,
                                                abandoned: { $0.close(promise: nil) })
            lock.withLock { opened += 1 }
            return HTTPConnection(channel: channel, queue: queue, endpointName: endpoint.description)
        } catch TakeFailure.interrupted {
            throw EngineError(.interrupted, "interrupted while connecting to \(endpoint)")
        } catch TakeFailure.deadline {
            throw connectTimedOut()
        } catch {
            if deadlineBinds && deadline.hasPassed { throw connectTimedOut() }
            throw connectFailure(ConnectionErrors.describe(error))
        }
    }

    static func isIPAddress(_ host: String) -> Bool {
        host.contains(":") || host.split(separator: ".").count == 4 && host.allSatisfy { $0.isNumber || $0 == "." }
    }
}
