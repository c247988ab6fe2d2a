import Testing
import Foundation
import JSON
import Preservica
@testable import Relay

/// Sizes are Preservica's to report. Sums that overflow `Int64`, or a total too large to convert
/// back from JSON's `Double`, trapped while the card was planned: before the cursor moved, so the
/// same notification took the relay down again at every restart.
@Suite("Sizes Preservica reports")
struct ReportedSizesTests {
    private let links = EntityLinks(base: "https://eu.preservica.com", tenant: "ACME")
    private let notification = WebhookNotification(subscriptionId: "s", timestamp: "2027-01-15T08:00:00.000", tenant: "T", version: "7.7",
                                                   trigger: "FULL_TEXT_INDEXED", events: [WebhookEvent(event: "e", entityType: "IO", entityRef: "a")])

    private func asset(sizes: [Int64]) -> EnrichedAsset {
        let bitstreams = sizes.enumerated().map { index, size in
            BitstreamInfo(filename: "f\(index).tiff", size: size, fixity: [], representation: "Preservation", representationName: nil,
                          contentObjectRef: "c\(index)", generation: 1, original: true)
        }
        return EnrichedAsset(ref: "a", asset: AssetEntity(ref: "a", title: "t", description: nil, securityTag: "open", parentRef: nil),
                             path: [], bitstreams: bitstreams, identifiers: [], notFound: false, problems: [])
    }

    @Test("bitstreams whose sizes add up past Int64 show the largest size, on a single card and in a digest")
    func saturated() {
        let event = notification.events[0]
        let single = TemplateData.event(notification, event, asset: asset(sizes: [.max, .max, 1]), links: links)
        #expect(single.objectValue?["asset"]?.objectValue?["totalSize"]?.numberValue == Double(Int64.max))
        let model = TemplateData.event(notification, event, asset: asset(sizes: [.max]), links: links)
        let digest = TemplateData.digest(of: [model, model], maxItems: 10, from: notification.timestamp, to: notification.timestamp)
        #expect(digest.objectValue?["digest"]?.objectValue?["totalSize"]?.numberValue == Double(Int64.max))
        #expect(digest.objectValue?["digest"]?.objectValue?["count"]?.numberValue == 2)
    }
}

/// Numbers in the relay's own spool files are read as whole `Int64`s or not at all: a damaged
/// or hand-edited file must not trap the conversion at every start.
@Suite("Numbers in spool files")
struct SpoolFileNumbersTests {
    @Test("a job, a hold and a digest line with numbers no Int64 holds are read without a trap")
    func absurdNumbers() throws {
        let job = try JSONParser.parse(#"{"id":"j","channel":"c","payload":{},"attempts":1e300,"nextAttemptAt":-1e300}"#)
        let read = try #require(DeliveryJob(name: "j.json", json: job))
        #expect(read.attempts == 0 && read.nextAttemptAt == 0)
        let hold = try JSONParser.parse(#"{"sequence":-1,"heldSinceMs":0,"notification":"{}","events":[0]}"#)
        #expect(HeldNotification(json: hold, now: Date()) == nil)
        let huge = try JSONParser.parse(#"{"sequence":1e300,"heldSinceMs":0,"notification":"{}","events":[1e300]}"#)
        #expect(HeldNotification(json: huge, now: Date()) == nil)
        #expect(JSONValue.number(1.5).int64Value == nil && JSONValue.number(-3).int64Value == -3)
    }
}
