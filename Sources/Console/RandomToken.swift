import Hashing

/// Unguessable identifiers: 256 bits from the system's cryptographic generator (getrandom).
enum RandomToken {
    /// 32 random bytes as 64 hex digits.
    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<4).flatMap { _ in withUnsafeBytes(of: generator.next() as UInt64) { Array($0) } }
        return Hex.encode(bytes)
    }
}
