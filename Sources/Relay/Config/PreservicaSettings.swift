import Foundation
import JSON
import Preservica

/// The `preservica` block: credentials and how hard to lean on the server.
///
/// Each credential is found the way pyPreservica finds it: the block, else the environment
/// (`PRESERVICA_SERVER`, `PRESERVICA_USERNAME`, `PRESERVICA_PASSWORD`, `PRESERVICA_TENANT`), else a
/// `credentials.properties` file (`[credentials]` section; default: in the working directory).
public struct PreservicaSettings: Sendable {
    /// Server, user, password and tenant.
    public var credentials: PreservicaCredentials
    /// Most requests in flight to Preservica at once.
    public var maxConcurrentRequests: Int
    /// Deadline of each call.
    public var timeout: Duration
    /// Extra attempts after a network error, timeout or 5xx.
    public var retries: Int
    /// How long a folder's title and parent are cached.
    public var folderCacheTTL: Duration
    /// Largest reply body read from Preservica; a larger one is refused, never buffered whole.
    public var maxResponseBytes: Int = 16 << 20
    /// The most content objects whose files are read for one asset's card; the rest are counted.
    public var maxContentObjects: Int = EntityClient.defaultMaxContentObjects
    /// Pattern of the link to an asset in Preservica's web interface (see ``EntityLinks``).
    public var assetUrl: String = EntityLinks.defaultAssetPattern
    /// Pattern of the link to a folder.
    public var folderUrl: String = EntityLinks.defaultFolderPattern
    /// How long events wait while Preservica cannot be reached, and how often they are retried
    /// (`holdFor`, default 1 h; retries after 1 s, doubling up to 1 min).
    public var hold = HoldPolicy()
    /// The zone Preservica's zone-less timestamps (`2023-10-11T10:52:42.469`) are written in.
    public var timeZone: TimeZone = .gmt

    /// A connection to the server with these credentials, limits, timeout and retries.
    public func connection() throws(PreservicaError) -> PreservicaConnection {
        try PreservicaConnection(credentials: credentials, maxConcurrentRequests: maxConcurrentRequests, timeout: timeout, retries: retries,
                                 maxResponseBytes: maxResponseBytes)
    }

    /// An Entity API client over a new ``connection()``, with this folder cache lifetime.
    public func entityClient() throws(PreservicaError) -> EntityClient {
        EntityClient(connection: try connection(), folderCacheTTL: folderCacheTTL, maxContentObjects: maxContentObjects)
    }

    /// The links cards use, for this server and tenant.
    public var links: EntityLinks {
        let base = credentials.baseURL.map { url in
            var text = "\(url.scheme ?? "https")://\(url.host ?? "")"
            if let port = url.port { text += ":\(port)" }
            return text
        } ?? credentials.server
        return EntityLinks(base: base, tenant: credentials.tenant ?? "", assetPattern: assetUrl, folderPattern: folderUrl)
    }

    /// Creates settings.
    public init(credentials: PreservicaCredentials, maxConcurrentRequests: Int = 8, timeout: Duration = .seconds(30),
                retries: Int = 3, folderCacheTTL: Duration = .seconds(600)) {
        self.credentials = credentials
        self.maxConcurrentRequests = maxConcurrentRequests
        self.timeout = timeout
        self.retries = retries
        self.folderCacheTTL = folderCacheTTL
    }

    static let keys = ["server", "username", "password", "tenant", "credentialsFile", "maxConcurrentRequests", "timeout",
                       "retries", "folderCacheTTL", "assetUrl", "folderUrl", "holdFor", "timeZone", "maxResponseBytes",
                       "maxContentObjects"]

