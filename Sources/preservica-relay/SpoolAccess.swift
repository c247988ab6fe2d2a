import Foundation

/// The operator's commands read the spool of a relay that may be running as another user: a data
/// directory they cannot read must be an error (exit 1), never an all-clear such as "No dead
/// letters." from an empty listing.
enum SpoolAccess {
    /// Nil when `dataDirectory` can be read, or does not exist yet (a relay that never ran has
    /// nothing queued); otherwise says why, for the command to print.
    static func problem(_ dataDirectory: String, command: String) -> String? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dataDirectory, isDirectory: &isDirectory) else { return nil }
        guard isDirectory.boolValue, access(dataDirectory, R_OK | X_OK) == 0 else {
            return "\(command): cannot read the spool \(dataDirectory) (run as the relay's user, e.g. with sudo -u)"
        }
        return nil
    }
}
