import Foundation

/// `<dataDir>/incoming/catch-up-since`: the time a `catchUp.onStart` catches up from, written
/// before it starts and removed once it has gone through. A start that finds it catches up from
/// there, whatever was received or recorded since: a catch-up that failed, or was stopped, loses
/// no gap.
enum PendingCatchUp {
    static func path(_ dataDirectory: String) -> String { dataDirectory + "/incoming/catch-up-since" }

    /// The time of a catch-up that has not gone through, or nil.
    static func read(_ dataDirectory: String) -> String? {
        LastRunning.readTime(path(dataDirectory))
    }

    /// Notes that a catch-up from `since` is under way.
    static func record(_ dataDirectory: String, since: String) throws(SpoolError) {
        try SpoolFiles.replace(path(dataDirectory), with: Array((since + "\n").utf8))
    }

    /// The catch-up went through.
    static func clear(_ dataDirectory: String) {
        SpoolFiles.remove(path(dataDirectory))
    }
}
