/// Size limits the parser enforces while bytes arrive.
public struct HTTPParserLimits: Sendable, Equatable {
    /// Largest request line plus header block, CRLFs included (over it: 431).
    public var maxHeaderBytes: Int
    /// Largest body after de-chunking (over it: 413).
    public var maxBodyBytes: Int
    /// Most header fields in one request (over it: 431).
    public var maxHeaderCount: Int
    /// Longest chunk-size line, extensions included (over it: 400).
    public var maxChunkLineBytes: Int

    /// Creates limits; the defaults suit a webhook receiver.
    public init(maxHeaderBytes: Int = 16_384, maxBodyBytes: Int = 1_048_576,
                maxHeaderCount: Int = 100, maxChunkLineBytes: Int = 4_096) {
        self.maxHeaderBytes = maxHeaderBytes
        self.maxBodyBytes = maxBodyBytes
        self.maxHeaderCount = maxHeaderCount
        self.maxChunkLineBytes = maxChunkLineBytes
    }
}
