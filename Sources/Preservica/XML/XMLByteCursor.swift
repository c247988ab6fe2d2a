/// A position in a document's bytes and the small reads the grammar shares: literals, white
/// space, names, and searches for a terminator. The bytes have passed ``XMLCharacterCheck``, so
/// every multi-byte sequence met here is well-formed UTF-8.
struct XMLByteCursor {
    let bytes: [UInt8]
    /// The offset of the next byte to read.
    var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { position >= bytes.count }

    /// The next byte, nil at the end.
    var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    /// An error at the current position, or at `offset`.
    func failure(_ reason: String, at offset: Int? = nil) -> XMLReadError {
        XMLReadError(reason: reason, offset: offset ?? position)
    }

    /// Whether the bytes at the current position are `literal`.
    func isAt(_ literal: StaticString) -> Bool {
        literal.withUTF8Buffer { literal in
            guard bytes.count - position >= literal.count else { return false }
            for index in 0..<literal.count where bytes[position + index] != literal[index] { return false }
            return true
        }
    }

    /// Steps over `literal` when it comes next; says whether it did.
    mutating func skip(_ literal: StaticString) -> Bool {
        guard isAt(literal) else { return false }
        position += literal.utf8CodeUnitCount
        return true
    }

    /// Steps over `literal`, or throws `reason`.
    mutating func expect(_ literal: StaticString, _ reason: String) throws(XMLReadError) {
        guard skip(literal) else { throw failure(reason) }
    }

    /// Steps over white space; says whether there was any.
    @discardableResult
    mutating func skipSpace() -> Bool {
        let start = position
        while position < bytes.count && XMLNameCharacters.isSpace(bytes[position]) { position += 1 }
        return position > start
    }

    /// Finds `terminator` from the current position, steps past it, and returns the range before
    /// it; when the document ends first, throws `reason` at `offset` (the current position if nil).
    mutating func read(upTo terminator: StaticString, _ reason: String, at offset: Int? = nil) throws(XMLReadError) -> Range<Int> {
        let start = position
        let found: Int? = terminator.withUTF8Buffer { terminator in
            var index = start
            while index + terminator.count <= bytes.count {
                if bytes[index] == terminator[0] && bytes[index..<(index + terminator.count)].elementsEqual(terminator) {
                    return index
                }
                index += 1
            }
            return nil
        }
        guard let found else { throw failure(reason, at: offset ?? start) }
        position = found + terminator.utf8CodeUnitCount
        return start..<found
    }

    /// Reads a name with at most one colon, which splits a prefix from the local name; both parts
    /// must be XML names (`NCName`). Throws `reason` when no name starts here.
    mutating func readQualifiedName(_ reason: String) throws(XMLReadError) -> XMLQualifiedName {
        let start = position
        var colon: Int?
        var partStart = true
        while let (value, length) = scalar() {
            if value == 0x3A {  // ":"
                guard colon == nil, !partStart else { throw failure("a name with a misplaced colon") }
                colon = position
                partStart = true
            } else if partStart ? XMLNameCharacters.isNameStart(value) : XMLNameCharacters.isName(value) {
                partStart = false
            } else {
                break
            }
            position += length
        }
        guard position > start else { throw failure(reason) }
        guard !partStart else { throw failure("a name with a misplaced colon") }
        guard let colon else { return XMLQualifiedName(prefix: nil, local: text(start..<position)) }
        return XMLQualifiedName(prefix: text(start..<colon), local: text((colon + 1)..<position))
    }

    /// The bytes in `range` as a string.
    func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }

    /// The code point at the current position and its length in bytes, nil at the end.
    private func scalar() -> (UInt32, Int)? {
        guard position < bytes.count else { return nil }
        let lead = bytes[position]
        if lead < 0x80 { return (UInt32(lead), 1) }
        let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
        var value = UInt32(lead) & (length == 4 ? 0x07 : length == 3 ? 0x0F : 0x1F)
        for index in 1..<length { value = value << 6 | UInt32(bytes[position + index] & 0x3F) }
        return (value, length)
    }
}
