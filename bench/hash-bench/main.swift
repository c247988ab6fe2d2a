// Driver for bench/hmac.sh: verifies a signature as the receiver does for every notification
// (HMAC-SHA256 of "preservica-webhook-auth" and a body of about 1 KiB, under a prepared key), and
// hashes 64 MiB, with each block compression this processor has. Prints the time per HMAC and the
// hashing rate, and an XOR of the digests' first bytes so the work cannot be left out.
import Glibc
import Hashing

func now() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

let prefix = Array("preservica-webhook-auth".utf8)
let body = Array(repeating: Array(#"{"event":"FullTextIndexed","entityType":"IO","entityRef":"7fdea7e0"},"#.utf8), count: 15)
    .joined().prefix(1024)
let bodyBytes = Array(body)
let bulk = [UInt8](repeating: 0x61, count: 1 << 20)
var sink: UInt8 = 0
for compression in SHA256.Compression.allCases where compression.isAvailable {
    let key = HMACSHA256(key: Array("bench-secret".utf8), compression: compression)
    let rounds = 200_000
    var start = now()
    for _ in 0..<rounds {
        let code = prefix.withUnsafeBytes { first in
            bodyBytes.withUnsafeBytes { second in key.authenticationCode(parts: [first, second]) }
        }
        sink ^= code[0]
    }
    let perHMAC = (now() - start) / Double(rounds) * 1e9
    start = now()
    var hasher = SHA256(compression: compression)
    for _ in 0..<64 { hasher.update(bulk) }
    sink ^= hasher.finalize()[0]
    let rate = 64 / (now() - start)
    print("\(compression): body_bytes=\(bodyBytes.count) ns_per_hmac=\(Int(perHMAC)) sha256_mib_per_s=\(Int(rate)) xor=\(sink)")
}
