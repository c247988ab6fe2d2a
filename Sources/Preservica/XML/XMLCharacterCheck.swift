/// The whole-document check made before any markup is read: the bytes must be well-formed UTF-8
/// (no overlong forms, no surrogates, nothing above U+10FFFF) and every character one XML 1.0
/// allows (`Char`: tab, line feed, carriage return, U+0020 to U+D7FF, U+E000 to U+FFFD and
/// U+10000 to U+10FFFF). A document that fails is refused rather than repaired, so no replacement
/// character ever stands in for a byte Preservica did not send.
enum XMLCharacterCheck {
    /// Throws at the first byte that is not UTF-8 or starts a character XML does not allow.
    static func validate(_ bytes: [UInt8]) throws(XMLReadError) {
        var iterator = bytes.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                if encoded.count == 1 {
                    let byte = encoded.first!
                    if byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D {
                        throw XMLReadError(reason: "a control character XML does not allow", offset: offset)
                    }
                } else if !isAllowed(Unicode.UTF8.decode(encoded)) {
                    throw XMLReadError(reason: "a character XML does not allow", offset: offset)
                }
                offset += encoded.count
            case .error:
                throw XMLReadError(reason: "bytes that are not UTF-8", offset: offset)
            case .emptyInput:
                return
            }
        }
    }

    /// Whether XML 1.0's `Char` production admits `value` (a code point, as a character reference names it).
    static func isAllowed(codePoint value: UInt32) -> Bool {
        switch value {
        case 0x09, 0x0A, 0x0D, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }

    private static func isAllowed(_ scalar: Unicode.Scalar) -> Bool { isAllowed(codePoint: scalar.value) }
}
