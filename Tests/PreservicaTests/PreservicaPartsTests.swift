import Testing
import Foundation
import Preservica

@Suite("Preservica client parts")
struct PreservicaPartsTests {
    private func asset(version: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <EntityResponse xmlns="http://preservica.com/EntityAPI/v\(version)" xmlns:xip="http://preservica.com/XIP/v\(version)">
          <xip:InformationObject>
            <xip:Ref>7fdea7e0-1e72-4fb1-aadb-d7f9ee6ed8c2</xip:Ref>
            <xip:Title>Minutes of the Board, 1921 &amp; after — Åse</xip:Title>
            <xip:SecurityTag>open</xip:SecurityTag>
            <xip:Parent>58412111-c73d-4414-a8fc-495cfc57f7e1</xip:Parent>
          </xip:InformationObject>
          <AdditionalInformation><Representations>https://h/api/entity/information-objects/x/representations</Representations></AdditionalInformation>
        </EntityResponse>
        """
    }

    @Test("XML is read by local name whatever the version's namespace", arguments: ["6.10", "7.7", "8.1"])
    func namespaces(version: String) throws {
        let root = try XMLNode.parse(Array(asset(version: version).utf8))
        let node = try #require(root.first("InformationObject"))
        #expect(node.namespace == "http://preservica.com/XIP/v\(version)")
        #expect(node.text(of: "Title") == "Minutes of the Board, 1921 & after — Åse")
        #expect(node.text(of: "Parent") == "58412111-c73d-4414-a8fc-495cfc57f7e1")
        #expect(node.text(of: "Description") == nil)
        #expect(root.child("AdditionalInformation")?.child("Representations")?.text.hasSuffix("/representations") == true)
    }

    @Test("broken XML is an error that says so")
    func brokenXML() {
        #expect(throws: PreservicaError.self) { try XMLNode.parse(Array("<a><b></a>".utf8)) }
    }

    @Test("credentials.properties is read like pyPreservica reads it")
    func credentialsFile() {
        let values = CredentialsFile.parse("""
        # comment
        [credentials]
        username = curator@example.org
        password=s3cret=with=equals
        tenant=ARCHIVE
        server=eu.preservica.com
        secret.key=abc123
        [other]
        username=ignored
        """)
        #expect(values["username"] == "curator@example.org")
        #expect(values["password"] == "s3cret=with=equals")
        #expect(values["tenant"] == "ARCHIVE")
        #expect(values["server"] == "eu.preservica.com")
        #expect(values["secret.key"] == "abc123")
    }

    @Test("a host name means https; a full URL is kept", arguments: [
        ("eu.preservica.com", "https://eu.preservica.com"),
        ("http://127.0.0.1:9000", "http://127.0.0.1:9000"),
        ("https://archive.example.org/", "https://archive.example.org"),
    ])
    func baseURL(server: String, expected: String) {
        #expect(PreservicaCredentials(server: server, username: "u", password: "p").baseURL?.absoluteString == expected)
    }

    @Test("credentials print without the password")
    func redaction() {
        let credentials = PreservicaCredentials(server: "eu.preservica.com", username: "bot", password: "hunter2", tenant: "T")
        #expect(!"\(credentials)".contains("hunter2"))
        #expect(!String(reflecting: credentials).contains("hunter2"))
        var dumped = ""
        dump(credentials, to: &dumped)
        #expect(!dumped.contains("hunter2"))
    }

    @Test("triggers by wire value or alias", arguments: [
        ("ingest", TriggerType.ingested), ("FULL_TEXT_INDEXED", .ingested), ("moved", .moved),
        ("security", .securityChanged), ("failed", .ingestFailed), ("visibility", .visibilityChanged),
        ("change_asset_visibility", .visibilityChanged),
    ])
    func triggers(text: String, trigger: TriggerType) {
        #expect(TriggerType(text: text) == trigger)
    }
    @Test("without a timestamp, notifications about one asset that differ in their events are not taken for one; the same one repeated is")
    func keyWithoutTimestamp() throws {
        func key(_ event: String, timestamp: String = "") throws -> String {
            let body = #"{"subscriptionId":"s","timestamp":"\#(timestamp)","tenant":"T","version":"7.7","trigger":"MOVED","#
                + #""events":[{"event":"\#(event)","entityType":"IO","entityRef":"r1","identifiers":[]}]}"#
            return try WebhookNotification.parse(Array(body.utf8)).deduplicationKey
        }
        #expect(try key("Moved") == key("Moved"))
        #expect(try key("Moved") != key("Renamed"))
        #expect(try key("Moved", timestamp: "2026-01-01T00:00:00.000") == "s|MOVED|2026-01-01T00:00:00.000|r1")
    }

    private func notification(events: String, root: String = #""subscriptionId":"s""#) throws(NotificationError) -> WebhookNotification {
        try WebhookNotification.parse(Array(#"{\#(root),"trigger":"MOVED","events":[\#(events)]}"#.utf8))
    }

    @Test("an entity reference given as a path is its last segment")
    func referenceFromPath() throws {
        func ref(_ raw: String) throws -> String {
            try notification(events: #"{"entityType":"IO","entityRef":"\#(raw)"}"#).events[0].entityRef
        }
        #expect(try ref("7fdea7e0-1e72-4fb1-aadb-d7f9ee6ed8c1") == "7fdea7e0-1e72-4fb1-aadb-d7f9ee6ed8c1")
        #expect(try ref("/api/entity/information-objects/7fdea7e0") == "7fdea7e0")
        #expect(try ref("information-objects/7fdea7e0/") == "7fdea7e0")
        #expect(try ref("/") == "/")
    }

    @Test("a notification that is not one names the field, with the event's index")
    func errorsNameTheField() {
        func message(_ events: String, root: String = #""subscriptionId":"s""#) -> String? {
            do {
                _ = try notification(events: events, root: root)
                return nil
            } catch {
                return error.message
            }
        }
        let good = #"{"entityType":"IO","entityRef":"r1"}"#
        #expect(message(good + #",{"entityType":"IO"}"#) == #"missing field "events[1].entityRef""#)
        #expect(message(#"{"entityType":"IO","entityRef":""}"#) == #"field "events[0].entityRef" must be a non-empty string"#)
        #expect(message(#"{"entityType":"IO","entityRef":"r1","event":7}"#) == #"field "events[0].event" must be a string"#)
        #expect(message(good + #","x""#) == "events[1] must be an object")
        #expect(message(#"{"entityType":"IO","entityRef":"r1","identifiers":{}}"#) == #"field "events[0].identifiers" must be an array"#)
        #expect(message(good, root: #""subscriptionId":5"#) == #"field "subscriptionId" must be a string"#)
        #expect(message(good) == nil)
    }
}
