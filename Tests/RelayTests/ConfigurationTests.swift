import Testing
import Foundation
import Relay

@Suite("Configuration")
struct ConfigurationTests {
    private func parse(_ text: String, environment: [String: String] = [:]) throws(ConfigurationError) -> RelayConfiguration {
        try RelayConfiguration.parse(Data(text.utf8), file: "relay.json5", environment: environment)
    }

    @Test("event loops: one per core, at most 4, unless limits.eventLoops says")
    func eventLoopsDefault() throws {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        #expect(try parse(#"{ webhook: { secrets: ["s"] } }"#).limits.eventLoops == min(4, max(1, cores)))
        #expect(try parse(#"{ webhook: { secrets: ["s"] }, limits: { eventLoops: 1 } }"#).limits.eventLoops == 1)
        #expect(try parse(#"{ webhook: { secrets: ["s"] }, limits: { eventLoops: 8 } }"#).limits.eventLoops == 8)
    }

    private func problems(_ text: String, environment: [String: String] = [:]) -> [String] {
        do {
            _ = try parse(text, environment: environment)
            return []
        } catch {
            return error.problems
        }
    }

    @Test("a server URL with a password, and environment values with line breaks or an unclosed ${, are problems that repeat no secret")
    func credentialsInTheWrongPlace() {
        let userinfo = problems(#"{ webhook: { secrets: ["s"] }, preservica: { server: "https://admin:HUNTER2pw@eu.preservica.com/?k=QK", username: "u", password: "p" } }"#)
        #expect(userinfo.contains { $0.hasPrefix("preservica.server:") }, "\(userinfo)")
        #expect(!userinfo.joined().contains("HUNTER2pw"))
        let environment = ["URL_CRLF": "https://hooks.slack.com/services/T/B/KEY\r\n", "SECRET_TAB": "abc\tdef"]
        let trailing = try? parse(#"{ webhook: { secrets: ["s"] }, channels: { c: { type: "slack", url: "${URL_CRLF}" } } }"#, environment: environment)
        #expect(trailing?.channels.first?.url.reveal == "https://hooks.slack.com/services/T/B/KEY",
                "a line end at the end is no part of it: \(problems(#"{ webhook: { secrets: ["s"] }, channels: { c: { type: "slack", url: "${URL_CRLF}" } } }"#, environment: environment))")
        let inside = problems(#"{ webhook: { secrets: ["${SECRET_TAB}"] } }"#, environment: environment)
        #expect(inside.contains { $0.hasPrefix("webhook.secrets[0]:") && $0.contains("control character") }, "\(inside)")
        #expect(!inside.joined().contains("abc"))
        // A secret file written on Windows ends in CRLF, which Swift reads as one character.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("secret-\(UUID().uuidString)").path
        _ = FileManager.default.createFile(atPath: file, contents: Data("whsec_abc\r\n".utf8), attributes: [.posixPermissions: 0o600])
        defer { try? FileManager.default.removeItem(atPath: file) }
        #expect((try? parse(#"{ webhook: { secrets: [{ file: "\#(file)" }] } }"#))?.webhookSecrets.first?.reveal == "whsec_abc")
        let unclosed = problems(#"{ webhook: { secrets: ["${SECRET"] } }"#)
        #expect(unclosed.contains { $0.contains("closing") }, "\(unclosed)")
    }

    @Test("mistakes that used to crash, match nothing, match everything or print a secret are problems that say what to write")
    func mistakesAreProblems() throws {
        // An empty proxy (an unset variable) used to crash check-config, the start and a reload.
        for proxy in ["", "/", "10.0.0.5/"] {
            let found = problems(#"{ webhook: { secrets: ["s"] }, console: { trustedProxies: ["\#(proxy)"] } }"#)
            #expect(found.contains { $0.hasPrefix("console.trustedProxies[0]:") }, "\(proxy): \(found)")
        }
        let channel = #"channels: { c: { type: "slack", url: "https://hooks.slack.com/services/T/B/k" } }"#
        // [] read as every trigger; a folder that is no reference matched nothing.
        let routes = problems(#"{ webhook: { secrets: ["s"] }, \#(channel), routes: [ { triggers: [], channels: ["c"] }, "#
            + #"{ folder: "Reading Room", channels: ["c"] }, { folder: "", channels: ["c"] } ] }"#)
        #expect(routes.contains { $0.hasPrefix("routes[0].triggers:") }, "\(routes)")
        #expect(routes.contains { $0.hasPrefix("routes[1].folder:") } && routes.contains { $0.hasPrefix("routes[2].folder:") }, "\(routes)")
        // Braces for brackets: the key is an inline secret, and the message does not repeat it.
        let syntax = problems(#"{ webhook: { secrets: { "s3cr3t-value-1" } } }"#)
        #expect(!syntax.isEmpty && !syntax.joined().contains("s3cr3t"), "\(syntax)")
        // A "${" in a password that names no variable is not repeated; a number out of range says the range.
        let dollar = problems(#"{ webhook: { secrets: ["Ab${9z}Q"] } }"#)
        #expect(dollar.contains { $0.hasPrefix("webhook.secrets[0]:") } && !dollar.joined().contains("9z"), "\(dollar)")
        let huge = problems(#"{ webhook: { secrets: ["s"] }, preservica: { server: "https://x.example", username: "u", password: "p", retries: 1e16 } }"#)
        #expect(huge.contains { $0.hasPrefix("preservica.retries:") && $0.contains("0 to 10") }, "\(huge)")
        let matrix = problems(#"{ webhook: { secrets: ["s"] }, channels: { m: { type: "matrix", homeserver: "https://m.example", "#
            + #"url: "https://m.example", room: "!r:m.example", token: "t" } } }"#)
        #expect(matrix.contains { $0.hasPrefix("channels.m.url:") }, "\(matrix)")
        // The credentials file's name may come from the environment, as any string may.
        let credentials = problems(#"{ webhook: { secrets: ["s"] }, preservica: { credentialsFile: "${NOWHERE}/c.properties" } }"#,
                                   environment: ["NOWHERE": "/nonexistent-dir"])
        #expect(credentials.contains { $0.contains("/nonexistent-dir/c.properties") }, "\(credentials)")
        // An empty user name is as missing as none.
        let user = problems(#"{ webhook: { secrets: ["s"] }, preservica: { server: "https://eu.preservica.com", username: "", password: "p" } }"#)
        #expect(user.contains { $0.hasPrefix("preservica:") && $0.contains("username") }, "\(user)")
        // A secret file as a Windows editor may save it: a byte-order mark is no part of it; UTF-16,
        // an inner line break or bytes that are not UTF-8 are problems naming the file, not the secret.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("secrets-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        func secretFile(_ name: String, _ bytes: [UInt8]) -> String {
            let path = directory + "/" + name
            _ = FileManager.default.createFile(atPath: path, contents: Data(bytes), attributes: [.posixPermissions: 0o600])
            return #"{ webhook: { secrets: [{ file: "\#(path)" }] } }"#
        }
        #expect((try? parse(secretFile("bom", [0xEF, 0xBB, 0xBF] + Array("whsec_abc\n".utf8))))?.webhookSecrets.first?.reveal == "whsec_abc")
        let utf16: [UInt8] = [0xFF, 0xFE, 0x61, 0, 0x62, 0, 0x63, 0]
        let cases: [(String, [UInt8])] = [("utf16", utf16), ("two-lines", Array("abc\ndef\n".utf8)), ("latin1", [0x61, 0x62, 0x63, 0xE9])]
        for (name, bytes) in cases {
            let found = problems(secretFile(name, bytes))
            #expect(found.contains { $0.hasPrefix("webhook.secrets[0].file:") && $0.contains(name) }, "\(name): \(found)")
            #expect(!found.joined().contains("abc") && !found.joined().contains("def"), "\(found)")
        }
    }

    @Test("route entity types are IO, SO or CO; a rate limit is 0.01 to 1000 a second; keys of another channel type are warned about")
    func channelAndRouteValues() throws {
        let found = problems("""
        { webhook: { secrets: ["s"] }, channels: { c: { type: "slack", url: "https://hooks.slack.com/services/T/B/k", rateLimit: 1e-300 } },
          routes: [ { entityTypes: ["io", "Folder"], channels: ["c"] }, { entityTypes: [], channels: ["c"] } ] }
        """)
        #expect(found.contains { $0.hasPrefix("channels.c.rateLimit:") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("routes[0].entityTypes[0]:") } && found.contains { $0.hasPrefix("routes[0].entityTypes[1]:") })
        #expect(found.contains { $0.hasPrefix("routes[1].entityTypes:") })
        let configuration = try parse("""
        { webhook: { secrets: ["s"] }, channels: { c: { type: "slack", url: "https://hooks.slack.com/services/T/B/k", room: "!r:x", secret: "whsec_x" } },
          routes: [ { channels: ["c"] } ] }
        """)
        #expect(configuration.warnings.contains { $0.hasPrefix("channels.c.room:") && $0.contains("ignored") }, "\(configuration.warnings)")
        #expect(configuration.warnings.contains { $0.hasPrefix("channels.c.secret:") })
        let nothing = try parse("""
        { webhook: { secrets: ["s"] }, channels: { c: { type: "slack", url: "https://hooks.slack.com/services/T/B/k", securityTags: { allow: [] } },
                                                   r: { type: "slack", url: "https://hooks.slack.com/services/T/B/r", securityTags: { allow: [], redact: true } } },
          routes: [ { channels: ["c", "r"] } ] }
        """)
        #expect(nothing.warnings.filter { $0.contains("allows no tag") }.map { String($0.prefix(26)) } == ["channels.c.securityTags.al"],
                "\(nothing.warnings)")
    }

    @Test("a configuration file readable by others that holds secrets inline is warned about; one read from the environment is not")
    func inlineSecretsInAnOpenFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("relay-\(UUID().uuidString).json5").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try #"{ webhook: { secrets: ["inline-secret-123"] } }"#.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        let open = try RelayConfiguration.load(path: path, environment: [:])
        #expect(open.warnings.contains { $0.hasPrefix("webhook.secrets[0]: written in") && $0.contains("{ file: ... }") }, "\(open.warnings)")
        #expect(!open.warnings.joined().contains("inline-secret-123"))
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: path)
        #expect(try RelayConfiguration.load(path: path, environment: [:]).warnings.isEmpty)
        try #"{ webhook: { secrets: ["${RELAY_SECRET}"] } }"#.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        #expect(try RelayConfiguration.load(path: path, environment: ["RELAY_SECRET": "s"]).warnings.isEmpty)
    }

    @Test("the documented example reads, with comments, unquoted keys and trailing commas")
    func documentedExample() throws {
        let configuration = try parse("""
        {
          listen: "[::1]:8443",            // IPv6 works
          dataDir: "/var/lib/relay",
          webhook: { path: "/hooks/preservica", secrets: ["${SECRET}", "older"], },
          limits: { maxHeaderBytes: 8192, maxBodyBytes: 2097152, headerTimeout: "5s",
                    bodyTimeout: "1m", idleTimeout: "250ms", maxConnections: 64,
                    firstByteTimeout: "1500ms", maxConnectionsPerPeer: 0 },
        }
        """, environment: ["SECRET": "from-env"])
        #expect(configuration.listenHost == "::1")
        #expect(configuration.listenPort == 8443)
        #expect(configuration.dataDirectory == "/var/lib/relay")
        #expect(configuration.webhookPath == "/hooks/preservica")
        #expect(configuration.webhookSecrets.map(\.reveal) == ["from-env", "older"])
        #expect(configuration.limits.parser.maxHeaderBytes == 8192)
        #expect(configuration.limits.parser.maxBodyBytes == 2_097_152)
        #expect(configuration.limits.headerTimeout == .seconds(5))
        #expect(configuration.limits.bodyTimeout == .seconds(60))
        #expect(configuration.limits.idleTimeout == .milliseconds(250))
        #expect(configuration.limits.maxConnections == 64)
        #expect(configuration.limits.firstByteTimeout == .milliseconds(1500))
        #expect(configuration.limits.maxConnectionsPerPeer == 0)
    }

    @Test("the shipped config/relay.json5 reads when its variable is set")
    func shippedConfig() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let configuration = try RelayConfiguration.load(path: root.path + "/config/relay.json5",
                                                        environment: ["PRESERVICA_WEBHOOK_SECRET": "s3cret"])
        #expect(configuration.listenPort == 8080)
        #expect(configuration.webhookSecrets.first?.reveal == "s3cret")
    }

    @Test("a secret can come from a file, without its trailing newline")
    func fileSecret() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("secret-\(UUID())").path
        try "from-file\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let configuration = try parse(#"{ webhook: { secrets: [{ file: "\#(path)" }] } }"#)
        #expect(configuration.webhookSecrets.first?.reveal == "from-file")
    }

    /// Past what whole milliseconds hold, converting the number would trap: a clear error instead.
    @Test("a duration longer than a century is a problem in the file, not a crash")
    func absurdDuration() {
        let found = problems("""
        { webhook: { secrets: ["x"] }, shutdownTimeout: "99999999999999999999d", limits: { idleTimeout: "1e400s" } }
        """)
        #expect(found.contains { $0.hasPrefix("shutdownTimeout: expected a duration") })
        #expect(found.contains { $0.hasPrefix("limits.idleTimeout: expected a duration") })
        #expect(DurationText.parse("36500d") == .seconds(36_500 * 86_400))
        #expect(DurationText.parse("36600d") == nil)
    }

    @Test("every problem gets its own line with its JSON path")
    func manyProblems() {
        let found = problems("""
        { listen: "localhost", dataDir: 5, colour: "blue",
          webhook: { path: "webhook", secret: ["x"] },
          limits: { maxBodyBytes: "big", headerTimeout: "10", idleTimeout: "5 minutes", maxConnections: 0 } }
        """)
        #expect(found.contains { $0.hasPrefix("listen: expected host:port") })
        #expect(found.contains { $0.hasPrefix("dataDir: expected a string, found a number") })
        #expect(found.contains { $0.hasPrefix("colour: unknown key") })
        #expect(found.contains { $0.hasPrefix("webhook.path: expected a path starting with \"/\"") })
        #expect(found.contains { $0.hasPrefix("webhook.secret: unknown key") && $0.contains("did you mean \"secrets\"") })
        #expect(found.contains { $0.hasPrefix("webhook.secrets: required") })
        #expect(found.contains { $0.hasPrefix("limits.maxBodyBytes: expected a whole number from ") && $0.hasSuffix("found a string") })
        #expect(found.contains { $0.hasPrefix("limits.headerTimeout: expected a duration") })
        #expect(found.contains { $0.hasPrefix("limits.idleTimeout: expected a duration") })
        #expect(found.contains { $0.hasPrefix("limits.maxConnections: expected a number from 1") })
        #expect(found.count == 10)
    }

    @Test("a missing environment variable or secret file is named")
    func missingSources() {
        let found = problems(#"{ webhook: { secrets: ["${NOT_SET_ANYWHERE}", { file: "/nonexistent/secret" }] } }"#)
        #expect(found == [
            "webhook.secrets[0]: environment variable NOT_SET_ANYWHERE is not set",
            "webhook.secrets[1].file: cannot read secret file /nonexistent/secret",
        ])
    }

    @Test("a JSON5 syntax error says so")
    func syntaxError() {
        let found = problems("{ listen: ")
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("not valid JSON5") == true)
    }

    @Test("a JSON5 syntax error names its line and column")
    func syntaxErrorPosition() {
        let found = problems("""
        {
          listen: "127.0.0.1:8080",
          webhook: { secrets: ["s"] }
          dataDir: "data",
        }
        """)
        #expect(found == ["not valid JSON5: expected ',' or '}' after the value of \"webhook\" (line 4, column 3)"])
    }

    @Test("a per-peer cap that is not below maxConnections gets a warning")
    func perPeerCapWarning() throws {
        let equal = try parse(#"{ webhook: { secrets: ["s"] }, limits: { maxConnections: 64 } }"#)
        #expect(equal.warnings == ["limits.maxConnectionsPerPeer: 64 is not below limits.maxConnections (64): one address can hold "
            + "every connection; keep it lower, or 0 behind a reverse proxy"])
        #expect(try parse(#"{ webhook: { secrets: ["s"] }, limits: { maxConnections: 64, maxConnectionsPerPeer: 16 } }"#).warnings.isEmpty)
        #expect(try parse(#"{ webhook: { secrets: ["s"] }, limits: { maxConnectionsPerPeer: 0 } }"#).warnings.isEmpty)
    }

    @Test("a duplicate key is refused with its path, wherever it is")
    func duplicateKeys() {
        let found = problems("""
        { webhook: { secrets: ["s"], path: "/a", path: "/b" },
          limits: { maxConnections: 10 },
          limits: { maxConnections: 20 } }
        """)
        #expect(found.contains("webhook.path: duplicate key (again at line 1, column 42); give each key once"))
        #expect(found.contains("limits: duplicate key (again at line 3, column 3); give each key once"))
        #expect(found.count == 2)
    }

    @Test("a secret file readable by group or others gets a warning; one readable by its owner only does not")
    func secretFilePermissions() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("secret-\(UUID())").path
        try "from-file\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let text = #"{ webhook: { secrets: [{ file: "\#(path)" }] } }"#
        for (mode, warned) in [(0o644, "others"), (0o640, "its group"), (0o600, nil), (0o400, nil)] {
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
            let configuration = try parse(text)
            #expect(configuration.webhookSecrets.first?.reveal == "from-file")
            if let warned {
                #expect(configuration.warnings == ["webhook.secrets[0].file: secret file \(path) is readable by \(warned) "
                    + "(mode \(String(mode, radix: 8))); make it readable by its owner only: chmod 600 \(path)"])
            } else {
                #expect(configuration.warnings.isEmpty)
            }
            #expect(!configuration.warnings.joined().contains("from-file"))
        }
    }

    @Test("a webhook path no request can carry says what is wrong", arguments: [
        ("/web hook", #"webhook.path: "/web hook" contains a space, which no HTTP request path can hold"#, #"(e.g. "/web-hook")"#),
        ("/hooks/é", #"contains "é", which no HTTP request path can hold"#, "percent-encode it"),
        ("webhook", #"expected a path starting with "/""#, #"found "webhook""#),
        ("/webhook?x=1", "has a query or fragment", "challengeCode"),
        ("/a//b", #"has an empty segment ("//")"#, #""/a/b""#),
    ])
    func webhookPath(path: String, first: String, second: String) {
        let found = problems(#"{ webhook: { path: "\#(path)", secrets: ["s"] } }"#)
        #expect(found.count == 1)
        #expect(found.first?.contains(first) == true, "\(found)")
        #expect(found.first?.contains(second) == true, "\(found)")
    }

    @Test("a webhook path under /console is refused while the console answers it on the same listener")
    func webhookPathUnderConsole() {
        for path in ["/console", "/console/hook"] {
            let found = problems(#"{ webhook: { path: "\#(path)", secrets: ["s"] }, console: { enabled: true } }"#)
            #expect(found.count == 1 && found.first?.contains("the console's") == true, "\(found)")
            #expect(problems(#"{ webhook: { path: "\#(path)", secrets: ["s"] } }"#).isEmpty, "no console")
            #expect(problems(#"{ webhook: { path: "\#(path)", secrets: ["s"] }, console: { enabled: true, listen: "127.0.0.1:8091" } }"#).isEmpty,
                    "a console on its own listener")
        }
        #expect(problems(#"{ webhook: { path: "/consoles", secrets: ["s"] }, console: { enabled: true } }"#).isEmpty)
    }

    @Test("console.listen on the relay's own port is refused, where serve would fail to bind; another port or host is not")
    func consoleListenClash() {
        let clash = problems(#"{ listen: "127.0.0.1:8090", webhook: { secrets: ["s"] }, console: { enabled: true, listen: "127.0.0.1:8090" } }"#)
        #expect(clash.count == 1 && clash.first?.hasPrefix("console.listen:") == true, "\(clash)")
        let wildcard = problems(#"{ listen: "0.0.0.0:8090", webhook: { secrets: ["s"] }, console: { enabled: true, listen: "127.0.0.1:8090" } }"#)
        #expect(wildcard.count == 1, "\(wildcard)")
        #expect(problems(#"{ listen: "127.0.0.1:8090", webhook: { secrets: ["s"] }, console: { enabled: true, listen: "127.0.0.1:8091" } }"#).isEmpty)
        #expect(problems(#"{ listen: "127.0.0.1:8090", webhook: { secrets: ["s"] }, console: { enabled: true, listen: "127.0.0.2:8090" } }"#).isEmpty)
        #expect(problems(#"{ listen: "localhost:8090", webhook: { secrets: ["s"] }, console: { enabled: true, listen: "127.0.0.1:8090" } }"#).count == 1)
        #expect(problems(#"{ listen: "[::]:8090", webhook: { secrets: ["s"] }, console: { enabled: true, listen: "127.0.0.1:8090" } }"#).count == 1)
        #expect(problems(#"{ listen: "0.0.0.0:8090", webhook: { secrets: ["s"] }, console: { enabled: true, listen: "[::1]:8090" } }"#).isEmpty,
                "another address family")
    }

    @Test("plain http to another machine is warned about for a channel, a Matrix homeserver and Preservica; https and loopback are not")
    func cleartextURLs() throws {
        let configuration = try parse("""
        { webhook: { secrets: ["s"] },
          preservica: { server: "http://preservica.example.org", username: "u", password: "p" },
          channels: { c: { type: "slack", url: "http://hooks.slack.com/services/T/B/k" },
                      m: { type: "matrix", homeserver: "http://matrix.example.org", room: "!r:x", token: "t" },
                      local: { type: "webhook", url: "http://127.0.0.1:9000/hook" },
                      safe: { type: "mattermost", url: "https://chat.example.org/hooks/abc" } },
          routes: [ { channels: ["c", "m", "local", "safe"] } ] }
        """)
        let warned = configuration.warnings.filter { $0.contains("clear text") }
        #expect(warned.count == 3, "\(configuration.warnings)")
        #expect(warned.contains { $0.hasPrefix("channels.c.url:") } && warned.contains { $0.hasPrefix("channels.m.homeserver:") }
                && warned.contains { $0.hasPrefix("preservica.server:") })
        #expect(!configuration.warnings.joined().contains("services/T/B/k"))
    }

    @Test("a PRESERVICA_* variable read without ${} loses a line end at its end, as one written ${} does; one inside is a problem")
    func environmentLineEnds() throws {
        let configuration = try parse(#"{ webhook: { secrets: ["s"] } }"#, environment: [
            "PRESERVICA_SERVER": "http://127.0.0.1:9000\r\n", "PRESERVICA_USERNAME": "admin\n", "PRESERVICA_PASSWORD": "simpass123\r",
        ])
        #expect(configuration.preservica?.credentials.server == "http://127.0.0.1:9000")
        #expect(configuration.preservica?.credentials.username == "admin")
        #expect(configuration.preservica?.credentials.password == "simpass123")
        let found = problems(#"{ webhook: { secrets: ["s"] } }"#, environment: [
            "PRESERVICA_SERVER": "http://127.0.0.1:9000", "PRESERVICA_USERNAME": "admin", "PRESERVICA_PASSWORD": "sim\tpass",
        ])
        #expect(found.contains { $0.contains("PRESERVICA_PASSWORD") && $0.contains("control character") }, "\(found)")
        #expect(!found.joined().contains("sim"))
    }

    @Test("a webhook channel's secret must decode to a 24- to 64-byte key, or the channel would post unsigned")
    func standardWebhookSecret() {
        func secretProblems(_ secret: String) -> [String] {
            problems(#"{ webhook: { secrets: ["s"] }, channels: { w: { type: "webhook", url: "https://example.org/hook", secret: "\#(secret)" } } }"#)
        }
        let valid = [24, 32, 64].map { "whsec_" + Data(repeating: 9, count: $0).base64EncodedString() }
        for secret in valid + ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"] {
            #expect(secretProblems(secret).isEmpty, "\(secret)")
        }
        let invalid = ["whsec_abc-def_ghi", "whsec_", "whsec_" + Data(repeating: 9, count: 16).base64EncodedString(),
                       "whsec_" + Data(repeating: 9, count: 65).base64EncodedString(), "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"]
        for secret in invalid {
            let found = secretProblems(secret)
            #expect(found.count == 1 && found[0].contains("channels.w.secret") && found[0].contains("24 to 64"), "\(secret): \(found)")
            #expect(!found.joined().contains(secret.dropFirst(6)), "the problem repeats the secret")
        }
    }

    @Test("a Matrix room is its ID, never an alias, which the send endpoint does not take")
    func matrixRoomID() {
        func roomProblems(_ room: String) -> [String] {
            problems(#"{ webhook: { secrets: ["s"] }, channels: { m: { type: "matrix", homeserver: "https://matrix.example.org", room: "\#(room)", token: "t" } } }"#)
        }
        #expect(roomProblems("!abc:example.org").isEmpty)
        let alias = roomProblems("#curators:example.org")
        #expect(alias.count == 1 && alias[0].contains("channels.m.room") && alias[0].contains("Internal room ID"), "\(alias)")
    }

    @Test("an error message never contains a secret's value")
    func errorsHideSecrets() {
        let found = problems(#"{ listen: 7, webhook: { secrets: ["${S}"] } }"#, environment: ["S": "hunter2"])
        #expect(!found.joined().contains("hunter2"))
        #expect("\(Secret("hunter2"))" == "‹redacted›")
    }

    @Test("durations", arguments: [("250ms", 250), ("10s", 10_000), ("5m", 300_000), ("24h", 86_400_000), ("1h30m", 5_400_000), ("1.5s", 1500)])
    func durations(text: String, milliseconds: Int64) {
        #expect(DurationText.parse(text) == .milliseconds(milliseconds))
    }

    @Test("a secret that cannot be read is one problem, not also a missing password or a route's unknown channel")
    func noFollowOnProblems() {
        let found = problems("""
        { webhook: { secrets: ["s"] },
          preservica: { server: "https://p.example.org", username: "u", password: "${UNSET_PASSWORD}" },
          channels: { curators: { type: "slack", url: "${UNSET_URL}" } },
          routes: [ { channels: ["curators"] } ] }
        """)
        #expect(found.count == 2, "\(found)")
        #expect(found.contains { $0.hasPrefix("preservica.password:") && $0.contains("UNSET_PASSWORD") })
        #expect(found.contains { $0.hasPrefix("channels.curators.url:") && $0.contains("UNSET_URL") })
        #expect(problems(#"{ webhook: { secrets: ["s"] }, routes: [ { channels: ["nobody"] } ] }"#).contains { $0.contains("no channel named") })
    }

    @Test("durations too short to work are problems that say the least")
    func tooShortDurations() {
        let found = problems("""
        { webhook: { secrets: ["s"] }, shutdownTimeout: "1ms", limits: { headerTimeout: "1ms" },
          preservica: { server: "https://p.example.org", username: "u", password: "p", timeout: "500ms" },
          channels: { c: { type: "slack", url: "https://hooks.slack.com/services/T/B/k", maxAge: "1ms" } },
          routes: [ { channels: ["c"] } ] }
        """)
        #expect(found.count == 4, "\(found)")
        for path in ["shutdownTimeout: at least 1s", "limits.headerTimeout: at least 100ms", "preservica.timeout: at least 1s",
                     "channels.c.maxAge: at least 1m"] {
            #expect(found.contains { $0.hasPrefix(path) }, "\(path) in \(found)")
        }
    }

    @Test("bad durations", arguments: ["", "10", "s", "10 s", "-1s", "1y", "1s2"])
    func badDurations(text: String) {
        #expect(DurationText.parse(text) == nil)
    }

    @Test("listen addresses", arguments: [("127.0.0.1:8080", "127.0.0.1", 8080), ("[::1]:8080", "::1", 8080), ("0.0.0.0:80", "0.0.0.0", 80)])
    func listen(text: String, host: String, port: Int) throws {
        let configuration = try parse(#"{ listen: "\#(text)", webhook: { secrets: ["s"] } }"#)
        #expect(configuration.listenHost == host)
        #expect(configuration.listenPort == port)
    }
}

@Suite("Configuration: the preservica block")
struct PreservicaConfigurationTests {
    private func parse(_ text: String, environment: [String: String] = [:]) throws(ConfigurationError) -> RelayConfiguration {
        try RelayConfiguration.parse(Data(text.utf8), file: "relay.json5", environment: environment)
    }

    @Test("the block, with a password from a file")
    func block() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pw-\(UUID())").path
        try "pa55\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let configuration = try parse(#"""
        { webhook: { secrets: ["s"] },
          preservica: { server: "eu.preservica.com", username: "${U}", password: { file: "\#(path)" }, tenant: "ARCHIVE",
                        maxConcurrentRequests: 4, timeout: "20s", retries: 2 } }
        """#, environment: ["U": "bot"])
        let settings = try #require(configuration.preservica)
        #expect(settings.credentials.server == "eu.preservica.com")
        #expect(settings.credentials.username == "bot")
        #expect(settings.credentials.password == "pa55")
        #expect(settings.credentials.tenant == "ARCHIVE")
        #expect(settings.maxConcurrentRequests == 4)
        #expect(settings.timeout == .seconds(20))
        #expect(settings.retries == 2)
    }

    @Test("without the block, PRESERVICA_* variables are used, as pyPreservica does")
    func environment() throws {
        let configuration = try parse(#"{ webhook: { secrets: ["s"] } }"#, environment: [
            "PRESERVICA_SERVER": "http://127.0.0.1:9000", "PRESERVICA_USERNAME": "admin", "PRESERVICA_PASSWORD": "pw",
        ])
        #expect(configuration.preservica?.credentials.server == "http://127.0.0.1:9000")
        #expect(configuration.preservica?.credentials.tenant == nil)
    }

    @Test("maxContentObjects: 200 by default, 1 to 100,000 when given")
    func maxContentObjects() throws {
        let block = #"server: "https://eu.preservica.com", username: "u", password: "p""#
        #expect(try parse(#"{ webhook: { secrets: ["s"] }, preservica: { \#(block) } }"#).preservica?.maxContentObjects == 200)
        #expect(try parse(#"{ webhook: { secrets: ["s"] }, preservica: { \#(block), maxContentObjects: 5000 } }"#).preservica?.maxContentObjects == 5000)
        #expect(throws: ConfigurationError.self) { try parse(#"{ webhook: { secrets: ["s"] }, preservica: { \#(block), maxContentObjects: 0 } }"#) }
        do {
            _ = try parse(#"{ webhook: { secrets: ["s"] }, preservica: { \#(block), maxContentObjects: 0 } }"#)
        } catch {
            #expect(error.problems.count == 1 && error.problems[0].contains("preservica.maxContentObjects"), "\(error.problems)")
        }
    }

    @Test("a credentials.properties file fills the gaps, and its secret.key can be the webhook secret")
    func credentialsFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("credentials-\(UUID()).properties").path
        try "[credentials]\nusername=filed\npassword=pw\nserver=eu.preservica.com\nsecret.key=from-file\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let configuration = try parse(#"{ preservica: { credentialsFile: "\#(path)", tenant: "T" } }"#)
        #expect(configuration.preservica?.credentials.username == "filed")
        #expect(configuration.preservica?.credentials.tenant == "T")
        #expect(configuration.webhookSecrets.map(\.reveal) == ["from-file"])
        // It holds a password: readable by others it is warned about, as a secret file is.
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        let open = try parse(#"{ preservica: { credentialsFile: "\#(path)", tenant: "T" } }"#)
        #expect(open.warnings.contains { $0.hasPrefix("preservica.credentialsFile:") && $0.contains("chmod 600") }, "\(open.warnings)")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        #expect(try parse(#"{ preservica: { credentialsFile: "\#(path)", tenant: "T" } }"#).warnings.isEmpty)
    }

    @Test("holdFor: one hour by default, a duration when given, at most seven days")
    func holdFor() throws {
        let base = #"webhook: { secrets: ["s"] }, preservica: { server: "eu.preservica.com", username: "u", password: "p""#
        #expect(try parse("{ \(base) } }").preservica?.hold.holdFor == .seconds(3600))
        #expect(try parse("{ \(base), holdFor: \"15m\" } }").preservica?.hold.holdFor == .seconds(900))
        do {
            _ = try parse("{ \(base), holdFor: \"8d\" } }")
            Issue.record("expected a problem")
        } catch {
            #expect(error.problems == ["preservica.holdFor: at most 7d"])
        }
    }

    @Test("no credentials anywhere means no enrichment, not an error")
    func none() throws {
        #expect(try parse(#"{ webhook: { secrets: ["s"] } }"#).preservica == nil)
    }

    @Test("half the credentials is a problem that names what is missing")
    func partial() {
        do {
            _ = try parse(#"{ webhook: { secrets: ["s"] }, preservica: { server: "eu.preservica.com" } }"#)
            Issue.record("expected a problem")
        } catch {
            #expect(error.problems == ["preservica: missing username, password: set it here, in PRESERVICA_USERNAME or in credentials.properties"])
        }
    }
}
