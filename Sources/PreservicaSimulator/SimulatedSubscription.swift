/// A webhook subscription held by the simulator. The secret is kept to sign notifications
/// but is never returned by the API, nor printed.
public struct SimulatedSubscription: Sendable, Equatable {
    /// 32 lowercase hex characters, as Preservica's ids are.
    public var id: String
    /// Where notifications go.
    public var url: String
    /// The trigger wire value, e.g. `FULL_TEXT_INDEXED`.
    public var triggerType: String
    /// Whether events carry the entity's identifiers.
    public var includeIdentifiers: Bool
    /// The shared secret for signatures.
    var secret: String

    /// The JSON object Preservica returns for a subscription (no secret).
    var json: String {
        #"{"id":"\#(id)","url":\#(JSONText.quoted(url)),"triggerType":\#(JSONText.quoted(triggerType)),"includeIdentifiers":\#(includeIdentifiers)}"#
    }
}
