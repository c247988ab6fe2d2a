import Testing
import Foundation
import CardTemplates
import ChatTargets
import JSON
import Relay

/// Template paths the data model does not have are found before a card is sent.
@Suite("Unknown template paths")
struct TemplatePathTests {
    private func unknown(_ text: String) throws -> [String] {
        TemplateModelSample.unknownPaths(in: try CardTemplate(name: "t", text: text)).map(\.description)
    }

    @Test("every default card reads only paths the data model has")
    func defaultsAreClean() {
        for target in ChatTargetKind.allCases {
            for kind in CardKind.allCases {
                let found = TemplateModelSample.unknownPaths(in: target.defaultTemplate(for: kind))
                #expect(found.isEmpty, "\(target.rawValue) \(kind.rawValue): \(found)")
            }
        }
    }

    @Test("a misspelt member is named with its place in the template, inside repeats and through $root too")
    func typosAreFound() throws {
        #expect(try unknown(#"{"body":[{"text":"${asset.titel}"}]}"#) == ["body[0].text: ${asset.titel}"])
        #expect(try unknown(#"{"facts":[{"$data":"${asset.bitstreams}","title":"${filenam}","value":"${$root.event.triggr}"}]}"#)
            == ["facts[0].title: ${filenam}", "facts[0].value: ${$root.event.triggr}"])
        #expect(try unknown(#"{"$data":"${digest.items}","text":"${title} ${parent.titl}","$when":"${count(bitstreams) > 0}"}"#)
            == ["text: ${parent.titl}"])
        #expect(try unknown(#"{"text":"${if(exists(asset.description), asset.descripton, '')}"}"#) == ["text: ${asset.descripton}"])
        #expect(try unknown(#"{"text":"${asset.previous.breadcrum}"}"#) == ["text: ${asset.previous.breadcrum}"])
    }

    @Test("paths the model has, fixity algorithms and computed indexes pass")
    func knownPathsPass() throws {
        #expect(try unknown(#"{"a":"${asset.bitstreams[0].fixity.SHA256}","b":"${event.time.date} ${preservica.version}","c":"${asset.path[$index].title}","d":"${first(asset.identifiers).value}"}"#).isEmpty)
    }
}
