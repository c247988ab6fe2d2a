import Foundation
import Relay

/// The `--config FILE` option shared by the commands that read the configuration.
enum ConfigOption {
    /// Loads the file named by `--config` (or the default); on failure prints every problem and
    /// returns nil, so the command exits 2.
    static func load(path: String) -> RelayConfiguration? {
        do {
            return try RelayConfiguration.load(path: path)
        } catch {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            return nil
        }
    }
}
