/// One routing rule: which events go to which channels. Rules are tried in order; the first
/// that matches wins unless it says `continue`.
public struct RouteSettings: Sendable {
    /// Trigger wire values this rule takes (empty: all).
    public var triggers: [String]
    /// Entity types (default `["IO"]`).
    public var entityTypes: [String]
    /// A folder reference: the rule takes assets in that folder or anywhere below it.
    public var folder: String?
    /// Security tags this rule takes (empty: all).
    public var securityTags: [String]
    /// A regular expression the asset title must match, and its source text.
    public var titlePattern: String?
    /// Channel names.
    public var channels: [String]
    /// Keep trying later rules after this one matched.
    public var continueMatching: Bool

    /// Creates a rule.
    public init(triggers: [String] = [], entityTypes: [String] = ["IO"], folder: String? = nil, securityTags: [String] = [],
                titlePattern: String? = nil, channels: [String], continueMatching: Bool = false) {
        self.triggers = triggers
        self.entityTypes = entityTypes
        self.folder = folder
        self.securityTags = securityTags
        self.titlePattern = titlePattern
        self.channels = channels
        self.continueMatching = continueMatching
    }
}
