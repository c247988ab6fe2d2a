/// Why a document could not be read, and where: a short reason of the reader's own words (never
/// text from the document) and the byte offset it stopped at.
struct XMLReadError: Error, Equatable {
    /// What was wrong, e.g. "undefined entity reference".
    let reason: String
    /// Byte offset from the start of the document (a BOM included), counting from 0.
    let offset: Int

    /// The reason with its line (counting from 1) and byte offset, for `bytes`, the document read.
    /// Lines end as XML's line-end normalization says: at CR LF, LF, or a CR alone.
    func description(in bytes: [UInt8]) -> String {
        let end = min(offset, bytes.count)
        var line = 1
        for index in 0..<end {
            switch bytes[index] {
            case UInt8(ascii: "\n"): line += 1
            case UInt8(ascii: "\r") where index + 1 >= bytes.count || bytes[index + 1] != UInt8(ascii: "\n"): line += 1
            default: break
            }
        }
        return "\(reason) at line \(line), byte \(offset)"
    }
}
