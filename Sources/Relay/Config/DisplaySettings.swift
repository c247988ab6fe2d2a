import Foundation
import JSON

/// How cards write what curators read: the time zone of times on cards, and which catalogue
/// identifiers to show before Preservica's reference (`display` in the configuration).
public struct DisplaySettings: Sendable, Equatable {
    /// The zone cards are written in, named on the card (default UTC). Teams cards also carry the
    /// time for each reader's own zone.
    public var timeZone: TimeZone
    /// Identifier types to show, in this order (for example `["code", "callNumber"]`); none by default.
    public var identifiers: [String]

    /// Creates settings; the default writes UTC and shows no identifier types.
    public init(timeZone: TimeZone = .gmt, identifiers: [String] = []) {
        self.timeZone = timeZone
        self.identifiers = identifiers
    }

    static let keys = ["timeZone", "identifiers"]

    /// Reads the `display` block, if any.
    static func read(_ value: JSONValue?, _ reader: inout ConfigurationReader) -> DisplaySettings {
        var settings = DisplaySettings()
        guard let block = reader.object(value, "display", allowed: keys) else { return settings }
        if let name = reader.string(block["timeZone"], "display.timeZone") {
            if let zone = ZoneName.zone(name) { settings.timeZone = zone } else {
                reader.problem("display.timeZone", "unknown time zone \"\(name)\"; use an IANA name such as \"Europe/London\" or \"UTC\"")
            }
        }
        if let items = block["identifiers"] {
            if case .array(let values) = items {
                settings.identifiers = values.enumerated().compactMap { reader.string($0.element, "display.identifiers[\($0.offset)]") }
            } else {
                reader.problem("display.identifiers", "expected an array of identifier types, e.g. [\"code\"]")
            }
        }
        return settings
    }
}
