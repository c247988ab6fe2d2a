import OutboundHTTP

/// The legacy Office 365 connector answers 200 `1` on success, and often reports failures with
/// 200 too, the error in the text ("…returned HTTP error 429…").
struct TeamsConnectorTarget: ChatTarget {
    func request(body: [UInt8], to destination: ChatDestination, deliveryId: String, timeout: Duration) -> OutboundRequest {
        post(body, destination, timeout: timeout)
    }

    /// A 429 from the connector comes as 200 with "HTTP error 429" in the text (the code read as
    /// ``outcome(of:)`` reads it).
    func isThrottled(_ reply: OutboundReply) -> Bool {
        reply.status == 429 || (reply.status == 200 && Self.reportedCode(reply.text) == 429)
    }

    /// The code after the first "HTTP error " in a 200's text.
    private static func reportedCode(_ text: String) -> Int? {
        text.range(of: "HTTP error ").flatMap { Int(text[$0.upperBound...].prefix(3)) }
    }

    func outcome(of reply: OutboundReply) -> DeliveryOutcome {
        guard reply.status == 200 else { return standardOutcome(reply, service: "Teams connector") }
        let text = reply.text.trimmingCharacters(in: .whitespacesAndNewlines)
        if text == "1" { return .delivered }
        if text.contains("HTTP error ") {
            let code = Self.reportedCode(text) ?? 0
            if code == 429 || code == 408 || code >= 500 {
                return .retry(after: nil, reason: "Teams connector reported HTTP error \(code)")
            }
            return .rejected(reason: "Teams connector reported: \(ReplyText.excerpt(text))")
        }
        return .rejected(reason: "Teams connector answered 200 without \"1\": \(ReplyText.excerpt(text))")
    }
}
