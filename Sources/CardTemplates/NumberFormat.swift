import JSON

/// `formatNumber(number, precision, locale?)`: fixed decimals with locale digit grouping.
enum NumberFormat {
    /// Separators of a locale.
    struct Separators: Sendable {
        var group: String
        var decimal: String
    }

    /// `en-US` style, used when no locale (or an unknown one) is given.
    static let english = Separators(group: ",", decimal: ".")
    /// `invariant` (or `''`): no grouping and a point, for text meant for machines.
    static let invariant = Separators(group: "", decimal: ".")

    /// Separators by language (the part before `-`), with a few regional exceptions.
    static func separators(for locale: String) -> Separators {
        let lowered = locale.lowercased().replacing("_", with: "-")
        if lowered.isEmpty || lowered == "invariant" { return invariant }
        switch lowered {
        case "de-ch", "it-ch", "fr-ch": return Separators(group: "\u{2019}", decimal: ".")
        case "en-in", "hi-in": return english
        default: break
        }
        let language = lowered.split(separator: "-").first.map(String.init) ?? lowered
        switch language {
        case "de", "nl", "it", "es", "pt", "da", "id", "tr", "el": return Separators(group: ".", decimal: ",")
        case "fr", "nb", "no", "sv", "fi", "pl", "cs", "sk", "ru", "uk", "hu": return Separators(group: "\u{00A0}", decimal: ",")
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
        let decimal = DecimalNumber(value).rounded(fractionDigits: places)
        var text = decimal.isNegative && !decimal.isZero ? "-" : ""
        let whole = decimal.integerDigits
        for (offset, digit) in whole.enumerated() {
            if offset > 0, (whole.count - offset) % 3 == 0 { text += separators.group }
            text.unicodeScalars.append(Unicode.Scalar(48 + digit))
        }
        if places > 0 {
            text += separators.decimal
            for digit in decimal.fractionDigits(places) { text.unicodeScalars.append(Unicode.Scalar(48 + digit)) }
        }
        return text
    }
}
