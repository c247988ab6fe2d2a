import Hashing

/// Answers Preservica's subscription handshake and checks the signature on every notification.
///
/// Preservica signs `"preservica-webhook-auth" + raw body` with HMAC-SHA256 under the shared secret
/// and sends lowercase hex in `Preservica-Signature`. Several secrets may be active while one is
/// rotated; the first answers handshakes, any one verifies.
public struct WebhookVerifier: Sendable {
    /// The literal Preservica puts in front of the body before signing.
    public static let signaturePrefix: [UInt8] = Array("preservica-webhook-auth".utf8)

    private let keys: [HMACSHA256]

    /// Prepares the HMAC state for each secret (UTF-8 bytes; Preservica's secrets are ASCII).
    public init(secrets: [String]) {
        precondition(!secrets.isEmpty, "at least one webhook secret is required")
        keys = secrets.map { HMACSHA256(key: Array($0.utf8)) }
    }

    /// The `challengeResponse` for a handshake: lowercase hex HMAC-SHA256 of the code under the first secret.
    public func challengeResponse(for challengeCode: String) -> String {
        Hex.encode(keys[0].authenticationCode(Array(challengeCode.utf8)))
    }

    /// The index of the secret that produced `signature` over `body`, and whether it was over the
    /// body's Latin-1 bytes rather than the bytes received; nil when no secret did (or the header
    /// is missing or is not 64 hex digits). Every secret is checked in constant time.
    ///
    /// The bytes received are tried first. A body that is not ASCII is then tried as pyPreservica,
    /// Preservica's own client, checks it: decoded as UTF-8 and written in Latin-1
    /// (`bytes(message, 'latin-1')`, webHooksAPI.py), only when every character has a Latin-1
    /// byte (pyPreservica itself fails on any other), so that each text has one such form.
    /// Which of the two Preservica signs is not documented. Either proves the secret's holder signed
    /// the text, but the Latin-1 form also lets one signature cover a second body (the first's
    /// bytes read as Latin-1 and written in UTF-8): such a copy carries the same deduplication key
    /// whenever the notification has a timestamp and ASCII references, as Preservica's have.
    public func verify(signature: String?, body: [UInt8]) -> (secret: Int, latin1: Bool)? {
        guard let signature, let received = Hex.decode(signature.trimmingSpaces()), received.count == SHA256.digestByteCount else {
            return nil
        }
        if let index = match(received, body) { return (index, false) }
        guard let latin1 = Self.latin1(body) else { return nil }
        return match(received, latin1).map { ($0, true) }
    }

    /// The Latin-1 bytes of `body` read as UTF-8: nil when it is ASCII (the same bytes), not UTF-8,
    /// or holds a character past U+00FF.
    static func latin1(_ body: [UInt8]) -> [UInt8]? {
        guard body.contains(where: { $0 >= 0x80 }), let text = String(validating: body, as: UTF8.self) else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(body.count)
        for scalar in text.unicodeScalars {
            guard scalar.value <= 0xFF else { return nil }
            bytes.append(UInt8(scalar.value))
        }
        return bytes
    }

    private func match(_ received: [UInt8], _ body: [UInt8]) -> Int? {
        var matched: Int?
        Self.signaturePrefix.withUnsafeBytes { prefix in
            body.withUnsafeBytes { bodyBytes in
                for (index, key) in keys.enumerated() {
                    let expected = key.authenticationCode(parts: [prefix, bodyBytes])
                    if ConstantTime.equals(expected, received) && matched == nil { matched = index }
                }
            }
        }
        return matched
    }

    /// The signature Preservica would send for `body` under `secret` (used by the simulator and the demo).
    public static func signature(body: [UInt8], secret: String) -> String {
        Hex.encode(HMACSHA256.authenticationCode(key: Array(secret.utf8), message: signaturePrefix + body))
    }
}

extension String {
    fileprivate func trimmingSpaces() -> Substring {
        var text = Substring(self)
        while text.first == " " || text.first == "\t" { text.removeFirst() }
        while text.last == " " || text.last == "\t" { text.removeLast() }
        return text
    }
}
