import Foundation

/// How much is waiting (or was refused) in each part of the spool, for `preservica-relay queue` and the status page.
public struct SpoolCounts: Sendable, Equatable {
    /// Notifications in `incoming/` not yet taken by the pipeline.
    public var incoming: Int
    /// Delivery jobs waiting in `outbox/`.
    public var outbox: Int
    /// Jobs that failed for good in `dead/`.
    public var dead: Int
    /// Signed bodies that were not notifications, kept in `refused/`.
    public var refused: Int = 0

    /// Counts the spool under `dataDirectory` by reading it (safe while the relay runs).
    public static func read(dataDirectory: String) -> SpoolCounts {
        let incomingDirectory = dataDirectory + "/incoming"
        // Unreadable: everything in the journal is counted as waiting, which is what `serve` would refuse to assume.
        let processed = (try? IncomingCursor(directory: incomingDirectory).read()) ?? 0
        let incoming = IncomingJournal.readRecords(directory: incomingDirectory).filter { $0.sequence > processed }.count
        return SpoolCounts(incoming: incoming, outbox: jobFiles(dataDirectory + "/outbox"), dead: jobFiles(dataDirectory + "/dead"),
                           refused: RefusedNotifications(dataDirectory: dataDirectory).count)
    }

    /// Jobs waiting in `<dataDir>/outbox` (without reading the journal).
    public static func outbox(dataDirectory: String) -> Int { jobFiles(dataDirectory + "/outbox") }

    /// Jobs in `<dataDir>/dead`.
    public static func dead(dataDirectory: String) -> Int { jobFiles(dataDirectory + "/dead") }

    /// Job files in the channel subdirectories of `directory` (gathered digest lines count too).
    private static func jobFiles(_ directory: String) -> Int {
        let channels = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return channels.reduce(0) { total, channel in
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory + "/" + channel)) ?? []
            let gathered = names.filter { $0.hasPrefix("digest-") && $0.hasSuffix(".jsonl") }.reduce(0) { count, name in
                count + (FileManager.default.contents(atPath: directory + "/" + channel + "/" + name)?.filter { $0 == 0x0a }.count ?? 0)
            }
            return total + names.filter { $0.hasSuffix(".json") }.count + gathered
        }
    }
}
