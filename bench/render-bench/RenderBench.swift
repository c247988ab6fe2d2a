import Foundation
import CardTemplates
import JSON
import Preservica
import Relay

/// Renders one card template over a realistic asset model (5 bitstreams) as many times as it can
/// for a few seconds on one thread, and prints renders per second, with and without turning the
/// result into JSON bytes.
///
///     render-bench --template templates/teams-asset.json [--seconds 3]
@main
struct RenderBench {
    static func main() throws {
        var arguments = Array(CommandLine.arguments.dropFirst())
        var templatePath = "templates/teams-asset.json"
        var seconds = 3.0
        while !arguments.isEmpty {
            let name = arguments.removeFirst()
            guard !arguments.isEmpty else { break }
            let value = arguments.removeFirst()
            if name == "--template" { templatePath = value }
            if name == "--seconds" { seconds = Double(value) ?? seconds }
        }
        let template = try CardTemplate(contentsOfFile: templatePath)
        let model = sampleModel()
        let bytes = JSONWriter.bytes(template.render(model)).count

        let renderOnly = measure(seconds: seconds) { _ = template.render(model) }
        let withBytes = measure(seconds: seconds) { _ = JSONWriter.bytes(template.render(model)) }
        print(String(format: "template=%@ payload_bytes=%d renders_per_s=%.0f renders_with_json_per_s=%.0f",
                     (templatePath as NSString).lastPathComponent, bytes, renderOnly, withBytes))
    }

    private static func measure(seconds: Double, _ body: () -> Void) -> Double {
        for _ in 0..<200 { body() }
        let clock = ContinuousClock()
        let start = clock.now
        var count = 0
        while true {
            for _ in 0..<100 { body() }
            count += 100
            let elapsed = clock.now - start
            let total = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            if total >= seconds { return Double(count) / total }
        }
    }

    private static func sampleModel() -> JSONValue {
        let ref = "7fdea7e0-1e72-4fb1-aadb-d7f9ee6ed8c2"
        let folders = [
            FolderEntity(ref: "3b6f1a52-8d4e-4c1a-9f0e-2a7d5c1e0b01", title: "Collections", description: nil, securityTag: "open", parentRef: nil),
            FolderEntity(ref: "3b6f1a52-8d4e-4c1a-9f0e-2a7d5c1e0b02", title: "Letters & Correspondence", description: nil,
                         securityTag: "open", parentRef: "3b6f1a52-8d4e-4c1a-9f0e-2a7d5c1e0b01"),
        ]
        let bitstreams = (1...5).map { index in
            BitstreamInfo(filename: "minutes-1921-page-\(index).tif", size: Int64(52_428_800 + index * 1_000),
                          fixity: [FixityValue(algorithm: "SHA256", value: String(repeating: "ab", count: 32))],
                          representation: "Preservation", representationName: nil, contentObjectRef: "co-\(index)", generation: 1, original: true)
        }
        let asset = EnrichedAsset(ref: ref, asset: AssetEntity(ref: ref, title: "Minutes of the Board, 1921",
                                                               description: "Scanned minute book, 240 pages", securityTag: "open",
                                                               parentRef: folders[1].ref),
                                  path: folders, bitstreams: bitstreams, identifiers: [EntityIdentifier(type: "code", value: "MB-1921")],
                                  notFound: false, problems: [])
        let event = WebhookEvent(event: "FullTextIndexed", entityType: "IO", entityRef: ref, identifiers: [])
        let notification = WebhookNotification(subscriptionId: "9495ddbf7d4a0b9f030a3411c87f967d", timestamp: "2026-11-29T10:52:42.469",
                                               tenant: "DEMO", version: "7.7", trigger: "FULL_TEXT_INDEXED", events: [event])
        return TemplateData.event(notification, event, asset: asset, links: EntityLinks(base: "https://demo.preservica.com"))
    }
}
