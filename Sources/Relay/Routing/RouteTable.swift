import Foundation

/// Decides which channels an event reaches, from the configured rules.
public struct RouteTable: Sendable {
    /// One channel an event reaches, and the rule (0-based) that sent it there.
    public struct Match: Sendable, Equatable {
        public var channel: String
        public var route: Int
    }

    /// What the rules look at.
    public struct Subject: Sendable {
        public var trigger: String
        public var entityType: String
        /// The references of the folders above the asset, root first.
        public var folderPath: [String]
        public var securityTag: String
        public var title: String

        /// Creates a subject.
        public init(trigger: String, entityType: String, folderPath: [String], securityTag: String, title: String) {
            self.trigger = trigger
            self.entityType = entityType
            self.folderPath = folderPath
            self.securityTag = securityTag
            self.title = title
        }
    }

    private let routes: [RouteSettings]
    private let patterns: [NSRegularExpressionBox?]

    /// A table over `routes` (their title patterns must already be valid; the configuration checks them).
    public init(routes: [RouteSettings]) {
        self.routes = routes
        patterns = routes.map { route in route.titlePattern.flatMap { try? NSRegularExpressionBox($0) } }
    }

    /// The channels `subject` reaches, in rule order, each channel once.
    public func match(_ subject: Subject) -> [Match] {
        var matches: [Match] = []
        for (index, route) in routes.enumerated() where applies(route, pattern: patterns[index], subject) {
            for channel in route.channels where !matches.contains(where: { $0.channel == channel }) {
                matches.append(Match(channel: channel, route: index))
            }
            if !route.continueMatching { break }
        }
        return matches
    }

    /// Whether some rule could take an event of `trigger` and `entityType`, whatever Preservica
    /// says of the asset (its folder, security tag and title are not looked at).
    public func mayTake(trigger: String, entityType: String) -> Bool {
        routes.contains { route in
            (route.triggers.isEmpty || route.triggers.contains(trigger)) && (route.entityTypes.isEmpty || route.entityTypes.contains(entityType))
        }
    }

    private func applies(_ route: RouteSettings, pattern: NSRegularExpressionBox?, _ subject: Subject) -> Bool {
        if !route.triggers.isEmpty && !route.triggers.contains(subject.trigger) { return false }
        if !route.entityTypes.isEmpty && !route.entityTypes.contains(subject.entityType) { return false }
        if let folder = route.folder, !subject.folderPath.contains(folder) { return false }
        if !route.securityTags.isEmpty && !route.securityTags.contains(subject.securityTag) { return false }
        if let pattern, !pattern.matches(subject.title) { return false }
        return true
    }
}

/// A compiled regular expression that can cross concurrency domains (it is immutable once made).
struct NSRegularExpressionBox: @unchecked Sendable {
    private let expression: NSRegularExpression

    init(_ pattern: String) throws {
        expression = try NSRegularExpression(pattern: pattern)
    }

    func matches(_ text: String) -> Bool {
        expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}
