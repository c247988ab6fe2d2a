import Foundation
import Testing
import Hashing
import PreservicaSimulator

/// Every way of compressing blocks this processor has (the SHA extensions where it has them).
private let compressions = SHA256.Compression.allCases.filter(\.isAvailable)

@Suite("SHA-256 (FIPS 180-4 vectors)")
struct SHA256Tests {
    private func hex(_ text: String, _ compression: SHA256.Compression) -> String {
        Hex.encode(SHA256.hash(Array(text.utf8), compression: compression))
    }

    @Test("empty message", arguments: compressions)
    func empty(compression: SHA256.Compression) {
        #expect(hex("", compression) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test("abc", arguments: compressions)
    func abc(compression: SHA256.Compression) {
        #expect(hex("abc", compression) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test("448-bit message", arguments: compressions)
    func twoBlocks(compression: SHA256.Compression) {
        #expect(hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", compression)
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test("896-bit message", arguments: compressions)
    func longMessage(compression: SHA256.Compression) {
        let text = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"
        #expect(hex(text, compression) == "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")
    }

    @Test("one million 'a', in one piece and in odd-sized pieces", arguments: compressions)
    func millionA(compression: SHA256.Compression) {
        let expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        let message = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(Hex.encode(SHA256.hash(message, compression: compression)) == expected)

        var hasher = SHA256(compression: compression)
        var offset = 0
        var piece = 1
        while offset < message.count {
            let end = min(offset + piece, message.count)
            hasher.update(message[offset..<end])
            offset = end
            piece = piece % 97 + 1
        }
        #expect(Hex.encode(hasher.finalize()) == expected)
    }

    /// Digests of bytes `(i * 31) mod 256` for i in 0..<length (Python's hashlib): 55 bytes leave
    /// room for the length in the last block, 56 and 63 do not, 64 and 119 end a block or nearly.
    private static let boundaryDigests: [Int: String] = [
        55: "27d3069ecafb8507f92fa750312a99afe0908525e67b2abe8942b51659945b1b",
        56: "3428ab653c0a1ac104ee80fd3bed55135da5556ca4c26da9c781ae56364a6969",
        63: "b5ec25bd1c4b7c94c9ea9d235272e43f644f561d7c8c7e58ec5fa9aefe95ef07",
        64: "a08f82c23e6c13629d8e33d0d2a13005fb104363eb793b5e8842044951d27764",
        119: "b4639d08cdba917a7875088b4e05633a7812e14282482de937915c9799b17250",
    ]

    @Test("messages around the padding boundary give the known digests, whole and split", arguments: compressions)
    func paddingBoundaries(compression: SHA256.Compression) {
        for (length, expected) in Self.boundaryDigests {
            let message = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            #expect(Hex.encode(SHA256.hash(message, compression: compression)) == expected, "\(length) bytes")
            var split = SHA256(compression: compression)
            split.update(message.prefix(length / 3))
            split.update(message.dropFirst(length / 3))
            #expect(Hex.encode(split.finalize()) == expected, "\(length) bytes in two pieces")
        }
    }

    @Test("a processor with the SHA extensions uses them")
    func extensionsFound() throws {
        #if arch(x86_64) && os(Linux)
        let cpuinfo = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        let flags = cpuinfo.split(separator: "\n").first { $0.hasPrefix("flags") }?.split(separator: " ") ?? []
        #expect(SHA256.Compression.shaExtensions.isAvailable == flags.contains("sha_ni"))
        #expect(SHA256.Compression.fastest == (flags.contains("sha_ni") ? .shaExtensions : .portable))
        #endif
    }

    @Test("both compressions give the same digests for every length up to five blocks, whole and in pieces")
    func compressionsAgree() {
        // Seeded, so a failure names its inputs and happens again.
        var generator = SeededGenerator(seed: 0x5348_4132_3536)
        for length in 0...320 {
            let message = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            var digests: [[UInt8]] = []
            for compression in compressions {
                digests.append(SHA256.hash(message, compression: compression))
                var pieces = SHA256(compression: compression)
                var offset = 0
                while offset < length {
                    let end = min(length, offset + Int.random(in: 1...130, using: &generator))
                    pieces.update(message[offset..<end])
                    offset = end
                }
                digests.append(pieces.finalize())
            }
            #expect(Set(digests).count == 1, "length \(length), seed 0x534841323536")
        }
    }
}
