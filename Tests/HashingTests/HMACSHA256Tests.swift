import Testing
import Hashing

@Suite("HMAC-SHA256 (RFC 4231) and Preservica's known answers")
struct HMACSHA256Tests {
    private func mac(_ key: [UInt8], _ message: [UInt8]) -> String {
        Hex.encode(HMACSHA256.authenticationCode(key: key, message: message))
    }

    @Test("RFC 4231 test case 1")
    func case1() {
        #expect(mac([UInt8](repeating: 0x0b, count: 20), Array("Hi There".utf8))
            == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
    }

    @Test("RFC 4231 test case 2: a key shorter than the output")
    func case2() {
        #expect(mac(Array("Jefe".utf8), Array("what do ya want for nothing?".utf8))
            == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test("RFC 4231 test case 3")
    func case3() {
        #expect(mac([UInt8](repeating: 0xaa, count: 20), [UInt8](repeating: 0xdd, count: 50))
            == "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe")
    }

    @Test("RFC 4231 test case 4")
    func case4() {
        #expect(mac(Array(1...25), [UInt8](repeating: 0xcd, count: 50))
            == "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b")
    }

    @Test("RFC 4231 test case 5: output truncated to 128 bits")
    func case5() {
        #expect(mac([UInt8](repeating: 0x0c, count: 20), Array("Test With Truncation".utf8)).prefix(32)
            == "a3b6167473100ee06e0c796c2955552b")
    }

    @Test("RFC 4231 test case 6: a key longer than one block is hashed first")
    func case6() {
        #expect(mac([UInt8](repeating: 0xaa, count: 131),
                    Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8))
            == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    @Test("RFC 4231 test case 7: long key and long data")
    func case7() {
        let data = "This is a test using a larger than block-size key and a larger than block-size data. "
            + "The key needs to be hashed before being used by the HMAC algorithm."
        #expect(mac([UInt8](repeating: 0xaa, count: 131), Array(data.utf8))
            == "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2")
    }

    @Test("Preservica challenge handshake known answer (reference §1.4)")
    func preservicaChallenge() {
        #expect(mac(Array("my_shared_secret".utf8), Array("3d5e1a2b-challenge-code".utf8))
            == "bec76516293689fb033aec7858515880f7a949890d73a45e4029b0fc5f43ef86")
    }

    @Test("Preservica event signature known answer (reference §1.5)")
    func preservicaEvent() {
        let body = #"{"subscriptionId":"9495ddbf7d4a0b9f030a3411c87f967d","timestamp":"2023-10-11T10:52:42.469","tenant":"BRAMA","version":"6.10","events":[{"event":"FullTextIndexed","entityType":"IO","entityRef":"7fdea7e0-1e72-4fb1-aadb-d7f9ee6ed8c2","identifiers":[]}],"trigger":"FULL_TEXT_INDEXED"}"#
        #expect(body.utf8.count == 280)
        #expect(mac(Array("my_shared_secret".utf8), Array(("preservica-webhook-auth" + body).utf8))
            == "9164ce2a553feae08e0f6064a84a8311c6672b550ba7db82c138876854ab74cf")
    }
}
