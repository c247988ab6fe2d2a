import Hashing
import Preservica

/// Signatures computed independently of the relay's verifier, for building test requests.
enum HMACHex {
    static func of(key: String, message: String) -> String {
        Hex.encode(HMACSHA256.authenticationCode(key: Array(key.utf8), message: Array(message.utf8)))
    }

    static func signature(body: [UInt8], secret: String = RelayHarness.secret) -> String {
        Hex.encode(HMACSHA256.authenticationCode(key: Array(secret.utf8), message: Array("preservica-webhook-auth".utf8) + body))
    }
}
