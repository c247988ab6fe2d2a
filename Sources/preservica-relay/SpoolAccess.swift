import Foundation

/// The operator's commands read the spool of a relay that may be running as another user, or from
/// another working directory: a data directory they cannot read, or that is not there, must be an
/// error (exit 1), never an all-clear such as "No dead letters." from an empty listing.
enum SpoolAccess {
    /// Nil when `dataDirectory` can be read; otherwise says why, for the command to print.
    static func problem(_ dataDirectory: String, command: String) -> String? {
        let absolute = dataDirectory.hasPrefix("/") ? dataDirectory : FileManager.default.currentDirectoryPath + "/" + dataDirectory
        var info = stat()
        if stat(dataDirectory, &info) != 0 {
            if errno == ENOENT {
                return "\(command): no spool at \(absolute) (has serve run with this configuration? "
                    + "a relative dataDir is read from the working directory)"
            }
            return "\(command): cannot read the spool \(absolute): \(String(cString: strerror(errno))) (run as root, or as the relay's user: docs/deploy.md, Admin commands on the server)"
        }
        guard info.st_mode & S_IFMT == S_IFDIR, access(dataDirectory, R_OK | X_OK) == 0 else {
            return "\(command): cannot read the spool \(absolute) (run as root, or as the relay's user: docs/deploy.md, Admin commands on the server)"
        }
        return nil
    }
}
