import Foundation

/// Time zones by IANA name, with UTC answered without ICU.
///
/// `TimeZone(identifier: "UTC")` loads ICU's zone data, about 2 MB of resident memory, while the
/// fixed zone `TimeZone.gmt` needs none. Most relays keep the default zone, so they start without
/// ICU and load it only when a card is first written.
enum ZoneName {
    /// The zone named `name`, or nil when there is no such zone.
    static func zone(_ name: String) -> TimeZone? {
        utcNames.contains(name.uppercased()) ? .gmt : TimeZone(identifier: name)
    }

    private static let utcNames: Set<String> = ["UTC", "GMT", "ETC/UTC", "ETC/GMT", "Z", "ZULU", "UCT", "ETC/UCT", "ETC/ZULU"]
}
