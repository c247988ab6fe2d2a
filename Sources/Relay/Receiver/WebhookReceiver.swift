import HTTPServer
import JSON
import Preservica

/// The HTTP face of the relay: Preservica's webhook (handshake and signed notifications) and the
/// health endpoints.
///
/// A notification is answered 200 only once it is in the journal on disk; everything else gets a
/// clear status and a JSON `{"error": …}` that never echoes a secret or a signature.
public struct WebhookReceiver: Sendable {
    /// A notification now in the journal: its record, the notification as parsed, and where the
    /// record lies in the journal.
    public struct Spooled: Sendable {
        public var record: JournalRecord
        public var notification: WebhookNotification
        public var extent: JournalExtent

        public init(record: JournalRecord, notification: WebhookNotification, extent: JournalExtent) {
            self.record = record
            self.notification = notification
            self.extent = extent
        }

        /// Its sequence in the journal.
        public var sequence: UInt64 { record.sequence }
    }

    private let path: String
    private let verifiers: SharedVerifier
    private let journal: IncomingJournal
    private let deduplication: DeduplicationIndex
    private let logger: Logger
    private let onSpooled: @Sendable () -> Void
    private let handOff: @Sendable (Spooled) -> Void
    private let metrics: Metrics
    private let refused: RefusedNotifications?

    /// Creates the receiver for `path`. `handOff` gets each notification as parsed, with its
    /// journal record, once it is on disk and before the journal's readers can see it;
    /// `onSpooled` runs after it has been answered. Signed bodies that are not notifications are
    /// kept in `refused` when there is one.
    public init(path: String, verifier: WebhookVerifier, journal: IncomingJournal,
                deduplication: DeduplicationIndex, logger: Logger, metrics: Metrics = Metrics(), refused: RefusedNotifications? = nil,
                handOff: @escaping @Sendable (Spooled) -> Void = { _ in }, onSpooled: @escaping @Sendable () -> Void = {}) {
        self.init(path: path, verifiers: SharedVerifier(verifier), journal: journal, deduplication: deduplication, logger: logger,
                  metrics: metrics, refused: refused, handOff: handOff, onSpooled: onSpooled)
    }

    /// Creates the receiver with a verifier that can be replaced while running.
    public init(path: String, verifiers: SharedVerifier, journal: IncomingJournal,
                deduplication: DeduplicationIndex, logger: Logger, metrics: Metrics = Metrics(), refused: RefusedNotifications? = nil,
                handOff: @escaping @Sendable (Spooled) -> Void = { _ in }, onSpooled: @escaping @Sendable () -> Void = {}) {
        self.refused = refused
        self.handOff = handOff
        self.onSpooled = onSpooled
        self.metrics = metrics
        self.path = path
        self.verifiers = verifiers
        self.journal = journal
        self.deduplication = deduplication
        self.logger = logger
    }

    /// The routes: `POST <path>`, `GET /healthz`, `GET /readyz`.
    public func router() -> HTTPRouter {
        var router = HTTPRouter()
        router.add("POST", path) { request, respond in handleWebhook(request, respond: respond) }
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
        await withCheckedContinuation { continuation in
            handleWebhook(request) { continuation.resume(returning: $0) }
        }
    }

