/// The XML namespaces a Preservica version answers with, following pyPreservica's rule:
/// 6.0 and 6.1 share `v6.0`; later versions use `v<major>.<minor>`.
struct EntityNamespaces: Sendable, Equatable {
    /// The default namespace of every Entity API response.
    let entity: String
    /// The namespace bound to the `xip` prefix.
    let xip: String

    init(version: String) {
        let label = Self.namespaceLabel(version)
        entity = "http://preservica.com/EntityAPI/v\(label)"
        xip = "http://preservica.com/XIP/v\(label)"
    }

    /// `major.minor` parsed from `version`; nil unless it is two or three dot-separated integers.
    static func numbers(_ version: String) -> (major: Int, minor: Int)? {
        let parts = version.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, let major = Int(parts[0]), let minor = Int(parts[1]),
              parts.dropFirst(2).allSatisfy({ Int($0) != nil }) else { return nil }
        return (major, minor)
    }

    private static func namespaceLabel(_ version: String) -> String {
        guard let (major, minor) = numbers(version) else { return version }
        if major == 6 && minor < 2 { return "6.0" }
        return "\(major).\(minor)"
    }
}
