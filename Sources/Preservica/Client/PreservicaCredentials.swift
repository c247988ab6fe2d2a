import Foundation

/// How to log in to Preservica. Prints without the password.
public struct PreservicaCredentials: Sendable, CustomStringConvertible, CustomReflectable {
    /// A host name (`eu.preservica.com`, reached over https) or a full base URL (`http://127.0.0.1:9000`).
    public var server: String
    /// The user name (a service account without 2FA).
    public var username: String
    /// The password.
    public var password: String
    /// The tenant short name, if the account needs one.
    public var tenant: String?

    /// Creates credentials.
    public init(server: String, username: String, password: String, tenant: String? = nil) {
        self.server = server
        self.username = username
        self.password = password
        self.tenant = tenant
    }

    public var description: String { "\(username)@\(server)\(tenant.map { " (tenant \($0))" } ?? "")" }
    public var customMirror: Mirror { Mirror(self, children: ["server": server, "username": username, "tenant": tenant as Any]) }

    /// The base URL for `server`: a bare host name means https.
    public var baseURL: URL? {
        let trimmed = server.hasSuffix("/") ? String(server.dropLast()) : server
        let text = trimmed.contains("://") ? trimmed : "https://" + trimmed
        guard let url = URL(string: text), url.host != nil, url.scheme == "https" || url.scheme == "http" else { return nil }
        return url
    }
}

/// pyPreservica's `credentials.properties`: a `[credentials]` section of `key=value` lines.
public enum CredentialsFile {
    /// The keys of the `[credentials]` section (username, password, tenant, server; `secret.key`...).
    public static func read(path: String) -> [String: String]? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return parse(text)
    }

    /// Parses the text of a properties file; lines before any section header count as `[credentials]`.
    public static func parse(_ text: String) -> [String: String] {
        var section = "credentials"
        var values: [String: String] = [:]
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") && line.hasSuffix("]") {
                section = String(line.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces).lowercased()
                continue
            }
            guard section == "credentials", let separator = line.firstIndex(where: { $0 == "=" || $0 == ":" }) else { continue }
            let key = line[..<separator].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: separator)...].trimmingCharacters(in: .whitespaces)
            values[key] = value
        }
        return values
    }
}
