import JSON

/// `formatNumber(number, precision, locale?)`: fixed decimals with locale digit grouping.
enum NumberFormat {
    /// Separators of a locale.
    struct Separators: Sendable {
        /// UTF-8 of the thousands separator (empty for none) and of the decimal point.
        var group: [UInt8]
        var decimal: [UInt8]

        init(group: String, decimal: String) {
            self.group = Array(group.utf8)
            self.decimal = Array(decimal.utf8)
        }
    }

    /// `en-US` style, used when no locale (or an unknown one) is given.
    static let english = Separators(group: ",", decimal: ".")
    /// `invariant` (or `''`): no grouping and a point, for text meant for machines.
    static let invariant = Separators(group: "", decimal: ".")
    static let swiss = Separators(group: "\u{2019}", decimal: ".")
    static let continental = Separators(group: ".", decimal: ",")
    static let spaced = Separators(group: "\u{00A0}", decimal: ",")

    /// Separators by language (the part before `-`), with a few regional exceptions.
    static func separators(for locale: String) -> Separators {
        let lowered = locale.lowercased().replacing("_", with: "-")
        if lowered.isEmpty || lowered == "invariant" { return invariant }
        switch lowered {
        case "de-ch", "it-ch", "fr-ch": return swiss
        case "en-in", "hi-in": return english
        default: break
        }
        let language = lowered.split(separator: "-").first.map(String.init) ?? lowered
        switch language {
        case "de", "nl", "it", "es", "pt", "da", "id", "tr", "el": return continental
        case "fr", "nb", "no", "sv", "fi", "pl", "cs", "sk", "ru", "uk", "hu": return spaced
        default: return english
        }
    }

    /// The formatted number, or null when `number` is not a number or `precision` is not a whole
    /// number in 0...20.
    static func format(_ number: JSONValue, precision: JSONValue, locale: JSONValue?) -> JSONValue {
        guard case .number(let value) = number, value.isFinite,
              case .number(let places) = precision, places.rounded() == places, places >= 0, places <= 20
        else { return .null }
        var separators = english
        if let locale, case .string(let name) = locale { separators = self.separators(for: name) }
        return .string(format(value, places: Int(places), separators: separators))
    }

    /// `value` rounded half away from zero to `places` decimals, grouped in thousands.
    static func format(_ value: Double, places: Int, separators: Separators) -> String {
        let decimal = DecimalNumber.rounding(value, places: places)
        let bytes = decimal.utf8(places: places, group: separators.group, decimal: separators.decimal)
        return String(decoding: bytes, as: UTF8.self)
    }
}
