import JSON

/// The `console` block: the curators' console in the browser (off unless `enabled`).
public struct ConsoleSettings: Sendable, Equatable {
    /// Whether `/console/` is served at all.
    public var enabled = false
    /// A separate address for the console (host and port), so it can stay off the public webhook
    /// port; nil serves it on the relay's own listener.
    public var listenHost: String?
    /// Port of ``listenHost``.
    public var listenPort: Int?
    /// Roles that may manage their own channels.
    public var roles = ["ROLE_SDB_MANAGER_USER"]
    /// Roles that may manage everyone's channels.
    public var adminRoles = ["ROLE_SDB_ADMIN_USER"]
    /// Send the session cookie without `Secure`, for plain HTTP on loopback (the demo). Behind
    /// a TLS proxy leave it false.
    public var allowInsecureHTTP = false
    /// A session unused this long ends.
    public var idleTimeout: Duration = .seconds(30 * 60)
    /// A session ends this long after sign-in, however busy.
    public var sessionLifetime: Duration = .seconds(12 * 3600)
    /// Security tags of the folders a curator who is not an administrator may see in the folder
    /// browser (the relay browses with its own account; see the README).
    public var browseSecurityTags = ["open"]
    /// Let curators who are not administrators point channels at loopback, link-local and
    /// private addresses (a chat server on the office network); off, they must be public.
    public var allowPrivateChannelURLs = false
    /// Proxies (addresses or ranges) whose `X-Forwarded-For` names the client for the sign-in
    /// limit, besides a proxy on this host (loopback), which is always trusted: for example the
    /// Docker bridge's gateway when the proxy runs on the host and the relay in a container.
    public var trustedProxies: [AddressRange] = []
    /// Channels one curator who is not an administrator may keep in the console.
    public var maxChannelsPerCurator = 20

    /// The defaults: disabled.
    public init() {}

    static let keys = ["enabled", "listen", "roles", "adminRoles", "allowInsecureHTTP", "idleTimeout", "sessionLifetime",
                       "browseSecurityTags", "allowPrivateChannelURLs", "trustedProxies", "maxChannelsPerCurator"]

    /// Reads the block; nil when there is none.
    static func read(_ value: JSONValue?, _ reader: inout ConfigurationReader) -> ConsoleSettings? {
        guard let block = reader.object(value, "console", allowed: keys) else { return nil }
        var settings = ConsoleSettings()
        for (key, path) in [("enabled", \ConsoleSettings.enabled), ("allowInsecureHTTP", \ConsoleSettings.allowInsecureHTTP),
                            ("allowPrivateChannelURLs", \ConsoleSettings.allowPrivateChannelURLs)] {
            guard let flag = block[key] else { continue }
            if case .bool(let value) = flag { settings[keyPath: path] = value } else { reader.problem("console.\(key)", "expected true or false") }
        }
        if let listen = reader.string(block["listen"], "console.listen") {
            if let (host, port) = RelayConfiguration.parseListen(listen) {
                settings.listenHost = host
                settings.listenPort = port
            } else {
                reader.problem("console.listen", "expected host:port such as \"127.0.0.1:8081\", found \"\(listen)\"")
            }
        }
        for (key, path) in [("roles", \ConsoleSettings.roles), ("adminRoles", \ConsoleSettings.adminRoles),
                            ("browseSecurityTags", \ConsoleSettings.browseSecurityTags)] {
            guard let value = block[key] else { continue }
            guard case .array(let items) = value else {
                reader.problem("console.\(key)", "expected an array of strings, found \(value.typeName)")
                continue
            }
            settings[keyPath: path] = items.enumerated().compactMap { reader.string($0.element, "console.\(key)[\($0.offset)]") }
        }
        if let value = block["trustedProxies"] {
            if case .array(let items) = value {
                for (index, item) in items.enumerated() {
                    guard let text = reader.string(item, "console.trustedProxies[\(index)]") else { continue }
                    if let range = AddressRange(text) {
                        settings.trustedProxies.append(range)
                    } else {
                        reader.problem("console.trustedProxies[\(index)]", "expected an address or range such as \"172.17.0.1\" or \"172.16.0.0/12\"")
                    }
                }
            } else {
                reader.problem("console.trustedProxies", "expected an array of addresses or ranges, found \(value.typeName)")
            }
        }
        if let most = reader.integer(block["maxChannelsPerCurator"], "console.maxChannelsPerCurator", in: 1...1_000) {
            settings.maxChannelsPerCurator = most
        }
        if settings.roles.isEmpty { reader.problem("console.roles", "expected at least one role, e.g. [\"ROLE_SDB_MANAGER_USER\"]") }
        if let value = reader.duration(block["idleTimeout"], "console.idleTimeout", atLeast: .seconds(60)) { settings.idleTimeout = value }
        if let value = reader.duration(block["sessionLifetime"], "console.sessionLifetime", atLeast: .seconds(60)) { settings.sessionLifetime = value }
        return settings
    }
}
