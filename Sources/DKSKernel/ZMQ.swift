// ZMQ: the few libzmq calls the Jupyter kernel needs, loaded with dlopen when `dks kernel` starts,
// so dks builds and runs without libzmq everywhere else (Debian: apt-get install libzmq5).
// Owns: loading the library, sockets, multipart send and receive, poll. Must not: know Jupyter.
#if canImport(Glibc)
import Glibc
#endif
import DKSSupport

/// Why the kernel cannot use ZeroMQ.
public struct ZMQError: Error, CustomStringConvertible {
    public let description: String
}

/// The libzmq functions, resolved once.
final class ZMQ: @unchecked Sendable {
    typealias CtxNew = @convention(c) () -> UnsafeMutableRawPointer?
    typealias Socket = @convention(c) (UnsafeMutableRawPointer?, Int32) -> UnsafeMutableRawPointer?
    typealias Close = @convention(c) (UnsafeMutableRawPointer?) -> Int32
    typealias Bind = @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<CChar>?) -> Int32
    typealias SetSockOpt = @convention(c) (UnsafeMutableRawPointer?, Int32, UnsafeRawPointer?, Int) -> Int32
    typealias MsgInit = @convention(c) (UnsafeMutableRawPointer?) -> Int32
    typealias MsgRecv = @convention(c) (UnsafeMutableRawPointer?, UnsafeMutableRawPointer?, Int32) -> Int32
    typealias MsgData = @convention(c) (UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer?
    typealias MsgSize = @convention(c) (UnsafeMutableRawPointer?) -> Int
    typealias MsgMore = @convention(c) (UnsafeMutableRawPointer?) -> Int32
    typealias Send = @convention(c) (UnsafeMutableRawPointer?, UnsafeRawPointer?, Int, Int32) -> Int32
    typealias Poll = @convention(c) (UnsafeMutableRawPointer?, Int32, Int) -> Int32
    typealias Errno = @convention(c) () -> Int32
    typealias StrError = @convention(c) (Int32) -> UnsafePointer<CChar>?

    static let PUB: Int32 = 1, REP: Int32 = 4, ROUTER: Int32 = 6
    static let SNDMORE: Int32 = 2, DONTWAIT: Int32 = 1, POLLIN: Int16 = 1, LINGER: Int32 = 17

    let ctxNew: CtxNew, socket: Socket, close: Close, bind: Bind, setsockopt: SetSockOpt
    let msgInit: MsgInit, msgClose: Close, msgRecv: MsgRecv, msgData: MsgData, msgSize: MsgSize, msgMore: MsgMore
    let send: Send, poll: Poll, errno: Errno, strerror: StrError
    let context: UnsafeMutableRawPointer

    /// Loads libzmq and creates a context.
    static func load() throws -> ZMQ {
        let names = ["libzmq.so.5", "libzmq.so"]
        guard let handle = names.lazy.compactMap({ dlopen($0, RTLD_NOW) }).first else {
            throw ZMQError(description: "dks kernel needs the ZeroMQ library (libzmq.so.5), which is not installed; on Debian or Ubuntu: apt-get install libzmq5")
        }
        func sym<T>(_ name: String, _: T.Type) throws -> T {
            guard let p = dlsym(handle, name) else { throw ZMQError(description: "libzmq lacks \(name)") }
            return unsafeBitCast(p, to: T.self)
        }
        return try ZMQ(
            ctxNew: sym("zmq_ctx_new", CtxNew.self), socket: sym("zmq_socket", Socket.self), close: sym("zmq_close", Close.self),
            bind: sym("zmq_bind", Bind.self), setsockopt: sym("zmq_setsockopt", SetSockOpt.self),
            msgInit: sym("zmq_msg_init", MsgInit.self), msgClose: sym("zmq_msg_close", Close.self),
            msgRecv: sym("zmq_msg_recv", MsgRecv.self), msgData: sym("zmq_msg_data", MsgData.self),
            msgSize: sym("zmq_msg_size", MsgSize.self), msgMore: sym("zmq_msg_more", MsgMore.self),
            send: sym("zmq_send", Send.self), poll: sym("zmq_poll", Poll.self), errno: sym("zmq_errno", Errno.self),
            strerror: sym("zmq_strerror", StrError.self))
    }

    private init(ctxNew: CtxNew, socket: Socket, close: Close, bind: Bind, setsockopt: SetSockOpt, msgInit: MsgInit,
                 msgClose: Close, msgRecv: MsgRecv, msgData: MsgData, msgSize: MsgSize, msgMore: MsgMore, send: Send,
                 poll: Poll, errno: Errno, strerror: StrError) throws {
        self.ctxNew = ctxNew; self.socket = socket; self.close = close; self.bind = bind; self.setsockopt = setsockopt
        self.msgInit = msgInit; self.msgClose = msgClose; self.msgRecv = msgRecv; self.msgData = msgData
        self.msgSize = msgSize; self.msgMore = msgMore; self.send = send; self.poll = poll; self.errno = errno
        self.strerror = strerror
        guard let ctx = ctxNew() else { throw ZMQError(description: "zmq_ctx_new failed") }
        context = ctx
    }

    var lastError: String {
        let code = errno()
        return strerror(code).map { String(cString: $0) } ?? "error \(code)"
    }

    /// A socket of `type` bound to `endpoint` (`tcp://127.0.0.1:5555`).
    func bound(_ type: Int32, _ endpoint: String) throws -> ZMQSocket {
        guard let s = socket(context, type) else { throw ZMQError(description: "zmq_socket: \(lastError)") }
        var linger: Int32 = 0
        _ = setsockopt(s, ZMQ.LINGER, &linger, MemoryLayout<Int32>.size)
        guard bind(s, endpoint) == 0 else {
            let reason = lastError
            _ = close(s)
            throw ZMQError(description: "cannot listen on \(endpoint): \(reason)")
        }
        return ZMQSocket(zmq: self, handle: s)
    }
}

