import PreservicaSimulator
import Relay

/// What `simulate preservica` serves, printed at start so a newcomer has refs to try with
/// `preview --ref`, `routes --ref` and `simulate send --ref`. Titles and refs are fields of a
/// one-line listing: their control characters and line breaks are escaped (a seed is often made
/// from an export of a real repository).
enum SimulatorContents {
    /// The folders as an indented tree, then each asset with its ref and folder.
    static func listing(_ repository: SimulatorRepository) -> String {
        var text = "folders:\n"
        func folders(under parent: String?, depth: Int) {
            for folder in repository.folders where folder.parent == parent {
                text += "  \(field(folder.ref))  " + String(repeating: "  ", count: depth) + field(folder.title) + "\n"
                folders(under: folder.ref, depth: depth + 1)
            }
        }
        folders(under: nil, depth: 0)
        // A folder whose parent is not in the repository would otherwise be left out.
        let known = Set(repository.folders.map(\.ref))
        for folder in repository.folders where folder.parent.map({ !known.contains($0) }) ?? false {
            text += "  \(field(folder.ref))  \(field(folder.title)) (parent \(field(folder.parent ?? "")) not served)\n"
        }
        let titles = Dictionary(repository.folders.map { ($0.ref, $0.title) }, uniquingKeysWith: { first, _ in first })
        text += "assets:\n"
        for asset in repository.assets {
            let folder = asset.parent.map { titles[$0] ?? $0 } ?? "no folder"
            text += "  \(field(asset.ref))  \(field(asset.title))  (in \(field(folder)))\n"
        }
        return text
    }

    private static func field(_ text: String) -> String { TerminalText.field(text) }
}
