// OutputPump: moves a streaming body (raw or multiplexed) to the caller's callback, on the calling thread.
// Owns: demultiplexing, log timestamp prefixes, stopping early. Must not: buffer a whole body:
// each piece is delivered before the next is read, so memory stays bounded by the read window.
import DKSEngine
import DKSSupport

enum OutputPump {
    /// Delivers every chunk of `exchange`'s body until it ends (returns true) or `onChunk` says stop
    /// (closes the connection, returns false). Errors close the connection and propagate.
    static func run(_ exchange: DockerExchange, multiplexed: Bool, timestamps: Bool,
                    onChunk: (OutputChunk) throws -> StreamControl) throws -> Bool {
        // With timestamps each frame is one message with its own time: frames stay separate.
        var decoder = FrameDecoder(coalesce: !timestamps)
        do {
            while let piece = try exchange.body.next() {
                let chunks = multiplexed ? decoder.feed(piece) : [OutputChunk(stream: .stdout, bytes: piece)]
                for chunk in chunks {
                    let delivered = timestamps && multiplexed ? splitTimestamp(chunk) : chunk
                    if try onChunk(delivered) == .stop {
                        exchange.abort()
                        return false
                    }
                }
            }
        } catch let error as HTTPParseError {
            // A daemon that stops mid-stream cuts the body: that is the engine's error, not the consumer's.
            exchange.abort()
            throw DockerHTTPClient.mapParseError(error, endpoint: exchange.connection.endpointName)
        } catch {
            exchange.abort()
            throw error
        }
        exchange.finish()
        return true
    }

    /// With `timestamps=1` each log message starts with an RFC 3339 time and a space; it moves
    /// to `.timestampText` as the daemon wrote it (and to `.timestamp` as a number).
    static func splitTimestamp(_ chunk: OutputChunk) -> OutputChunk {
        let bytes = chunk.bytes
        guard let space = bytes.prefix(64).firstIndex(of: 32) else { return chunk }
        let text = String(decoding: bytes[..<space], as: UTF8.self)
        guard let time = PreciseTime.parseRFC3339(text) else { return chunk }
        return OutputChunk(stream: chunk.stream, bytes: Array(bytes[(space + 1)...]), timestamp: time.unix, timestampText: text)
    }
}
