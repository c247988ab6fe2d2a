import Foundation
import JSON

/// The cards a digest channel is gathering for one trigger: `outbox/<channel>/digest-<TRIGGER>.jsonl`, one JSON line per
/// asset (its single-card model and where it came from), appended and fsync'd before the pipeline
/// moves on, so a restart loses nothing. When the window has passed since the first line, the
/// deliverer turns the file into one digest job, or into single cards when there were few.
struct DigestBuffer: Sendable {
    /// One gathered asset.
    struct Item: Sendable {
        var sequence: UInt64
        var eventIndex: Int
        var receivedMs: Int64
        var model: JSONValue
    }

    let path: String

    init(outbox: String, channel: String, trigger: String) {
        // The trigger comes from the notification: only its letters, digits and '_' make the name.
        let safe = String(trigger.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") }
            .prefix(64).map(Character.init))
        path = outbox + "/" + channel + "/digest-" + (safe.isEmpty ? "OTHER" : safe) + ".jsonl"
    }

    init(path: String) {
        self.path = path
    }

    /// The buffers of `channel`, one per trigger that has gathered something.
    static func all(outbox: String, channel: String) -> [DigestBuffer] {
        let directory = outbox + "/" + channel
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasPrefix("digest-") && $0.hasSuffix(".jsonl") }.sorted().map { DigestBuffer(path: directory + "/" + $0) }
    }

    /// Appends items durably.
    func append(_ items: [Item]) throws(SpoolError) {
        guard !items.isEmpty else { return }
        var bytes: [UInt8] = []
        for item in items {
            bytes += JSONWriter.bytes(.object(JSONObject([
                ("seq", .number(Double(item.sequence))), ("event", .number(Double(item.eventIndex))),
                ("receivedMs", .number(Double(item.receivedMs))), ("model", item.model),
            ]))) + [0x0a]
        }
        try SpoolFiles.append(path, bytes)
    }

    /// What reading the buffer found.
    enum Read {
        /// The gathered items (none when there is no buffer), and how many whole lines could not be
        /// read (a piece a crash cut short, which a later append ended with a line break, or damage).
        case items([Item], skipped: Int)
        /// It could not be opened now (out of file descriptors): try again later.
        case unavailable
        /// It holds no line that can be read (damaged on disk, written by something else), or it
        /// cannot be read at all (a directory in its place): never emptied as if it held nothing.
        case damaged
    }

    /// Every gathered item, oldest first; nothing when the buffer cannot be read (see ``read()``).
    func items() -> [Item] {
        if case .items(let items, _) = read() { return items }
        return []
    }

    /// Every gathered item, oldest first (a line torn by a crash is skipped). An event gathered
    /// twice, because its notification was planned again after a restart, counts once, with its
    /// latest model but its first arrival: the window runs from when it was first gathered, as
    /// the first line (``firstReceivedMs()``) says.
    func read() -> Read {
        let data: [UInt8]
        switch SpoolFiles.read(path) {
        case .missing: return .items([], skipped: 0)
        case .unavailable: return .unavailable
        case .unreadable: return .damaged
        case .bytes(let bytes): data = bytes
        }
        var items: [Item] = []
        var position: [EventKey: Int] = [:]
        var skipped = 0
        let lines = data.split(separator: 0x0a)
        for (number, line) in lines.enumerated() {
            guard let object = (try? JSONParser.parse(Array(line)))?.objectValue, let model = object["model"] else {
                // The last piece without a line break is a write a crash cut short (its
                // notification is planned again); so are zeros a power cut left.
                let torn = number == lines.count - 1 && data.last != 0x0a
                if !torn && line.contains(where: { $0 != 0 }) { skipped += 1 }
                continue
            }
            let item = Item(sequence: UInt64(max(0, object["seq"]?.int64Value ?? 0)), eventIndex: Int(object["event"]?.int64Value ?? 0),
                            receivedMs: object["receivedMs"]?.int64Value ?? 0, model: model)
            let key = EventKey(sequence: item.sequence, eventIndex: item.eventIndex)
            if let earlier = position[key] {
                items[earlier].model = item.model
            } else {
                position[key] = items.count
                items.append(item)
            }
        }
        // Whole lines there, none of them readable: not a buffer this relay can fold.
        if items.isEmpty && skipped > 0 { return .damaged }
        return .items(items, skipped: skipped)
    }

    /// One event of one notification.
    private struct EventKey: Hashable {
        var sequence: UInt64
        var eventIndex: Int
    }

    /// When the first gathered asset arrived (ms since 1970), reading only the first line: the
    /// deliverer asks this on every turn of its loop.
    func firstReceivedMs() -> Int64? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var line = Data()
        while let chunk = try? handle.read(upToCount: 65_536), !chunk.isEmpty {
            if let newline = chunk.firstIndex(of: 0x0a) {
                line.append(chunk[chunk.startIndex..<newline])
                break
            }
            line.append(chunk)
        }
        guard let object = (try? JSONParser.parse(Array(line)))?.objectValue, let ms = object["receivedMs"]?.int64Value else {
            // A first line torn by a crash: fall back to the first whole line. A buffer with none
            // is due at once, so that the flush moves it aside rather than it waiting unseen.
            switch read() {
            case .items(let items, _): return items.first?.receivedMs
            case .damaged: return 0
            case .unavailable: return nil
            }
        }
        return ms
    }

    /// Empties the buffer (after its jobs were written).
    func clear() {
        unlink(path)
    }
}
