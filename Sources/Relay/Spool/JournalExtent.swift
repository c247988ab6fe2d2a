/// Where one record lies in the incoming journal: its segment file and the bytes it covers.
public struct JournalExtent: Sendable, Equatable {
    /// The segment's number (`journal-000001.log` is 1).
    public var segment: Int
    /// The offset of the record's header line.
    public var start: UInt64
    /// The offset just past the record's last newline.
    public var end: UInt64

    public init(segment: Int, start: UInt64, end: UInt64) {
        self.segment = segment
        self.start = start
        self.end = end
    }
}
