import Foundation
import JSON

/// How cards write what curators read: the time zone of times on cards, and which catalogue
/// identifiers to show before Preservica's reference (`display` in the configuration).
public struct DisplaySettings: Sendable, Equatable {
    /// The zone cards are written in, named on the card (default UTC). Teams cards also carry the
    /// time for each reader's own zone.
    public var timeZone: TimeZone
    /// Identifier types to show, in this order (for example `["code", "callNumber"]`), each with
    /// the label cards call it by when one is given; none by default.
    public var identifiers: [IdentifierType]

    /// Creates settings; the default writes UTC and shows no identifier types.
    public init(timeZone: TimeZone = .gmt, identifiers: [IdentifierType] = []) {
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
                settings.identifiers = values.enumerated().compactMap { offset, value in
                    let path = "display.identifiers[\(offset)]"
                    // A type, or a type with the label cards call it by.
                    if case .object = value {
                        guard let entry = reader.object(value, path, allowed: ["type", "label"]) else { return nil }
                        guard let type = reader.string(entry["type"], path + ".type") else {
                            if entry["type"] == nil { reader.problem(path + ".type", "required: the identifier type as Preservica names it") }
                            return nil
                        }
                        return IdentifierType(type: type, label: reader.string(entry["label"], path + ".label"))
                    }
                    return reader.string(value, path).map { IdentifierType(type: $0) }
                }
            } else {
                reader.problem("display.identifiers", "expected an array of identifier types, e.g. [\"code\", { type: \"callNumber\", label: \"Call number\" }]")
            }
        }
        return settings
    }
}
