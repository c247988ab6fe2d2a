/// HMAC-SHA256 (RFC 2104) over ``SHA256``.
///
/// The keyed state is computed once, so verifying many messages with one secret costs two
/// compressions less per message than starting from the key each time.
public struct HMACSHA256: Sendable {
    private let inner: SHA256
    private let outer: SHA256

    /// Prepares an HMAC for `key`; keys longer than one block are hashed first, as RFC 2104 says.
    /// Its hashes are compressed with `compression` (the fastest this processor has, unless a test
    /// or a benchmark says otherwise).
    public init<Key: Collection>(key: Key, compression: SHA256.Compression = .fastest) where Key.Element == UInt8 {
        var block = key.count > SHA256.blockByteCount ? SHA256.hash(key, compression: compression) : Array(key)
        block.append(contentsOf: repeatElement(0, count: SHA256.blockByteCount - block.count))
        var inner = SHA256(compression: compression)
        inner.update(block.map { $0 ^ 0x36 })
        var outer = SHA256(compression: compression)
        outer.update(block.map { $0 ^ 0x5c })
        self.inner = inner
        self.outer = outer
    }

    /// The 32-byte MAC of the concatenation of `parts`.
    public func authenticationCode(parts: [UnsafeRawBufferPointer]) -> [UInt8] {
        var hasher = inner
        for part in parts { hasher.update(buffer: part) }
        var final = outer
        final.update(hasher.finalize())
        return final.finalize()
    }

    /// The 32-byte MAC of `message`.
    public func authenticationCode<Message: Sequence>(_ message: Message) -> [UInt8] where Message.Element == UInt8 {
        var hasher = inner
        hasher.update(message)
        var final = outer
        final.update(hasher.finalize())
        return final.finalize()
    }

    /// One-shot HMAC-SHA256 of `message` under `key`.
    public static func authenticationCode<Key: Collection, Message: Sequence>(
        key: Key, message: Message
    ) -> [UInt8] where Key.Element == UInt8, Message.Element == UInt8 {
        HMACSHA256(key: key).authenticationCode(message)
    }
}
