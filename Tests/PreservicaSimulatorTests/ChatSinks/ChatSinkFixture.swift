import Foundation
import PreservicaSimulator

/// A started chat sink with a plain URLSession client, stopped by ``finish()``.
struct ChatSinkFixture {
    let sink: ChatSink
    let client: SimulatorClient

    init(_ configuration: ChatSinkConfiguration = ChatSinkConfiguration()) throws {
        sink = ChatSink(configuration: configuration)
        try sink.start()
        client = SimulatorClient(base: sink.baseURL)
    }

    /// POSTs `json` to `url` (PUT for Matrix send URLs, with the sink's bearer token unless `token` says otherwise).
    func post(_ url: String, _ json: String, headers: [String: String] = [:]) async throws -> Exchange {
        try await client.send("POST", url, json: json, headers: headers)
    }

    /// PUTs a Matrix event with `Authorization: Bearer token`.
    func putMatrix(_ url: String, _ json: String, token: String? = nil) async throws -> Exchange {
        try await client.send("PUT", url, json: json, headers: ["Authorization": "Bearer \(token ?? sink.matrixAccessToken)"])
    }

    func finish() async { await sink.stop() }
}

/// Sample bodies for each service.
enum ChatSinkSamples {
    static let adaptiveEnvelope = """
    {"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive","contentUrl":null,\
    "content":{"$schema":"http://adaptivecards.io/schemas/adaptive-card.json","type":"AdaptiveCard","version":"1.4",\
    "body":[{"type":"TextBlock","text":"Asset ingested","wrap":true}]}}]}
    """
    static let messageCard = #"{"@type":"MessageCard","@context":"http://schema.org/extensions","summary":"Asset ingested","title":"Asset ingested"}"#
    static let slack = #"{"text":"Asset ingested","blocks":[{"type":"section","text":{"type":"mrkdwn","text":"*Asset ingested*"}}]}"#
    static let googleChat = #"{"text":"Asset ingested"}"#
    static let discord = #"{"content":"Asset ingested","allowed_mentions":{"parse":[]}}"#
    static let mattermost = #"{"text":"**Asset ingested**"}"#
    static let matrix = #"{"msgtype":"m.notice","body":"Asset ingested","format":"org.matrix.custom.html","formatted_body":"<b>Asset ingested</b>"}"#
    static let webhook = #"{"type":"asset.ingested","timestamp":"2026-08-06T10:00:00Z","data":{"ref":"abc"}}"#
}