/// One socket; use it from one thread at a time.
final class ZMQSocket: @unchecked Sendable {
    let zmq: ZMQ
    let handle: UnsafeMutableRawPointer

    init(zmq: ZMQ, handle: UnsafeMutableRawPointer) {
        self.zmq = zmq
        self.handle = handle
    }

    /// Sends the frames of one message.
    func send(_ frames: [[UInt8]]) {
        for (i, f) in frames.enumerated() {
            let flags = i < frames.count - 1 ? ZMQ.SNDMORE : 0
            _ = f.withUnsafeBytes { zmq.send(handle, $0.baseAddress, f.count, flags) }
        }
    }

    /// Waits up to `timeoutMs` for a message; nil when none came.
    func receive(timeoutMs: Int) -> [[UInt8]]? {
        var item = PollItem(socket: handle, fd: 0, events: ZMQ.POLLIN, revents: 0)
        let ready = withUnsafeMutablePointer(to: &item) { zmq.poll(UnsafeMutableRawPointer($0), 1, timeoutMs) }
        guard ready > 0, item.revents & ZMQ.POLLIN != 0 else { return nil }
        var frames: [[UInt8]] = []
        // zmq_msg_t is 64 opaque bytes, 8-byte aligned.
        let msg = UnsafeMutableRawPointer.allocate(byteCount: 64, alignment: 8)
        defer { msg.deallocate() }
        while true {
            _ = zmq.msgInit(msg)
            let n = zmq.msgRecv(msg, handle, 0)
            if n < 0 { _ = zmq.msgClose(msg); return frames.isEmpty ? nil : frames }
            let size = zmq.msgSize(msg)
            if let data = zmq.msgData(msg), size > 0 {
                frames.append(Array(UnsafeRawBufferPointer(start: data, count: size)))
            } else {
                frames.append([])
            }
            let more = zmq.msgMore(msg)
            _ = zmq.msgClose(msg)
            if more == 0 { break }
        }
        return frames
    }

    func close() { _ = zmq.close(handle) }
}

/// zmq_pollitem_t.
struct PollItem {
    var socket: UnsafeMutableRawPointer?
    var fd: Int32
    var events: Int16
    var revents: Int16
}