    /// Reads the block (or nothing), filling gaps from the environment and credentials.properties.
    /// Nil when no server/user/password can be found at all; a problem when only some are.
    static func read(_ value: JSONValue?, _ reader: inout ConfigurationReader) -> PreservicaSettings? {
        let block = reader.object(value, "preservica", allowed: keys) ?? JSONObject()
        let file = credentialsFileValues(value, &reader)
        let environment = reader.environment
        func pick(_ key: String, _ variable: String) -> String? {
            guard block[key] == nil else { return nil }
            guard let given = environment[variable] else { return file[key].flatMap { $0.isEmpty ? nil : $0 } }
            // As a variable written ${...} is read: a line end at its end is no part of it.
            let value = ConfigurationReader.withoutLineEnd(given)
            if ConfigurationReader.holdsControlCharacter(value) {
                reader.problem("preservica.\(key)", "environment variable \(variable) holds a control character (a line break or tab?); remove it")
                return nil
            }
            return value.isEmpty ? nil : value
        }
        let server = reader.string(block["server"], "preservica.server") ?? pick("server", "PRESERVICA_SERVER")
        let username = reader.string(block["username"], "preservica.username") ?? pick("username", "PRESERVICA_USERNAME")
        let password = reader.secret(block["password"], "preservica.password")?.reveal ?? pick("password", "PRESERVICA_PASSWORD")
        let tenant = reader.string(block["tenant"], "preservica.tenant") ?? pick("tenant", "PRESERVICA_TENANT")

        var settings = PreservicaSettings(credentials: PreservicaCredentials(server: server ?? "", username: username ?? "",
                                                                             password: password ?? "", tenant: tenant))
        if let value = reader.integer(block["maxConcurrentRequests"], "preservica.maxConcurrentRequests", in: 1...64) {
            settings.maxConcurrentRequests = value
        }
        if let value = reader.duration(block["timeout"], "preservica.timeout", atLeast: .seconds(1)) { settings.timeout = value }
        if let value = reader.integer(block["retries"], "preservica.retries", in: 0...10) { settings.retries = value }
        if let value = reader.duration(block["folderCacheTTL"], "preservica.folderCacheTTL") { settings.folderCacheTTL = value }
        if let value = reader.duration(block["holdFor"], "preservica.holdFor") {
            // Bounded well inside the journal's 30-day retention; a hold that long means Preservica is gone.
            if value > .seconds(7 * 86_400) {
                reader.problem("preservica.holdFor", "at most 7d")
            } else {
                settings.hold.holdFor = value
            }
        }
        if let value = reader.integer(block["maxResponseBytes"], "preservica.maxResponseBytes", in: 65_536...1_073_741_824) {
            settings.maxResponseBytes = value
        }
        if let value = reader.integer(block["maxContentObjects"], "preservica.maxContentObjects", in: 1...100_000) {
            settings.maxContentObjects = value
        }
        for (key, path) in [("assetUrl", \PreservicaSettings.assetUrl), ("folderUrl", \PreservicaSettings.folderUrl)] {
            guard let pattern = reader.string(block[key], "preservica.\(key)") else { continue }
            if pattern.contains("{ref}") && (pattern.hasPrefix("http://") || pattern.hasPrefix("https://") || pattern.hasPrefix("{base}")) {
                settings[keyPath: path] = pattern
            } else {
                reader.problem("preservica.\(key)", "expected an http(s) URL pattern containing {ref}, e.g. \"\(EntityLinks.defaultAssetPattern)\"")
            }
        }
        if let name = reader.string(block["timeZone"], "preservica.timeZone") {
            if let zone = ZoneName.zone(name) { settings.timeZone = zone } else {
                reader.problem("preservica.timeZone", "unknown time zone \"\(name)\"; use an IANA name such as \"Europe/London\" or \"UTC\"")
            }
        }

        // An empty value (an unset variable in the file) is as missing as none.
        let found = [("server", server), ("username", username), ("password", password)].map { ($0.0, $0.1.flatMap { $0.isEmpty ? nil : $0 }) }
        // A value given here that could not be read (an unset variable) is a problem already.
        let unreadable = Set(found.map(\.0).filter { key in block[key] != nil && reader.problems.contains { $0.hasPrefix("preservica.\(key):") } })
        let missing = found.filter { $0.1 == nil && !unreadable.contains($0.0) }.map(\.0)
        if missing.count == found.count {
            if value != nil { reader.problem("preservica", "no server, username or password here, in PRESERVICA_* variables or in credentials.properties") }
            return nil
        }
        if !missing.isEmpty {
            reader.problem("preservica", "missing \(missing.joined(separator: ", ")): set it here, in PRESERVICA_\(missing[0].uppercased()) "
                + "or in credentials.properties")
            return nil
        }
        if let url = settings.credentials.baseURL, url.user != nil || url.password != nil || url.query != nil || url.fragment != nil {
            // The value is never repeated: it may hold a password.
            reader.problem("preservica.server", "a user name, password or query does not belong in the server's URL; "
                + "give the host (and port) only, with the account in preservica.username and preservica.password")
        } else if let url = settings.credentials.baseURL {
            if CleartextURL.crossesNetwork(url) { reader.warning("preservica.server", CleartextURL.warning(sending: "the password and access tokens")) }
        } else {
            reader.problem("preservica.server", "expected a host name such as \"eu.preservica.com\" or a URL such as \"http://127.0.0.1:9000\"")
        }
        return settings
    }

    /// The webhook secret pyPreservica's credentials.properties may hold as `secret.key`; nil
    /// when the file has none. Read only where the configuration gives no `webhook.secrets`.
    static func credentialsFileSecret(_ value: JSONValue?, _ reader: inout ConfigurationReader) -> Secret? {
        guard let key = credentialsFileValues(value, &reader, report: false)["secret.key"], !key.isEmpty else { return nil }
        return Secret(key)
    }

    /// The `[credentials]` values of the credentials file (`preservica.credentialsFile`, default
    /// `credentials.properties` in the working directory); empty when there is none.
    static func credentialsFileValues(_ value: JSONValue?, _ reader: inout ConfigurationReader, report: Bool = true) -> [String: String] {
        // Written like any other string: "${HOME}/credentials.properties" is read from the environment.
        var quiet = ConfigurationReader(environment: reader.environment)
        let named = value?.objectValue?["credentialsFile"].flatMap { report ? reader.string($0, "preservica.credentialsFile") : quiet.string($0, "") }
        let path = named ?? "credentials.properties"
        guard let values = CredentialsFile.read(path: path) else {
            if named != nil && report { reader.problem("preservica.credentialsFile", "cannot read \(path)") }
            return [:]
        }
        // It holds a password (and perhaps the webhook secret), like a secret file.
        if report, !values.isEmpty, let mode = ConfigurationReader.permissions(of: path), mode & 0o044 != 0 {
            reader.warning("preservica.credentialsFile", "\(path) is readable by \(mode & 0o004 != 0 ? "others" : "its group") "
                + "(mode \(String(mode, radix: 8))); make it readable by its owner only: chmod 600 \(path)")
        }
        return values
    }
}
