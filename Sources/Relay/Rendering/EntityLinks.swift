/// Links into Preservica's web interface, from a pattern.
///
/// The default opens the entity in Explorer; tenants whose Explorer lives elsewhere, or that want
/// links into a public access portal, set `preservica.assetUrl` / `preservica.folderUrl`.
/// Placeholders: `{server}` (host[:port]), `{base}` (scheme://host[:port]), `{ref}`, `{type}`
/// (`IO` or `SO`), `{tenant}`.
public struct EntityLinks: Sendable, Equatable {
    /// The default asset link pattern.
    public static let defaultAssetPattern = "{base}/explorer/explorer.html#properties:{type}&{ref}"
    /// The default folder link pattern.
    public static let defaultFolderPattern = "{base}/explorer/explorer.html#properties:{type}&{ref}"

    /// Pattern for assets.
    public var assetPattern: String
    /// Pattern for folders.
    public var folderPattern: String
    /// `scheme://host[:port]` of the Preservica server.
    public var base: String
    /// The tenant, if known.
    public var tenant: String

    /// Creates links for the server at `base`.
    public init(base: String, tenant: String = "", assetPattern: String = defaultAssetPattern,
                folderPattern: String = defaultFolderPattern) {
        self.base = base.hasSuffix("/") ? String(base.dropLast()) : base
        self.tenant = tenant
        self.assetPattern = assetPattern
        self.folderPattern = folderPattern
    }

    /// The link to asset `ref`.
    public func asset(_ ref: String) -> String { fill(assetPattern, ref: ref, type: "IO") }

    /// The link to folder `ref`.
    public func folder(_ ref: String) -> String { fill(folderPattern, ref: ref, type: "SO") }

    /// `ref` as it may stand in a link: a reference (letters, digits, `-`) as it is, anything
    /// else percent-encoded, so a notification's reference can never end the link, start another
    /// (`)[`, `|`, `>` in Markdown or Slack links) or leave the server.
    static func pathSafe(_ ref: String) -> String {
        var out = ""
        for byte in ref.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.append(Character(Unicode.Scalar(byte)))
            default:
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }

    private func fill(_ pattern: String, ref: String, type: String) -> String {
        let server = base.split(separator: "/", omittingEmptySubsequences: true).dropFirst().first.map(String.init) ?? base
        return pattern.replacingOccurrences(of: "{base}", with: base)
            .replacingOccurrences(of: "{server}", with: server)
            .replacingOccurrences(of: "{ref}", with: Self.pathSafe(ref))
            .replacingOccurrences(of: "{type}", with: type)
            .replacingOccurrences(of: "{tenant}", with: tenant)
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }

    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
