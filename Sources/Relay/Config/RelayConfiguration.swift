import Foundation
import JSON
import HTTPServer
import Preservica

/// Everything `serve` needs, read from `config/relay.json5` (JSON5) and checked as a whole.
public struct RelayConfiguration: Sendable {
    /// Host and port to listen on.
    public var listenHost: String
    /// Port to listen on (0 picks a free one, for tests and the demo).
    public var listenPort: Int
    /// Root of the spool (`incoming/`, `outbox/`, `dead/`), created if missing.
    public var dataDirectory: String
    /// The webhook path Preservica POSTs to.
    public var webhookPath: String
    /// Shared secrets: the first answers handshakes, any one verifies a signature.
    public var webhookSecrets: [Secret]
    /// Connection limits and timeouts.
    public var limits: HTTPServerLimits
    /// How to reach Preservica's APIs; nil when no credentials were found (then no enrichment).
    public var preservica: PreservicaSettings?
    /// Chat channels by name, in the order configured.
    public var channels: [ChannelSettings] = []
    /// Routing rules, tried in order.
    public var routes: [RouteSettings] = []
    /// Things that are allowed but probably wrong (one line each, with the JSON path).
    public var warnings: [String] = []
    /// At start, catch up on what changed in Preservica since the last notification received.
    public var catchUpOnStart = false
    /// The curators' console (disabled by default).
    public var console = ConsoleSettings()
    /// Paths of the secrets written in the file itself (for the warning about the file's mode).
    var inlineSecretPaths: [String] = []
    /// On SIGTERM or SIGINT, how long requests and attempts in progress may take to finish.
    public var shutdownTimeout: Duration = .seconds(10)
    /// How cards write times and which identifiers they show.
    public var display = DisplaySettings()

    /// Creates a configuration directly (tests, the demo).
    public init(listenHost: String = "127.0.0.1", listenPort: Int = 8080, dataDirectory: String = "data",
                webhookPath: String = "/webhook", webhookSecrets: [Secret], limits: HTTPServerLimits = HTTPServerLimits()) {
        self.listenHost = listenHost
        self.listenPort = listenPort
        self.dataDirectory = dataDirectory
        self.webhookPath = webhookPath
        self.webhookSecrets = webhookSecrets
        self.limits = limits
    }

    /// The listen address as written in the configuration, e.g. `127.0.0.1:8080` or `[::1]:8080`.
    public var listenDescription: String {
        listenHost.contains(":") ? "[\(listenHost)]:\(listenPort)" : "\(listenHost):\(listenPort)"
    }

