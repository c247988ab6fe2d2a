/// The XML declaration, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`, allowed only
/// at the very start (after a BOM). Its parts must come in that order: a version 1.x, then
/// optionally an encoding, which must be UTF-8 (or its subset US-ASCII), then optionally
/// standalone yes or no.
enum XMLDeclaration {
    /// Steps over the declaration when the document starts with one.
    static func skip(_ cursor: inout XMLByteCursor) throws(XMLReadError) {
        let start = cursor.position
        guard cursor.skip("<?xml") else { return }
        guard cursor.skipSpace() else {
            cursor.position = start  // `<?xml-stylesheet ...?>` and the like are processing instructions
            return
        }
        try cursor.expect("version", "an XML declaration without a version")
        let version = try value(&cursor)
        guard version.count > 2, version.hasPrefix("1."), version.utf8.dropFirst(2).allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw cursor.failure("an XML version other than 1.x", at: start)
        }
        var spaced = cursor.skipSpace()
        if spaced && cursor.skip("encoding") {
            let encoding = try value(&cursor).lowercased()
            guard encoding == "utf-8" || encoding == "us-ascii" else {
                throw cursor.failure("a declared encoding other than UTF-8", at: start)
            }
            spaced = cursor.skipSpace()
        }
        if spaced && cursor.skip("standalone") {
            let standalone = try value(&cursor)
            guard standalone == "yes" || standalone == "no" else {
                throw cursor.failure("a standalone declaration other than yes or no", at: start)
            }
            cursor.skipSpace()
        }
        try cursor.expect("?>", "a malformed XML declaration")
    }

    /// `= "value"` (either quote), with white space allowed around the `=`.
    private static func value(_ cursor: inout XMLByteCursor) throws(XMLReadError) -> String {
        cursor.skipSpace()
        try cursor.expect("=", "a malformed XML declaration")
        cursor.skipSpace()
        let range: Range<Int>
        if cursor.skip("\"") {
            range = try cursor.read(upTo: "\"", "a malformed XML declaration")
        } else if cursor.skip("'") {
            range = try cursor.read(upTo: "'", "a malformed XML declaration")
        } else {
            throw cursor.failure("a malformed XML declaration")
        }
        return cursor.text(range)
    }
}
