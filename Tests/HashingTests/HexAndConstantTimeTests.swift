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