    /// The default file: `$RELAY_CONFIG`, else `config/relay.json5`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        environment["RELAY_CONFIG"].flatMap { $0.isEmpty ? nil : $0 } ?? builtInPath
    }

    /// Reads and checks `path`. Throws ``ConfigurationError`` listing every problem.
    public static func load(path: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigurationError) -> RelayConfiguration {
        // Read to its end rather than by its size, so a pipe works too (`--config <(...)`). Opened
        // without waiting: a named pipe that nobody writes to reads as empty (and is refused)
        // instead of holding the relay, or a reload, for ever.
        let cannotRead = ConfigurationError(file: path, problems: ["cannot read the configuration file (does it exist?)"])
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw cannotRead }
        let file = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        defer { try? file.close() }
        // Reads wait again: a writer that is there is read to its end.
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
        guard let data = try? file.readToEnd() ?? Data() else { throw cannotRead }
        var configuration = try parse(data, file: path, environment: environment)
        // Secrets in the file itself are as safe as the file's mode.
        var info = stat()
        if !configuration.inlineSecretPaths.isEmpty, fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_mode & 0o004 != 0 {
            // Not "chmod 640": the relay's own user (systemd's DynamicUser, the image's 10001) is
            // often neither the file's owner nor in its group, and could then not read it at all.
            configuration.warnings.append("\(configuration.inlineSecretPaths.joined(separator: ", ")): written in \(path), which is readable by "
                + "others (mode \(String(info.st_mode & 0o777, radix: 8))); read them from { file: ... } secrets only the relay's user "
                + "may read, or from ${VAR}")
        }
        return configuration
    }

    /// Event loops when the file does not say: one per core, at most 4. On two cores two loops
    /// served as many notifications a second as one or more, mostly with a lower p99 at full
    /// speed (docs/benchmarks.md); more cores are not measured, hence the cap.
    static var defaultEventLoops: Int { min(4, max(1, ProcessInfo.processInfo.activeProcessorCount)) }

    /// Checks configuration text; `file` names it in messages.
    public static func parse(_ data: Data, file: String, environment: [String: String]) throws(ConfigurationError) -> RelayConfiguration {
        let document = try Self.document(data, file: file)
        var reader = ConfigurationReader(environment: environment)
        reader.reportDuplicates(document)
        let configuration = read(document.value, &reader)
        guard reader.problems.isEmpty, var configuration else {
            throw ConfigurationError(file: file, problems: reader.problems)
        }
        // A Matrix homeserver is read like a channel URL, but holds no key.
        configuration.inlineSecretPaths = reader.inlineSecrets.filter { !$0.hasSuffix(".homeserver") }
        return configuration
    }

    private static func read(_ tree: JSONValue, _ reader: inout ConfigurationReader) -> RelayConfiguration? {
        guard let root = reader.object(tree, "", allowed: ["listen", "dataDir", "webhook", "limits", "preservica", "channels", "routes", "catchUp", "shutdownTimeout", "display", "console"]) else {
            if case .object = tree {} else { reader.problem("", "the configuration must be an object") }
            return nil
        }
        var configuration = RelayConfiguration(webhookSecrets: [])
        configuration.limits.eventLoops = Self.defaultEventLoops

        if let listen = reader.string(root["listen"], "listen") {
            if let (host, port) = parseListen(listen) {
                configuration.listenHost = host
                configuration.listenPort = port
            } else {
                reader.problem("listen", "expected host:port such as \"127.0.0.1:8080\", \"[::1]:8080\" or \"0.0.0.0:8080\", found \"\(listen)\"")
            }
        }
        if let dataDir = reader.string(root["dataDir"], "dataDir") {
            if dataDir.isEmpty { reader.problem("dataDir", "expected a directory path") } else { configuration.dataDirectory = dataDir }
        }

        if let webhook = reader.object(root["webhook"], "webhook", allowed: ["path", "secrets"]) {
            if let path = reader.string(webhook["path"], "webhook.path") {
                if let problem = WebhookPath.problem(in: path) {
                    reader.problem("webhook.path", problem)
                } else {
                    configuration.webhookPath = path
                }
            }
            switch webhook["secrets"] {
            case .array(let items) where !items.isEmpty:
                for (index, item) in items.enumerated() {
                    if let secret = reader.secret(item, "webhook.secrets[\(index)]") { configuration.webhookSecrets.append(secret) }
                }
            case .some(let other):
                reader.problem("webhook.secrets", "expected a non-empty array of secrets, found \(other.typeName)")
            case .none:
                break
            }
        }
        if root["webhook"]?.objectValue?["secrets"] == nil {
            // pyPreservica's credentials.properties may hold the webhook secret as secret.key.
            if let fromFile = PreservicaSettings.credentialsFileSecret(root["preservica"], &reader) {
                configuration.webhookSecrets = [fromFile]
            } else if root["webhook"] == nil || root["webhook"]?.objectValue != nil {
                reader.problem("webhook.secrets", "required: at least one webhook secret, e.g. [\"${PRESERVICA_WEBHOOK_SECRET}\"]")
            }
        }

        let limitKeys = ["maxHeaderBytes", "maxBodyBytes", "headerTimeout", "bodyTimeout", "idleTimeout", "maxConnections",
                         "firstByteTimeout", "maxConnectionsPerPeer", "eventLoops"]
        if let limits = reader.object(root["limits"], "limits", allowed: limitKeys) {
            var server = configuration.limits
            if let value = reader.integer(limits["maxHeaderBytes"], "limits.maxHeaderBytes", in: 1024...1_048_576) {
                server.parser.maxHeaderBytes = value
            }
            if let value = reader.integer(limits["maxBodyBytes"], "limits.maxBodyBytes", in: 1024...67_108_864) {
                server.parser.maxBodyBytes = value
            }
            if let value = reader.integer(limits["maxConnections"], "limits.maxConnections", in: 1...100_000) {
                server.maxConnections = value
            }
            if let value = reader.duration(limits["headerTimeout"], "limits.headerTimeout", atLeast: .milliseconds(100)) { server.headerTimeout = value }
            if let value = reader.duration(limits["bodyTimeout"], "limits.bodyTimeout", atLeast: .milliseconds(100)) { server.bodyTimeout = value }
            if let value = reader.duration(limits["idleTimeout"], "limits.idleTimeout", atLeast: .milliseconds(100)) { server.idleTimeout = value }
            if let value = reader.duration(limits["firstByteTimeout"], "limits.firstByteTimeout", atLeast: .milliseconds(100)) { server.firstByteTimeout = value }
            if let value = reader.integer(limits["maxConnectionsPerPeer"], "limits.maxConnectionsPerPeer", in: 0...100_000) {
                server.maxConnectionsPerPeer = value
            }
            if let value = reader.integer(limits["eventLoops"], "limits.eventLoops", in: 1...64) { server.eventLoops = value }
            if server.maxConnectionsPerPeer >= server.maxConnections {
                // Busy connections are never shed, so one address sending heads slowly could hold them all.
                reader.warning("limits.maxConnectionsPerPeer", "\(server.maxConnectionsPerPeer) is not below limits.maxConnections "
                    + "(\(server.maxConnections)): one address can hold every connection; keep it lower, or 0 behind a reverse proxy")
            }
            configuration.limits = server
        }
        configuration.preservica = PreservicaSettings.read(root["preservica"], &reader)
        configuration.channels = ChannelsReader.channels(root["channels"], &reader)
        configuration.routes = ChannelsReader.routes(root["routes"], channels: configuration.channels,
                                                     defined: Set(root["channels"]?.objectValue?.keys ?? []), &reader)
        if let catchUp = reader.object(root["catchUp"], "catchUp", allowed: ["onStart"]), let onStart = catchUp["onStart"] {
            if case .bool(let flag) = onStart { configuration.catchUpOnStart = flag } else {
                reader.problem("catchUp.onStart", "expected true or false")
            }
        }
        if let timeout = reader.duration(root["shutdownTimeout"], "shutdownTimeout", atLeast: .seconds(1)) { configuration.shutdownTimeout = timeout }
        configuration.display = DisplaySettings.read(root["display"], &reader)
        if let console = ConsoleSettings.read(root["console"], &reader) {
            configuration.console = console
            if console.enabled, let host = console.listenHost, let port = console.listenPort, port != 0, port == configuration.listenPort,
               Self.bindsOverlap(host, configuration.listenHost) {
                reader.problem("console.listen", "\(host):\(port) is the relay's own listen address, which serve could not bind twice; "
                    + "leave console.listen out to serve the console there, or give it another port")
            }
            if console.enabled, console.listenHost == nil, let problem = WebhookPath.consoleProblem(in: configuration.webhookPath) {
                reader.problem("webhook.path", problem)
            }
        }
        configuration.warnings = reader.warnings
        return configuration
    }

    /// Where the configuration is looked for when neither `--config` nor `RELAY_CONFIG` says.
    public static let builtInPath = "config/relay.json5"

    /// Whether listeners on `one` and `other`, on one port, would take the same addresses: the same
    /// host (`localhost` is the loopback address), or a wildcard of the other's family (`::` takes
    /// IPv4 as well, as the relay's sockets are dual-stack).
    static func bindsOverlap(_ one: String, _ other: String) -> Bool {
        func normal(_ host: String) -> String { host == "localhost" ? "127.0.0.1" : host.lowercased() }
        let (a, b) = (normal(one), normal(other))
        if a == b || a == "::" || b == "::" { return true }
        let isIPv4 = { (host: String) in !host.contains(":") }
        return (a == "0.0.0.0" && isIPv4(b)) || (b == "0.0.0.0" && isIPv4(a))
    }

    /// Only the Preservica settings of the file at `path` (if it exists), for commands that talk to
    /// Preservica without running the relay; the rest of the file is not checked. The first webhook
    /// secret is read as `serve` reads it (`webhook.secrets[0]`, else `secret.key` of
    /// credentials.properties), with its problems apart: only `subscribe` needs it.
    public static func loadPreservicaSettings(
        path: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigurationError) -> (PreservicaSettings, firstWebhookSecret: Secret?, webhookSecretProblems: [String]) {
        var reader = ConfigurationReader(environment: environment)
        var tree = JSONValue.object(JSONObject())
        // Only the built-in path may be missing (the credentials then come from the environment or
        // credentials.properties): a file named by --config or RELAY_CONFIG that is not there is a typo.
        let data = FileManager.default.contents(atPath: path)
        if data == nil && (path != builtInPath || FileManager.default.fileExists(atPath: path)) {
            // Named but missing, or there but unreadable (permissions, a directory): never an empty file.
            throw ConfigurationError(file: path, problems: ["cannot read the configuration file (does it exist?)"])
        }
        if let data {
            let document = try Self.document(data, file: path)
            reader.reportDuplicates(document)
            tree = document.value
        }
        let root = tree.objectValue ?? JSONObject()
        let settings = PreservicaSettings.read(root["preservica"], &reader)
        var secret: Secret?
        var secrets = ConfigurationReader(environment: environment)
        if case .array(let items) = root["webhook"]?.objectValue?["secrets"], let first = items.first {
            secret = secrets.secret(first, "webhook.secrets[0]")
        } else if root["webhook"]?.objectValue?["secrets"] == nil {
            secret = PreservicaSettings.credentialsFileSecret(root["preservica"], &secrets)
        }
        guard reader.problems.isEmpty, let settings else {
            throw ConfigurationError(file: path, problems: reader.problems.isEmpty
                ? ["no Preservica credentials: set preservica.server, username and password in this file, "
                    + "or PRESERVICA_SERVER, PRESERVICA_USERNAME and PRESERVICA_PASSWORD, or a credentials.properties file"]
                : reader.problems)
        }
        return (settings, secret, secrets.problems)
    }

    /// `host:port`, `[v6]:port`; port 0–65535.
    static func parseListen(_ text: String) -> (String, Int)? {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":"), !text[..<colon].contains(":") else { return nil }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard !host.isEmpty, !portText.isEmpty, portText.allSatisfy({ $0.isASCII && $0.isNumber }), portText.count <= 5,
              let port = Int(portText), port <= 65_535 else { return nil }
        return (String(host), port)
    }

    /// The file's JSON5 tree; a syntax error names its line and column.
    static func document(_ data: Data, file: String) throws(ConfigurationError) -> JSON5Document {
        do {
            return try JSON5Parser.parse(Array(data))
        } catch {
            throw ConfigurationError(file: file, problems: ["not valid JSON5: \(error.message) (line \(error.line), column \(error.column))"])
        }
    }
}
