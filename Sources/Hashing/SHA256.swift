import CSHA256Kernel

/// SHA-256 (FIPS 180-4), streaming.
///
/// Blocks are compressed in Swift, or with the processor's SHA instructions where it has them
/// (x86-64 SHA-NI, about five times faster; `bench/hmac.sh` measures both). Neither needs a system
/// library, so the relay builds wherever the Swift toolchain does.
public struct SHA256: Sendable {
    /// How blocks are compressed.
    public enum Compression: Sendable, CaseIterable {
        /// FIPS 180-4 in Swift: every processor.
        case portable
        /// The x86 SHA extensions, through a C kernel of compiler intrinsics.
        case shaExtensions

        /// Whether this processor can use it.
        public var isAvailable: Bool {
            switch self {
            case .portable: true
            case .shaExtensions: Self.processorHasSHAExtensions
            }
        }

        private static let processorHasSHAExtensions = csha256_kernel_available() == 1

        /// The fastest this processor has; what ``SHA256/init()`` uses.
        public static let fastest: Compression = processorHasSHAExtensions ? .shaExtensions : .portable
    }

    /// Size of one digest in bytes.
    public static let digestByteCount = 32
    /// Size of one compression block in bytes.
    public static let blockByteCount = 64

    private var state: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (
        0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19
    )
    /// Bytes of an unfinished block, in place (no allocation per hash), and how many there are.
    private var pending: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
    private var pendingCount = 0
    private var totalByteCount: UInt64 = 0
    private let compression: Compression

    /// Starts a new hash, compressed the fastest way this processor has.
    public init() {
        self.init(compression: .fastest)
    }

    /// Starts a new hash compressed with `compression`, which must be available.
    public init(compression: Compression) {
        precondition(compression.isAvailable, "SHA-256 compression \(compression) is not available on this processor")
        self.compression = compression
    }

    /// The digest of `bytes` in one call.
    public static func hash<Bytes: Sequence>(_ bytes: Bytes, compression: Compression = .fastest) -> [UInt8] where Bytes.Element == UInt8 {
        var hasher = SHA256(compression: compression)
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// Feeds more message bytes.
    public mutating func update<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        let handled: Bool? = bytes.withContiguousStorageIfAvailable { buffer in
            update(buffer: UnsafeRawBufferPointer(buffer))
            return true
        }
        if handled == nil {
            let copy = Array(bytes)
            copy.withUnsafeBytes { update(buffer: $0) }
        }
    }

    /// Feeds more message bytes from raw memory.
    public mutating func update(buffer: UnsafeRawBufferPointer) {
        totalByteCount &+= UInt64(buffer.count)
        var offset = 0
        if pendingCount > 0 {
            offset = min(Self.blockByteCount - pendingCount, buffer.count)
            appendPending(UnsafeRawBufferPointer(rebasing: buffer[0..<offset]))
            if pendingCount == Self.blockByteCount { compressPending() }
        }
        guard let base = buffer.baseAddress else { return }
        let blocks = (buffer.count - offset) / Self.blockByteCount
        if blocks > 0 {
            compress(base + offset, blocks: blocks)
            offset += blocks * Self.blockByteCount
        }
        if offset < buffer.count {
            appendPending(UnsafeRawBufferPointer(rebasing: buffer[offset...]))
        }
    }

    /// Pads the message and returns the 32-byte digest.
    public consuming func finalize() -> [UInt8] {
        let bitLength = totalByteCount &* 8
        var marker: UInt8 = 0x80
        withUnsafeBytes(of: &marker) { appendPending($0) }
        if pendingCount > Self.blockByteCount - 8 {
            zeroPendingTail()
            compressPending()
        }
        zeroPendingTail()
        pending.7 = bitLength.bigEndian
        compressPending()
        // The state's words, big-endian, are the digest.
        var words = state
        return withUnsafeMutableBytes(of: &words) { raw in
            for offset in stride(from: 0, to: Self.digestByteCount, by: 4) {
                raw.storeBytes(of: raw.load(fromByteOffset: offset, as: UInt32.self).bigEndian, toByteOffset: offset, as: UInt32.self)
            }
            return Array(raw)
        }
    }

    private mutating func appendPending(_ bytes: UnsafeRawBufferPointer) {
        let count = pendingCount
        withUnsafeMutableBytes(of: &pending) { block in
            UnsafeMutableRawBufferPointer(rebasing: block[count..<count + bytes.count]).copyMemory(from: bytes)
        }
        pendingCount += bytes.count
    }

    /// Zeroes the pending block after its bytes, up to its end.
    private mutating func zeroPendingTail() {
        let count = pendingCount
        withUnsafeMutableBytes(of: &pending) { block in
            for index in count..<block.count { block[index] = 0 }
        }
        pendingCount = Self.blockByteCount
    }

    private mutating func compressPending() {
        var block = pending
        withUnsafeBytes(of: &block) { compress($0.baseAddress!, blocks: 1) }
        pendingCount = 0
    }

    @inline(__always)
    private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }

    private mutating func compress(_ start: UnsafeRawPointer, blocks: Int) {
        switch compression {
        case .shaExtensions:
            Self.roundConstants.withUnsafeBufferPointer { constants in
                withUnsafeMutableBytes(of: &state) { words in
                    csha256_kernel_compress(words.baseAddress!.assumingMemoryBound(to: UInt32.self),
                                            start.assumingMemoryBound(to: UInt8.self), blocks, constants.baseAddress!)
                }
            }
        case .portable:
            for index in 0..<blocks { compressPortably(start + index * Self.blockByteCount) }
        }
    }

    private mutating func compressPortably(_ block: UnsafeRawPointer) {
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
            for i in 0..<16 {
                let p = block + i * 4
                w[i] = UInt32(p.load(fromByteOffset: 0, as: UInt8.self)) << 24
                    | UInt32(p.load(fromByteOffset: 1, as: UInt8.self)) << 16
                    | UInt32(p.load(fromByteOffset: 2, as: UInt8.self)) << 8
                    | UInt32(p.load(fromByteOffset: 3, as: UInt8.self))
            }
            for i in 16..<64 {
                let s0 = Self.rotr(w[i - 15], 7) ^ Self.rotr(w[i - 15], 18) ^ (w[i - 15] >> 3)
                let s1 = Self.rotr(w[i - 2], 17) ^ Self.rotr(w[i - 2], 19) ^ (w[i - 2] >> 10)
                w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
            }
            var (a, b, c, d, e, f, g, h) = state
            for i in 0..<64 {
                let s1 = Self.rotr(e, 6) ^ Self.rotr(e, 11) ^ Self.rotr(e, 25)
                let choice = (e & f) ^ (~e & g)
                let t1 = h &+ s1 &+ choice &+ Self.roundConstants[i] &+ w[i]
                let s0 = Self.rotr(a, 2) ^ Self.rotr(a, 13) ^ Self.rotr(a, 22)
                let majority = (a & b) ^ (a & c) ^ (b & c)
                let t2 = s0 &+ majority
                h = g; g = f; f = e; e = d &+ t1
                d = c; c = b; b = a; a = t1 &+ t2
            }
            state = (
                state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d,
                state.4 &+ e, state.5 &+ f, state.6 &+ g, state.7 &+ h
            )
        }
    }

    private static let roundConstants: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]
}
