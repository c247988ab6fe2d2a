/// Entity and character references (`&amp;`, `&#233;`, `&#xE9;`): the five entities XML
/// predefines and character references to code points XML allows. No other entity exists,
/// because a document may not declare any (``XMLReader`` refuses every DOCTYPE), so anything
/// else is an undefined entity and an error.
enum XMLReference {
    /// Reads the reference at `cursor` (which is at its `&`) and appends its UTF-8 to `output`.
    static func read(_ cursor: inout XMLByteCursor, into output: inout [UInt8]) throws(XMLReadError) {
        let start = cursor.position
        cursor.position += 1  // "&"
        if cursor.skip("#") {
            let value = try codePoint(&cursor, start: start)
            guard XMLCharacterCheck.isAllowed(codePoint: value), let scalar = Unicode.Scalar(value) else {
                throw cursor.failure("a character reference to a code point XML does not allow", at: start)
            }
            Unicode.UTF8.encode(scalar) { output.append($0) }
            return
        }
        for (name, byte) in predefined {
            guard cursor.skip(name) else { continue }
            output.append(byte)
            return
        }
        throw cursor.failure("an undefined entity reference (only the five predefined entities and character references are read)", at: start)
    }

    /// The number of a character reference after its `&#`, up to and including the `;`.
    private static func codePoint(_ cursor: inout XMLByteCursor, start: Int) throws(XMLReadError) -> UInt32 {
        let hex = cursor.skip("x")
        var value: UInt32 = 0
        var digits = 0
        while let byte = cursor.current, let digit = digit(byte, hex: hex) {
            // Leading zeros are allowed; anything past U+10FFFF is refused without overflowing.
            value = min(value * (hex ? 16 : 10) + digit, 0x110000)
            digits += 1
            cursor.position += 1
        }
        guard digits > 0, cursor.skip(";") else { throw cursor.failure("a malformed character reference", at: start) }
        return value
    }

    private static func digit(_ byte: UInt8, hex: Bool) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f") where hex: UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F") where hex: UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    /// The predefined entities, name and `;`, with the byte each stands for.
    private static let predefined: [(StaticString, UInt8)] = [
        ("amp;", UInt8(ascii: "&")),
        ("lt;", UInt8(ascii: "<")),
        ("gt;", UInt8(ascii: ">")),
        ("quot;", UInt8(ascii: "\"")),
        ("apos;", UInt8(ascii: "'")),
    ]
}
