import Foundation
import JSON

extension RelayConfiguration {
    /// Where the spool goes in Lambda when the file names no `dataDir`: only `/tmp` is writable there.
    public static let lambdaDataDirectory = "/tmp/preservica-relay"

    /// Reads `path` as ``load(path:environment:)`` does; when the file sets no `dataDir`, the spool
    /// goes to ``lambdaDataDirectory`` instead of `data` (which would be under the read-only task root).
    public static func loadForLambda(path: String, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(ConfigurationError) -> RelayConfiguration {
        var configuration = try load(path: path, environment: environment)
        if !namesDataDirectory(path: path) { configuration.dataDirectory = lambdaDataDirectory }
        return configuration
    }

    /// Whether the file at `path` has a top-level `dataDir` (it was just read and checked by `load`).
    private static func namesDataDirectory(path: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: path) else { return false }
        return (try? JSON5Parser.parse(Array(data)))?.value.objectValue?["dataDir"] != nil
    }
}
