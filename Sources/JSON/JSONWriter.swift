/// Compact JSON text from a ``JSONValue``: keys in their order, numbers without a trailing `.0`,
/// strings escaped so the output is always valid JSON. Writes bytes directly; a card is
/// serialised once per delivery, so this sits on the hot path.
public enum JSONWriter {
    /// `value` as compact JSON bytes.
    public static func bytes(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        write(value, into: &out)
        return out
    }

    /// `value` as compact JSON text.
    public static func string(_ value: JSONValue) -> String {
        String(decoding: bytes(value), as: UTF8.self)
    }

    /// `value` as indented JSON for people to read (two spaces per level).
    public static func pretty(_ value: JSONValue, indent: String = "") -> String {
        let inner = indent + "  "
        switch value {
        case .array(let items) where !items.isEmpty:
            return "[\n" + items.map { inner + pretty($0, indent: inner) }.joined(separator: ",\n") + "\n\(indent)]"
        case .object(let object) where object.count > 0:
            return "{\n" + object.map { inner + quoted($0.key) + ": " + pretty($0.value, indent: inner) }.joined(separator: ",\n")
                + "\n\(indent)}"
        default:
            return string(value)
        }
    }

    /// A number as JSON: integral values up to 2^53 without a fraction, others in the shortest
    /// form that reads back to the same Double.
    public static func format(_ number: Double) -> String {
        guard number.isFinite else { return "null" }
        if number.rounded() == number && number.magnitude < 9_007_199_254_740_992 {
            return String(Int64(number))
        }
        return "\(number)"
    }

    /// `text` as a JSON string literal, quotes included.
    public static func quoted(_ text: String) -> String {
        var out: [UInt8] = []
        quote(text, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `text` as a JSON string literal.
    public static func quote(_ text: String, into out: inout String) {
        out += quoted(text)
    }

    private static func write(_ value: JSONValue, into out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: [0x6e, 0x75, 0x6c, 0x6c])
        case .bool(let flag): out.append(contentsOf: flag ? Array("true".utf8) : Array("false".utf8))
        case .number(let number): out.append(contentsOf: format(number).utf8)
        case .string(let text): quote(text, into: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                write(item, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let object):
            out.append(UInt8(ascii: "{"))
            var first = true
            for member in object {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                quote(member.key, into: &out)
                out.append(UInt8(ascii: ":"))
                write(member.value, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Whether the three-byte sequence E2 `second` `third` is one of the characters ``quote(_:into:)``
    /// escapes: U+200E, U+200F, U+2028, U+2029, U+202A-U+202E, U+2066-U+2069.
    private static func isEscapedE2(_ second: UInt8, _ third: UInt8) -> Bool {
        switch second {
        case 0x80: third == 0x8e || third == 0x8f || (0xa8...0xae).contains(third)
        case 0x81: (0xa6...0xa9).contains(third)
        default: false
        }
    }

    /// Appends `text` as a JSON string literal, as bytes.
    public static func quote(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            var index = 0
            let count = bytes.count
            while index < count {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "\""): out.append(contentsOf: [0x5c, 0x22])
                case UInt8(ascii: "\\"): out.append(contentsOf: [0x5c, 0x5c])
                case 0x0a: out.append(contentsOf: [0x5c, UInt8(ascii: "n")])
                case 0x0d: out.append(contentsOf: [0x5c, UInt8(ascii: "r")])
                case 0x09: out.append(contentsOf: [0x5c, UInt8(ascii: "t")])
                case 0x08: out.append(contentsOf: [0x5c, UInt8(ascii: "b")])
                case 0x0c: out.append(contentsOf: [0x5c, UInt8(ascii: "f")])
                case 0x00..<0x20, 0x7f:
                    out.append(contentsOf: [0x5c, UInt8(ascii: "u"), 0x30, 0x30, hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xf)]])
                case 0xc2 where index + 1 < count && (0x80..<0xa0).contains(bytes[index + 1]):
                    // C1 controls (U+0080-U+009F, among them the one-byte CSI) are valid JSON, but
                    // written raw they would reach a terminal that prints a log or audit line.
                    let low = bytes[index + 1]
                    out.append(contentsOf: [0x5c, UInt8(ascii: "u"), 0x30, 0x30, hexDigits[Int(low >> 4)], hexDigits[Int(low & 0xf)]])
                    index += 1
                case 0xe2 where index + 2 < count && Self.isEscapedE2(bytes[index + 1], bytes[index + 2]):
                    // U+2028 and U+2029 are valid JSON but break JavaScript string literals; the
                    // direction marks, embeddings, overrides and isolates (U+200E, U+200F,
                    // U+202A-U+202E, U+2066-U+2069) would reorder what a terminal shows of a log or
                    // audit line. Written as escapes, the text parses back the same.
                    let scalar = 0x2000 | (UInt32(bytes[index + 1] & 0x3f) << 6) | UInt32(bytes[index + 2] & 0x3f)
                    out.append(contentsOf: Array("\\u".utf8) + Array(String(scalar, radix: 16).utf8))
                    index += 2
                case 0xd8 where index + 1 < count && bytes[index + 1] == 0x9c:
                    // U+061C, the Arabic letter mark, for the same reason.
                    out.append(contentsOf: Array("\\u061c".utf8))
                    index += 1
                default: out.append(byte)
                }
                index += 1
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