    /// Handles one POST to the webhook path, answering through `respond` (once the notification
    /// is on disk, when it is one).
    public func handleWebhook(_ request: HTTPRequest, respond: @escaping @Sendable (HTTPResponse) -> Void) {
        if let challenge = request.queryParameter("challengeCode") {
            // The answer is an HMAC under the webhook secret, so it must not be a signing oracle: a
            // code holding "preservica-webhook-auth" + a body would be answered with that body's
            // signature. Such codes, and empty or oversized ones, are refused.
            guard Self.isAnswerableChallenge(challenge) else {
                metrics.increment("preservica_relay_notifications_rejected_total", [("reason", "bad_challenge")])
                logger.repeating(.warning, "refused a handshake with an unexpected challenge code", key: "", ["peer": request.peerAddress])
                return respond(.jsonError(400, "challengeCode must be 1 to 1024 bytes and must not start with the signature prefix"))
            }
            // Anyone can ask; a flood of handshakes is not a flood of lines.
            logger.repeating(.info, "answered subscription handshake", key: "", ["peer": request.peerAddress])
            metrics.increment("preservica_relay_handshakes_total")
            let answer = verifiers.current.challengeResponse(for: challenge)
            return respond(.json(200, #"{"challengeCode":"# + JSONWriter.quoted(challenge) + #","challengeResponse":""# + answer + #""}"#))
        }
        metrics.increment("preservica_relay_notifications_received_total")
        let signatures = request.headers.values(for: "Preservica-Signature")
        guard signatures.count <= 1 else {
            // Which copy counts would be up to whoever reads it; refuse rather than pick one.
            metrics.increment("preservica_relay_notifications_rejected_total", [("reason", "repeated_signature")])
            logger.repeating(.warning, "rejected notification", key: "repeated signature header", ["reason": "repeated signature header", "peer": request.peerAddress])
            return respond(.jsonError(400, "more than one Preservica-Signature header"))
        }
        guard let signature = signatures.first else {
            metrics.increment("preservica_relay_notifications_rejected_total", [("reason", "missing_signature")])
            logger.repeating(.warning, "rejected notification", key: "missing signature", ["reason": "missing signature", "peer": request.peerAddress])
            return respond(.jsonError(401, "missing Preservica-Signature header"))
        }
        guard let (secretIndex, latin1) = verifiers.current.verify(signature: signature, body: request.body) else {
            metrics.increment("preservica_relay_notifications_rejected_total", [("reason", "bad_signature")])
            logger.repeating(.warning, "rejected notification", key: "bad signature", ["reason": "bad signature", "peer": request.peerAddress])
            return respond(.jsonError(401, "Preservica-Signature does not match the body for any configured secret"))
        }
        if latin1 {
            // Which bytes Preservica signs is not documented: say which ones it did, once a second at most.
            logger.repeating(.info, "signature over the body's Latin-1 bytes (as pyPreservica checks it), not the bytes received", key: "",
                             ["peer": request.peerAddress])
        }
        let notification: WebhookNotification
        do {
            notification = try WebhookNotification.parse(request.body)
        } catch {
            let answer = HTTPResponse.jsonError(400, "not a Preservica notification: \(error.message)")
            guard let refused else {
                metrics.increment("preservica_relay_notifications_rejected_total", [("reason", "not_a_notification")])
                logger.repeating(.warning, "rejected notification", key: "not a notification",
                                  ["reason": "not a notification", "detail": error.message, "peer": request.peerAddress])
                return respond(answer)
            }
            // It is signed, so it is what Preservica sent: kept before the 400, on the store's own
            // queue (a file written and synced), so that the refusal loses nothing. When it cannot
            // be written (a full disk) it is not refused but not accepted: 503, and sent again.
            refused.keep(body: request.body, reason: error.message, peer: request.peerAddress, secretIndex: secretIndex,
                         receivedAt: Timestamp.iso8601()) { [logger, metrics] outcome in
                if case .failed = outcome {
                    metrics.increment("preservica_relay_notifications_rejected_total", [("reason", "spool_unavailable")])
                    logger.repeating(.error, "cannot keep a signed body that is not a notification; answered 503", key: "",
                                      ["detail": error.message, "peer": request.peerAddress, "kept": outcome.text])
                    return respond(Self.unavailable())
                }
                metrics.increment("preservica_relay_notifications_rejected_total", [("reason", "not_a_notification")])
                logger.repeating(.warning, "rejected notification", key: "not a notification",
                                  ["reason": "not a notification", "detail": error.message, "peer": request.peerAddress, "kept": outcome.text])
                respond(answer)
            }
            return
        }
        let key = notification.deduplicationKey
        let digest = DeduplicationIndex.Digest(key)
        if let claim = deduplication.claimNow(digest) {
            spool(notification, key: key, digest: digest, claim: claim, request: request, secretIndex: secretIndex, respond: respond)
        } else {
            // Another copy is being written: its outcome decides this one's answer.
            Task {
                let claim = await deduplication.claim(digest)
                spool(notification, key: key, digest: digest, claim: claim, request: request, secretIndex: secretIndex, respond: respond)
            }
        }
    }

    private func spool(_ notification: WebhookNotification, key: String, digest: DeduplicationIndex.Digest, claim: DeduplicationIndex.Claim,
                       request: HTTPRequest, secretIndex: Int, respond: @escaping @Sendable (HTTPResponse) -> Void) {
        switch claim {
        case .duplicate:
            metrics.increment("preservica_relay_notifications_duplicate_total")
            logger.repeating(.info, "duplicate notification", key: "", ["trigger": notification.trigger, "subscription": notification.subscriptionId,
                                                                        "timestamp": notification.timestamp])
            return respond(.json(200, #"{"accepted":0,"duplicate":true}"#))
        case .failedElsewhere:
            metrics.increment("preservica_relay_notifications_rejected_total", [("reason", "spool_unavailable")])
            return respond(Self.unavailable())
        case .new:
            break
        }
        let metadata = ReceiptMetadata(
            receivedAt: Timestamp.iso8601(), peer: request.peerAddress, secretIndex: secretIndex,
            trigger: notification.trigger, events: notification.events.count, key: key
        )
        let body = request.body
        journal.append(metadata: metadata, body: body, onDurable: { [handOff] sequence, extent in
            handOff(Spooled(record: JournalRecord(sequence: sequence, metadata: metadata, body: body), notification: notification,
                            extent: extent))
        }) { [logger, deduplication, onSpooled, metrics] result in
            switch result {
            case .success:
                deduplication.resolve(digest, durable: true)
                respond(.json(200, #"{"accepted":\#(notification.events.count)}"#))
                // No log line here: this runs on the thread that made the batch durable (an event
                // loop, or the journal's writer), and a log that blocks must not hold up receiving.
                // The pipeline writes "notification accepted" when it takes the notification.
                onSpooled()
                metrics.increment("preservica_relay_notifications_accepted_total")
            case .failure(let error):
                deduplication.resolve(digest, durable: false)
                metrics.increment("preservica_relay_notifications_rejected_total", [("reason", "spool_unavailable")])
                logger.repeating(.error, "cannot spool notification; answered 503", key: "", ["error": "\(error)", "trigger": notification.trigger])
                respond(Self.unavailable())
            }
        }
    }

    /// A challenge code that may be answered: 1 to 1024 bytes, not starting with the prefix every
    /// notification signature covers (so no answer can double as a notification's signature).
    static func isAnswerableChallenge(_ code: String) -> Bool {
        !code.isEmpty && code.utf8.count <= 1024 && !code.utf8.starts(with: WebhookVerifier.signaturePrefix)
    }

    private static func unavailable() -> HTTPResponse {
        var response = HTTPResponse.jsonError(503, "the relay cannot write its spool; the notification was not accepted")
        response.headers.set(name: "Retry-After", value: "30")
        return response
    }
}
