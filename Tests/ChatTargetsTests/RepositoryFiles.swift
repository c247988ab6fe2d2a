import Foundation

/// Paths inside the package, found from this file's location.
enum RepositoryFiles {
    /// The package root.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// `templates/`, where the default templates are edited.
    static let templates = root.appendingPathComponent("templates")

    /// `.build/rendered-cards/`, where the tests leave the rendered Teams cards for
    /// scripts/validate-teams-cards.py (the build directory is git-ignored).
    static let renderedCards = root.appendingPathComponent(".build/rendered-cards")

    /// The template files on disk, by name without `.json`.
    static func templateTexts() throws -> [String: String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: templates.path).filter { $0.hasSuffix(".json") }
        var texts: [String: String] = [:]
        for name in names {
            texts[String(name.dropLast(5))] = try String(contentsOf: templates.appendingPathComponent(name), encoding: .utf8)
        }
        return texts
    }
}
