import Foundation

/// A Standard Webhooks signing secret: `whsec_` and the base64 (standard alphabet, padded) of 24
/// to 64 random bytes, which are the HMAC key. Anything else is refused when the configuration is
/// read, so a channel never posts unsigned because its secret could not be decoded.
public enum StandardWebhookSecret {
    /// The prefix every secret starts with.
    public static let prefix = "whsec_"
    /// The key sizes the specification allows, in bytes.
    public static let keySizes = 24...64

    /// The HMAC key in `secret`, or nil when it is not a valid secret.
    public static func key(_ secret: String) -> [UInt8]? {
        guard secret.hasPrefix(prefix), let key = Data(base64Encoded: String(secret.dropFirst(prefix.count))),
              keySizes.contains(key.count) else { return nil }
        return [UInt8](key)
    }
}
