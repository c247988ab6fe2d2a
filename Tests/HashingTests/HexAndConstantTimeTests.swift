import Testing
import Hashing

@Suite("Hex and constant-time comparison")
struct HexAndConstantTimeTests {
    @Test("hex encodes lowercase and decodes either case")
    func roundTrip() {
        #expect(Hex.encode([0x00, 0xab, 0xff]) == "00abff")
        #expect(Hex.decode("00ABff") == [0x00, 0xab, 0xff])
    }

    @Test("hex decoding rejects odd lengths and non-hex characters", arguments: ["abc", "zz", "0x12", " 1", "+1"])
    func rejects(text: String) {
        #expect(Hex.decode(text) == nil)
    }

    @Test("constant-time equality")
    func equality() {
        #expect(ConstantTime.equals([1, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2, 4]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2]))
        #expect(ConstantTime.equals([UInt8](), [UInt8]()))
    }
}

@Suite("CRC-32")
struct CRC32Tests {
    @Test("the standard check value of \"123456789\"")
    func checkValue() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xcbf4_3926)
    }

    @Test("continuing over pieces equals the whole")
    func pieces() {
        let whole = Array("The quick brown fox jumps over the lazy dog".utf8)
        #expect(CRC32.checksum(whole) == 0x414f_a339)
        #expect(CRC32.checksum(whole[10...], continuing: CRC32.checksum(whole[..<10])) == CRC32.checksum(whole))
    }

    /// The definition, one bit at a time: what the eight-bytes-a-time tables must reproduce.
    private func bitwise(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xffff_ffff
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xedb8_8320 : crc >> 1 }
        }
        return ~crc
    }

    @Test("every length from 0 to 70 and every split agree with the bitwise definition")
    func lengthsAndSplits() {
        var state: UInt32 = 0x9e37_79b9
        let bytes: [UInt8] = (0..<70).map { _ in
            state = state &* 1_664_525 &+ 1_013_904_223
            return UInt8(truncatingIfNeeded: state >> 24)
        }
        for length in 0...bytes.count {
            let part = Array(bytes[..<length])
            let expected = bitwise(part)
            #expect(CRC32.checksum(part) == expected, "length \(length)")
            #expect(CRC32.checksum(part.lazy.map { $0 }) == expected, "length \(length), not contiguous")
            for split in stride(from: 0, through: length, by: 3) {
                #expect(CRC32.checksum(part[split...], continuing: CRC32.checksum(part[..<split])) == expected,
                        "length \(length) split at \(split)")
            }
        }
    }
}
