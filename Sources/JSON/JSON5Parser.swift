/// A JSON5 parser (https://spec.json5.org) into ``JSONValue``, for configuration files people write.
///
/// Beyond JSON it takes comments, unquoted keys, single-quoted strings, trailing commas, hex
/// numbers, leading or trailing decimal points, `+`, `Infinity` and `NaN`, and strings continued
/// over lines. Its errors say where (line and column) and what, and it notes every key that
/// appears twice in one object, with its path, since a configuration must not say two things.
public struct JSON5Parser {
    private let bytes: [UInt8]
    private var index = 0
    private var depth = 0
    private var duplicates: [JSON5Document.DuplicateKey] = []

    private init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Parses one JSON5 document (surrounding whitespace and comments allowed, nothing else).
    public static func parse(_ bytes: [UInt8]) throws(JSONSyntaxError) -> JSON5Document {
        var parser = JSON5Parser(bytes)
        // A byte order mark is whitespace in JSON5.
        if bytes.starts(with: [0xef, 0xbb, 0xbf]) { parser.index = 3 }
        try parser.skipSpace()
        let value = try parser.parseValue(path: "")
        try parser.skipSpace()
        guard parser.index == bytes.count else { throw parser.error("unexpected text after the value") }
        return JSON5Document(value: value, duplicateKeys: parser.duplicates)
    }

    /// Parses JSON5 text.
    public static func parse(_ text: String) throws(JSONSyntaxError) -> JSON5Document {
        try parse(Array(text.utf8))
    }

    // MARK: - Values

    private mutating func parseValue(path: String) throws(JSONSyntaxError) -> JSONValue {
        guard let byte = peek() else { throw error("unexpected end of input") }
        switch byte {
        case UInt8(ascii: "{"): return try parseObject(path: path)
        case UInt8(ascii: "["): return try parseArray(path: path)
        case UInt8(ascii: "\""), UInt8(ascii: "'"): return .string(try parseString())
        case UInt8(ascii: "t"): try expect("true"); return .bool(true)
        case UInt8(ascii: "f"): try expect("false"); return .bool(false)
        case UInt8(ascii: "n"): try expect("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "I"), UInt8(ascii: "N"):
            return .number(try parseNumber())
        default: throw error("unexpected \(describe(byte))")
        }
    }

    private mutating func parseObject(path: String) throws(JSONSyntaxError) -> JSONValue {
        try enter()
        index += 1
        var object = JSONObject()
        while true {
            try skipSpace()
            if peek() == UInt8(ascii: "}") {
                index += 1
                depth -= 1
                return .object(object)
            }
            let keyStart = index
            let key = try parseKey()
            let keyPath = path.isEmpty ? key : "\(path).\(key)"
            if object.index(of: key) != nil {
                let (line, column) = position(of: keyStart)
                duplicates.append(JSON5Document.DuplicateKey(path: keyPath, line: line, column: column))
            }
            try skipSpace()
            guard peek() == UInt8(ascii: ":") else { throw error("expected ':' after a key (or '[' where a list was meant)") }
            index += 1
            try skipSpace()
            object.append(key, try parseValue(path: keyPath))
            try skipSpace()
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                depth -= 1
                return .object(object)
            case nil: throw error("unexpected end of input: an object is not closed with '}'")
            default: throw error("expected ',' or '}' after the value of \"\(key)\"")
            }
        }
    }

