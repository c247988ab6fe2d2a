extension RelayConfiguration {
    /// Why `self`, read again at a SIGHUP, must not replace `current`; nil when it may.
    ///
    /// Preservica credentials that were in force and are found nowhere now (a `credentials.properties`
    /// moved away, made unreadable, or caught mid-rename) would silently turn enrichment off: cards
    /// without titles, folders or tags, and every channel with an `allow` list (each console
    /// channel) skipping every event for good. Running without Preservica is a restart's decision.
    public func reloadProblem(replacing current: RelayConfiguration) -> String? {
        guard current.preservica != nil, preservica == nil else { return nil }
        return "Preservica credentials were in force and none are found now (is credentials.properties missing or unreadable?); "
            + "restart the relay to run without them"
    }
}
