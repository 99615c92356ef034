#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import Foundation

/// A blocking TCP client on 127.0.0.1 that behaves like the clients the server must
/// handle: it writes a whole request before reading anything.
struct RawSocket: ~Copyable {
    private let fd: Int32

    /// Connects, with `timeout` seconds for every send and receive.
    init(port: Int, timeout: Int = 5) throws(RawSocketError) {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw RawSocketError(operation: "socket") }
        var time = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(fd)
            throw RawSocketError(operation: "connect")
        }
    }

    deinit { close(fd) }

    /// Sends every byte; throws (with the count sent) when the peer resets or the send
    /// times out.
    func send(_ bytes: [UInt8]) throws(RawSocketError) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw RawSocketError(operation: "send", errno: errno) }
            offset += sent
        }
    }

    /// Everything the peer sends until it closes (or the receive times out or resets).
    func receiveAll() -> (bytes: [UInt8], closed: Bool) {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                received += buffer[..<count]
            } else {
                return (received, count == 0 || errno == ECONNRESET)
            }
        }
    }
}

extension RawSocket {
    /// What a client that writes first and reads after saw.
    struct Exchange: Sendable {
        var sendFailure: RawSocketError?
        var received: [UInt8]
        var closed: Bool
    }

    /// Connects, writes `head` then `bodyLength` bytes, then reads until the server closes:
    /// on a thread of its own, so that the blocking calls hold no thread of the server's
    /// (in-process) executor.
    static func exchange(port: Int, head: [UInt8], bodyLength: Int) async throws -> Exchange {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                do throws(RawSocketError) {
                    let socket = try RawSocket(port: port)
                    var failure: RawSocketError?
                    do throws(RawSocketError) {
                        try socket.send(head)
                        try socket.send([UInt8](repeating: 0x41, count: bodyLength))
                    } catch {
                        failure = error
                    }
                    let (received, closed) = socket.receiveAll()
                    continuation.resume(returning: Exchange(sendFailure: failure, received: received, closed: closed))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }
}

struct RawSocketError: Error, Sendable {
    var operation: String
    var errno: Int32 = 0
}