    private mutating func parseArray(path: String) throws(JSONSyntaxError) -> JSONValue {
        try enter()
        index += 1
        var items: [JSONValue] = []
        while true {
            try skipSpace()
            if peek() == UInt8(ascii: "]") {
                index += 1
                depth -= 1
                return .array(items)
            }
            items.append(try parseValue(path: "\(path)[\(items.count)]"))
            try skipSpace()
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                index += 1
                depth -= 1
                return .array(items)
            case nil: throw error("unexpected end of input: an array is not closed with ']'")
            default: throw error("expected ',' or ']' in an array")
            }
        }
    }

    /// A quoted string or an identifier (ASCII letters, digits, `_` and `$`, or any non-ASCII
    /// letter; `\u` escapes are not taken in identifiers).
    private mutating func parseKey() throws(JSONSyntaxError) -> String {
        guard let first = peek() else { throw error("unexpected end of input: expected a key") }
        if first == UInt8(ascii: "\"") || first == UInt8(ascii: "'") { return try parseString() }
        let start = index
        while let byte = peek(), isIdentifierByte(byte, first: index == start) { index += 1 }
        guard index > start else { throw error("expected a key, found \(describe(first))") }
        return try decodeUTF8(bytes[start..<index])
    }

    private func isIdentifierByte(_ byte: UInt8, first: Bool) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"), UInt8(ascii: "$"): true
        case UInt8(ascii: "0")...UInt8(ascii: "9"): !first
        case 0x80...: true
        default: false
        }
    }

    // MARK: - Strings

    private mutating func parseString() throws(JSONSyntaxError) -> String {
        let quote = bytes[index]
        index += 1
        var out: [UInt8] = []
        while let byte = peek() {
            switch byte {
            case quote:
                index += 1
                return try decodeUTF8(out[...])
            case UInt8(ascii: "\\"):
                index += 1
                try parseEscape(into: &out)
            case 0x0a, 0x0d:
                throw error("a line break inside a string (end the line with '\\' to continue a string)")
            default:
                out.append(byte)
                index += 1
            }
        }
        throw error("unexpected end of input: a string is not closed")
    }

    private mutating func parseEscape(into out: inout [UInt8]) throws(JSONSyntaxError) {
        guard let escape = peek() else { throw error("unexpected end of input in an escape") }
        index += 1
        switch escape {
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0c)
        case UInt8(ascii: "n"): out.append(0x0a)
        case UInt8(ascii: "r"): out.append(0x0d)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "v"): out.append(0x0b)
        case UInt8(ascii: "0"):
            if let next = peek(), isDigit(next) { throw error("\\0 followed by a digit is not allowed") }
            out.append(0x00)
        case UInt8(ascii: "1")...UInt8(ascii: "9"): throw error("a digit cannot be escaped")
        case UInt8(ascii: "x"):
            let value = try hex(count: 2)
            out.append(contentsOf: String(Unicode.Scalar(UInt8(value))).utf8)
        case UInt8(ascii: "u"):
            var code = try hex(count: 4)
            if (0xd800...0xdbff).contains(code), peek() == UInt8(ascii: "\\"), index + 1 < bytes.count,
               bytes[index + 1] == UInt8(ascii: "u") {
                index += 2
                let low = try hex(count: 4)
                guard (0xdc00...0xdfff).contains(low) else { throw error("unpaired surrogate in a \\u escape") }
                code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00)
            }
            guard let scalar = Unicode.Scalar(code) else { throw error("unpaired surrogate in a \\u escape") }
            out.append(contentsOf: String(scalar).utf8)
        case 0x0d:
            // A line continuation: the escaped line break is not part of the string.
            if peek() == 0x0a { index += 1 }
        case 0x0a:
            break
        default:
            // Any other character stands for itself, e.g. \' \" \\ \/.
            out.append(escape)
        }
    }

    private mutating func hex(count: Int) throws(JSONSyntaxError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<count {
            guard let byte = peek(), let digit = hexDigit(byte) else { throw error("expected a hex digit in an escape") }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    // MARK: - Numbers

    private mutating func parseNumber() throws(JSONSyntaxError) -> Double {
        var sign = 1.0
        if let byte = peek(), byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") {
            if byte == UInt8(ascii: "-") { sign = -1 }
            index += 1
        }
        if peek() == UInt8(ascii: "I") { try expect("Infinity"); return sign * .infinity }
        if peek() == UInt8(ascii: "N") { try expect("NaN"); return .nan }
        if peek() == UInt8(ascii: "0"), index + 1 < bytes.count, bytes[index + 1] | 0x20 == UInt8(ascii: "x") {
            index += 2
            let start = index
            var value = 0.0
            while let byte = peek(), let digit = hexDigit(byte) {
                value = value * 16 + Double(digit)
                index += 1
            }
            guard index > start else { throw error("expected a hex digit after 0x") }
            return sign * value
        }
        if peek() == UInt8(ascii: "0"), index + 1 < bytes.count, isDigit(bytes[index + 1]) {
            throw error("a number cannot start with 0 followed by a digit")
        }
        // JSON5 allows "5." and ".5"; Double(_:) is given the digits in the usual form.
        let integer = digitRun()
        var fraction = ""
        if peek() == UInt8(ascii: ".") {
            index += 1
            fraction = digitRun()
        }
        guard !integer.isEmpty || !fraction.isEmpty else { throw error("expected a number") }
        var exponent = ""
        if let byte = peek(), byte | 0x20 == UInt8(ascii: "e") {
            index += 1
            if let byte = peek(), byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") {
                exponent = byte == UInt8(ascii: "-") ? "-" : ""
                index += 1
            }
            let digits = digitRun()
            guard !digits.isEmpty else { throw error("expected a digit in the exponent") }
            exponent = "e" + exponent + digits
        }
        let text = (integer.isEmpty ? "0" : integer) + "." + (fraction.isEmpty ? "0" : fraction) + exponent
        guard let value = Double(text) else { throw error("malformed number") }
        return sign * value
    }

    private mutating func digitRun() -> String {
        let start = index
        while let byte = peek(), isDigit(byte) { index += 1 }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    // MARK: - Space and comments

    private mutating func skipSpace() throws(JSONSyntaxError) {
        while let byte = peek() {
            switch byte {
            case 0x20, 0x09, 0x0a, 0x0b, 0x0c, 0x0d:
                index += 1
            case UInt8(ascii: "/") where index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "/"):
                while let byte = peek(), byte != 0x0a && byte != 0x0d { index += 1 }
            case UInt8(ascii: "/") where index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "*"):
                let start = index
                index += 2
                while index + 1 < bytes.count && !(bytes[index] == UInt8(ascii: "*") && bytes[index + 1] == UInt8(ascii: "/")) {
                    index += 1
                }
                guard index + 1 < bytes.count else {
                    index = start
                    throw error("a /* comment is not closed")
                }
                index += 2
            case 0xc2 where index + 1 < bytes.count && bytes[index + 1] == 0xa0:
                index += 2  // no-break space
            case 0xe2 where index + 2 < bytes.count && bytes[index + 1] == 0x80 && (bytes[index + 2] == 0xa8 || bytes[index + 2] == 0xa9):
                index += 3  // line and paragraph separators
            case 0xef where index + 2 < bytes.count && bytes[index + 1] == 0xbb && bytes[index + 2] == 0xbf:
                index += 3  // byte order mark
            default:
                return
            }
        }
    }

    // MARK: - Helpers

    private mutating func expect(_ word: StaticString) throws(JSONSyntaxError) {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count, word.withUTF8Buffer({ bytes[index..<index + count].elementsEqual($0) }) else {
            throw error("unexpected \(peek().map(describe) ?? "end of input") (a string needs quotes)")
        }
        index += count
    }

    private mutating func enter() throws(JSONSyntaxError) {
        depth += 1
        if depth > JSONParser.maxDepth { throw error("nested more than \(JSONParser.maxDepth) levels deep") }
    }

    private func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private func hexDigit(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    private func decodeUTF8(_ slice: ArraySlice<UInt8>) throws(JSONSyntaxError) -> String {
        guard let text = String(validating: slice, as: UTF8.self) else { throw error("invalid UTF-8") }
        return text
    }

    private func describe(_ byte: UInt8) -> String {
        byte >= 0x21 && byte < 0x7f ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
    }

    private func position(of offset: Int) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        var previous: UInt8 = 0
        for byte in bytes[0..<min(offset, bytes.count)] {
            if byte == 0x0a {
                if previous != 0x0d { line += 1 }
                column = 1
            } else if byte == 0x0d {
                line += 1
                column = 1
            } else if byte & 0xc0 != 0x80 {
                column += 1
            }
            previous = byte
        }
        return (line, column)
    }

    private func error(_ message: String) -> JSONSyntaxError {
        let (line, column) = position(of: index)
        return JSONSyntaxError(message: message, line: line, column: column, offset: index)
    }
}
