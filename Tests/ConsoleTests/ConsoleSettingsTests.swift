import Foundation
import Relay
import Testing

extension ConsoleSuite {
    @Suite("Console settings")
    struct ConsoleSettingsTests {
        private func parse(_ text: String) throws(ConfigurationError) -> RelayConfiguration {
            try RelayConfiguration.parse(Data(("{webhook: {secrets: [\"s\"]}, " + text + "}").utf8), file: "relay.json5", environment: [:])
        }

        @Test("the console is off unless enabled, with the documented defaults")
        func defaults() throws {
            let settings = try parse("").console
            #expect(settings.enabled == false)
            #expect(settings.roles == ["ROLE_SDB_MANAGER_USER"])
            #expect(settings.adminRoles == ["ROLE_SDB_ADMIN_USER"])
            #expect(settings.allowInsecureHTTP == false)
            #expect(settings.listenHost == nil)
            let shipped = try RelayConfiguration.load(path: "config/relay.json5", environment: ["PRESERVICA_WEBHOOK_SECRET": "s"])
            #expect(shipped.console.enabled == false)
        }

        @Test("every console key is read, and mistakes name their path")
        func keys() throws {
            let settings = try parse(#"console: {enabled: true, listen: "127.0.0.1:8081", roles: ["A"], adminRoles: ["B"], "#
                + #"allowInsecureHTTP: true, idleTimeout: "5m", sessionLifetime: "1h", browseSecurityTags: ["open", "public"], "#
                + #"maxChannelsPerCurator: 5}"#).console
            #expect(settings.enabled && settings.allowInsecureHTTP)
            #expect(settings.listenHost == "127.0.0.1" && settings.listenPort == 8081)
            #expect(settings.roles == ["A"] && settings.adminRoles == ["B"])
            #expect(settings.idleTimeout == .seconds(300) && settings.sessionLifetime == .seconds(3600))
            #expect(settings.browseSecurityTags == ["open", "public"])
            #expect(settings.maxChannelsPerCurator == 5)
            #expect(try parse("").console.maxChannelsPerCurator == 20)
            #expect(throws: ConfigurationError.self) { try parse(#"console: {enabled: "yes"}"#) }
            #expect(throws: ConfigurationError.self) { try parse(#"console: {maxChannelsPerCurator: 0}"#) }
            do {
                _ = try parse(#"console: {enabeld: true, listen: "nowhere", roles: []}"#)
                Issue.record("accepted a bad console block")
            } catch {
                let text = error.problems.joined(separator: "\n")
                #expect(text.contains("console.enabeld") && text.contains("did you mean \"enabled\""))
                #expect(text.contains("console.listen"))
                #expect(text.contains("console.roles"))
            }
        }
    }
}
