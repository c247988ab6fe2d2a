/// The relay's version, printed by `--version` and the status page.
public enum RelayVersion {
    /// Semantic version of this build.
    public static let current = "0.1.0"
}
