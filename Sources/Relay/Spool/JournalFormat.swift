import Hashing
import JSON

/// The on-disk form of one incoming record: a header line, the metadata JSON, the raw body.
///
/// ```
/// PRJ1 <sequence> <metadata bytes> <body bytes> <crc32 of metadata+body, 8 hex digits>\n
/// {"receivedAt":"…","peer":"…","secretIndex":0,…}\n
/// <raw body>\n
/// ```
/// The checksum lets recovery tell a torn tail (a crash mid-write) or a damaged block from a whole
/// record; an operator can still read the file with `less`.
enum JournalFormat {
    static let magic = "PRJ1"
    private static let maxHeaderLength = 200

    /// The metadata and body bytes with their checksum, computed before entering the writer.
    struct Payload: Sendable {
        var metadata: [UInt8]
        var body: [UInt8]
        var checksum: String

        init(metadata: ReceiptMetadata, body: [UInt8]) {
            self.metadata = metadata.jsonBytes
            self.body = body
            checksum = JournalFormat.checksum(self.metadata, body)
        }

        /// Appends the record with `sequence` to `out`.
        func encode(sequence: UInt64, into out: inout [UInt8]) {
            out.append(contentsOf: "\(JournalFormat.magic) \(sequence) \(metadata.count) \(body.count) \(checksum)\n".utf8)
            out.append(contentsOf: metadata)
            out.append(0x0a)
            out.append(contentsOf: body)
            out.append(0x0a)
        }
    }

    /// Every whole record at the start of `bytes`, and how many bytes they cover. Anything after
    /// that length is a torn or damaged tail.
    static func decode(_ bytes: [UInt8]) -> (records: [JournalRecord], goodLength: Int) {
        let decoded = decodeWithEnds(bytes)
        return (decoded.map(\.record), decoded.last?.end ?? 0)
    }

    /// What a segment holds, read past damage: every whole record with where it starts and ends,
    /// the damaged stretches between records (a flipped block, not a torn tail), and where the last
    /// whole record ends (after it: reserved zeros, a torn tail, or nothing).
    struct Scan {
        var records: [(record: JournalRecord, start: Int, end: Int)] = []
        var damaged: [Range<Int>] = []
        var end = 0
    }

    /// Reads `bytes` as ``decodeWithEnds(_:from:)`` does, and where a record cannot be read, goes on
    /// from the next whole record after it, if there is one: a damaged record in the middle of a
    /// segment must not take the acknowledged records after it with it. A stretch with no whole
    /// record after it is the tail.
    static func scan(_ bytes: [UInt8]) -> Scan {
        var scan = Scan()
        var offset = 0
        while offset < bytes.count {
            var start = offset
            for decoded in decodeWithEnds(bytes, from: offset) {
                scan.records.append((decoded.record, start, decoded.end))
                start = decoded.end
            }
            offset = start
            scan.end = scan.records.last?.end ?? 0
            guard offset < bytes.count, let next = nextRecord(in: bytes, after: offset) else { break }
            scan.damaged.append(offset..<next)
            offset = next
        }
        return scan
    }

    /// Where the next whole record after `offset` starts: a header line with its magic whose
    /// record's checksum holds (a body that happens to hold the magic does not pass).
    private static func nextRecord(in bytes: [UInt8], after offset: Int) -> Int? {
        let magic = Array((Self.magic + " ").utf8)
        var at = offset + 1
        while at + magic.count <= bytes.count {
            guard let found = bytes[at...].firstIndex(of: magic[0]) else { return nil }
            if found + magic.count <= bytes.count, bytes[found..<(found + magic.count)].elementsEqual(magic),
               !decodeWithEnds(bytes, from: found, limit: 1).isEmpty {
                return found
            }
            at = found + 1
        }
        return nil
    }

    /// Every whole record at the start of `bytes` (from `start`, at most `limit`), each with the offset just past it.
    static func decodeWithEnds(_ bytes: [UInt8], from start: Int = 0, limit: Int = .max) -> [(record: JournalRecord, end: Int)] {
        var records: [(record: JournalRecord, end: Int)] = []
        var offset = start
        while offset < bytes.count && records.count < limit {
            guard let header = header(bytes, at: offset) else { break }
            let metadataStart = header.end
            let bodyStart = metadataStart + header.metadataLength + 1
            let end = bodyStart + header.bodyLength + 1
            guard end <= bytes.count, bytes[bodyStart - 1] == 0x0a, bytes[end - 1] == 0x0a else { break }
            let metadataBytes = Array(bytes[metadataStart..<(bodyStart - 1)])
            let bodyBytes = bytes[bodyStart..<(end - 1)]
            guard checksum(metadataBytes, bodyBytes) == header.checksum,
                  let json = try? JSONParser.parse(metadataBytes), let metadata = ReceiptMetadata(json: json)
            else { break }
            records.append((JournalRecord(sequence: header.sequence, metadata: metadata, body: Array(bodyBytes)), end))
            offset = end
        }
        return records
    }

    /// A record's header line: what it announces, and the offset just past its newline.
    struct Header {
        var sequence: UInt64
        var metadataLength: Int
        var bodyLength: Int
        var checksum: String
        var end: Int
    }

    /// The header line starting at `offset`, if one is there whole.
    static func header(_ bytes: [UInt8], at offset: Int) -> Header? {
        let searchEnd = min(bytes.count, offset + maxHeaderLength)
        guard offset < searchEnd, let newline = bytes[offset..<searchEnd].firstIndex(of: 0x0a) else { return nil }
        let fields = String(decoding: bytes[offset..<newline], as: UTF8.self).split(separator: " ")
        guard fields.count == 5, fields[0] == magic, let sequence = UInt64(fields[1]),
              let metadataLength = Int(fields[2]), let bodyLength = Int(fields[3]),
              // No record is longer than what follows its header: a damaged or stray header with a
              // length near Int.max must not overflow the arithmetic that locates its end.
              metadataLength >= 0, bodyLength >= 0, metadataLength <= bytes.count, bodyLength <= bytes.count else { return nil }
        return Header(sequence: sequence, metadataLength: metadataLength, bodyLength: bodyLength,
                      checksum: String(fields[4]), end: newline + 1)
    }

    /// CRC-32 of metadata then body, as 8 lowercase hex digits.
    static func checksum(_ metadata: [UInt8], _ body: some Collection<UInt8>) -> String {
        let crc = CRC32.checksum(Array(body), continuing: CRC32.checksum(metadata))
        let text = String(crc, radix: 16)
        return String(repeating: "0", count: 8 - text.count) + text
    }
}
