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
}
