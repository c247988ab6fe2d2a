import CardTemplates
import ChatTargets
import Foundation
import JSON
import Testing

@Suite("Default templates")
struct DefaultTemplateTests {
    @Test("every target has an asset, a digest, a failure and a folder template that compiles", arguments: ChatTargetKind.allCases)
    func everyTemplateCompiles(target: ChatTargetKind) throws {
        for kind in CardKind.allCases {
            #expect(target.defaultTemplate(for: kind).name.contains(target.templateName(for: kind)))
            _ = try CardTemplate(name: target.templateName(for: kind), text: target.defaultTemplateText(for: kind))
            let onDisk = RepositoryFiles.templates.appendingPathComponent(target.templateName(for: kind) + ".json").path
            _ = try CardTemplate(contentsOfFile: onDisk)
        }
    }

    @Test("templates/ holds exactly one file per target and kind")
    func templateFilesMatchTheTargets() throws {
        let expected = Set(ChatTargetKind.allCases.flatMap { target in CardKind.allCases.map { target.templateName(for: $0) } })
        #expect(Set(try RepositoryFiles.templateTexts().keys) == expected)
        #expect(expected.count == 32)
    }

    @Test("the embedded templates are up to date with templates/ (run scripts/embed-templates.sh)")
    func embeddedTemplatesMatchTheFiles() throws {
        let onDisk = try RepositoryFiles.templateTexts()
        for target in ChatTargetKind.allCases {
            for kind in CardKind.allCases {
                let name = target.templateName(for: kind)
                #expect(target.defaultTemplateText(for: kind) == onDisk[name], "\(name) differs; run scripts/embed-templates.sh")
            }
        }
    }

    @Test("template names are <target>-<kind>")
    func templateNames() {
        #expect(ChatTargetKind.teamsConnector.templateName(for: .digest) == "teams-connector-digest")
        #expect(ChatTargetKind.googleChat.templateName(for: .failure) == "google-chat-failure")
        #expect(ChatTargetKind(rawValue: "google-chat") == .googleChat)
    }
}
