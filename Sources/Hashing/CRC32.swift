/// CRC-32 (IEEE 802.3, the zlib/PNG polynomial), for detecting torn or damaged records on disk.
/// Not a security check: use ``HMACSHA256`` for that.
///
/// Slicing-by-8: eight 256-entry tables let one step take eight bytes, which is several times
/// faster than a byte at a time. The receiver checksums every record it spools and the worker
/// every record it reads back.
public enum CRC32 {
    /// `tables[k * 256 + b]`: the CRC of byte `b` followed by `k` zero bytes.
    private static let tables: [UInt32] = {
        var tables = [UInt32](repeating: 0, count: 8 * 256)
        for value in 0..<256 {
            var crc = UInt32(value)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xedb8_8320 : crc >> 1 }
            tables[value] = crc
        }
        for value in 0..<256 {
            for slice in 1..<8 {
                let previous = tables[(slice - 1) * 256 + value]
                tables[slice * 256 + value] = tables[Int(previous & 0xff)] ^ (previous >> 8)
            }
        }
        return tables
    }()

    /// The CRC of `bytes`, continuing from `previous` (the CRC of the bytes before them).
    public static func checksum<Bytes: Sequence>(_ bytes: Bytes, continuing previous: UInt32 = 0) -> UInt32 where Bytes.Element == UInt8 {
        tables.withUnsafeBufferPointer { table in
            let done: UInt32? = bytes.withContiguousStorageIfAvailable { buffer in
                update(~previous, buffer, table)
            }
            if let done { return ~done }
            return ~Array(bytes).withUnsafeBufferPointer { update(~previous, $0, table) }
        }
    }

    /// Byte at a time for the tail, eight at a time before it.
    @inline(__always)
    private static func update(_ start: UInt32, _ buffer: UnsafeBufferPointer<UInt8>, _ table: UnsafeBufferPointer<UInt32>) -> UInt32 {
        var crc = start
        var index = 0
        let count = buffer.count
        while index + 8 <= count {
            let low = crc ^ (UInt32(buffer[index]) | UInt32(buffer[index + 1]) << 8
                | UInt32(buffer[index + 2]) << 16 | UInt32(buffer[index + 3]) << 24)
            crc = table[7 * 256 + Int(low & 0xff)] ^ table[6 * 256 + Int((low >> 8) & 0xff)]
                ^ table[5 * 256 + Int((low >> 16) & 0xff)] ^ table[4 * 256 + Int(low >> 24)]
                ^ table[3 * 256 + Int(buffer[index + 4])] ^ table[2 * 256 + Int(buffer[index + 5])]
                ^ table[256 + Int(buffer[index + 6])] ^ table[Int(buffer[index + 7])]
            index += 8
        }
        while index < count {
            crc = table[Int((crc ^ UInt32(buffer[index])) & 0xff)] ^ (crc >> 8)
            index += 1
        }
        return crc
    }
}
