import Foundation
import HTTPServer

/// A generic JSON webhook receiver: 200 with an empty body. With a `whsec_` secret configured it
/// verifies the Standard Webhooks headers (401 when wrong) and treats a repeated `webhook-id` as a retry.
struct GenericWebhookEndpoint {
    let core: ChatSinkCore

    func answer(_ request: HTTPRequest, now: Date) -> ChatSinkAnswer {
        let id = request.headers["webhook-id"]
        if let secret = core.configuration.webhookSecret,
           let problem = StandardWebhookSignature.problem(
            id: id, timestamp: request.headers["webhook-timestamp"], signatureHeader: request.headers["webhook-signature"],
            body: request.body, secret: secret, now: now, tolerance: core.configuration.webhookTolerance) {
            return .rejected(HTTPResponse.text(401, problem), problem)
        }
        let ok = HTTPResponse(status: 200)
        guard let id else { return .delivered(ok) }
        let fresh = core.state.withLock { $0.webhookIDs.insert(id).inserted }
        return fresh ? .delivered(ok) : ChatSinkAnswer(response: ok, outcome: .duplicate)
    }
}
