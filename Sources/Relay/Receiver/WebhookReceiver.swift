import HTTPServer
import Preservica

/// The HTTP face of the relay: Preservica's webhook (handshake and signed notifications) and the
/// health endpoints.
///
/// A notification is answered 200 only once it is in the journal on disk; everything else gets a
/// clear status and a JSON `{"error": …}` that never echoes a secret or a signature.
public struct WebhookReceiver: Sendable {
    private let path: String
    private let verifier: WebhookVerifier
    private let journal: IncomingJournal
    private let deduplication: DeduplicationIndex
    private let logger: Logger

    /// Creates the receiver for `path`.
    public init(path: String, verifier: WebhookVerifier, journal: IncomingJournal,
                deduplication: DeduplicationIndex, logger: Logger) {
        self.path = path
        self.verifier = verifier
        self.journal = journal
        self.deduplication = deduplication
        self.logger = logger
    }

    /// The routes: `POST <path>`, `GET /healthz`, `GET /readyz`.
    public func router() -> HTTPRouter {
        var router = HTTPRouter()
        router.add("POST", path) { request in await handleWebhook(request) }
        router.add("GET", "/healthz") { _ in .json(200, #"{"status":"ok"}"#) }
        router.add("GET", "/readyz") { _ in
            await journal.checkWritable()
                ? .json(200, #"{"status":"ready"}"#)
                : .json(503, #"{"status":"not ready","reason":"the spool cannot be written"}"#)
        }
        return router
    }

    /// Handles one POST to the webhook path.
    public func handleWebhook(_ request: HTTPRequest) async -> HTTPResponse {
        if let challenge = request.queryParameter("challengeCode") {
            logger.info("answered subscription handshake", ["peer": request.peerAddress])
            let answer = verifier.challengeResponse(for: challenge)
            return .json(200, #"{"challengeCode":"# + JSONText.quoted(challenge) + #","challengeResponse":""# + answer + #""}"#)
        }
        guard let signature = request.headers["Preservica-Signature"] else {
            logger.warning("rejected notification", ["reason": "missing signature", "peer": request.peerAddress])
            return .jsonError(401, "missing Preservica-Signature header")
        }
        guard let secretIndex = verifier.verify(signature: signature, body: request.body) else {
            logger.warning("rejected notification", ["reason": "bad signature", "peer": request.peerAddress])
            return .jsonError(401, "Preservica-Signature does not match the body for any configured secret")
        }
        let notification: WebhookNotification
        do {
            notification = try WebhookNotification.parse(request.body)
        } catch {
            logger.warning("rejected notification", ["reason": "not a notification", "detail": error.message, "peer": request.peerAddress])
            return .jsonError(400, "not a Preservica notification: \(error.message)")
        }
        return await spool(notification, request: request, secretIndex: secretIndex)
    }

    private func spool(_ notification: WebhookNotification, request: HTTPRequest, secretIndex: Int) async -> HTTPResponse {
        let key = notification.deduplicationKey
        switch await deduplication.claim(key) {
        case .duplicate:
            logger.info("duplicate notification", ["trigger": notification.trigger, "subscription": notification.subscriptionId,
                                                    "timestamp": notification.timestamp])
            return .json(200, #"{"accepted":0,"duplicate":true}"#)
        case .failedElsewhere:
            return unavailable()
        case .new:
            break
        }
        let metadata = ReceiptMetadata(
            receivedAt: Timestamp.iso8601(), peer: request.peerAddress, secretIndex: secretIndex,
            trigger: notification.trigger, events: notification.events.count, key: key
        )
        do {
            let sequence = try await journal.append(metadata: metadata, body: request.body)
            deduplication.resolve(key, durable: true)
            logger.info("notification accepted", [
                "seq": String(sequence), "trigger": notification.trigger, "events": String(notification.events.count),
                "subscription": notification.subscriptionId, "entity": notification.events[0].entityRef,
            ])
            return .json(200, #"{"accepted":\#(notification.events.count)}"#)
        } catch {
            deduplication.resolve(key, durable: false)
            logger.error("cannot spool notification; answered 503", ["error": "\(error)", "trigger": notification.trigger])
            return unavailable()
        }
    }

    private func unavailable() -> HTTPResponse {
        var response = HTTPResponse.jsonError(503, "the relay cannot write its spool; the notification was not accepted")
        response.headers.set(name: "Retry-After", value: "30")
        return response
    }
}
