import PreservicaSimulator

/// What `simulate preservica` serves, printed at start so a newcomer has refs to try with
/// `preview --ref`, `routes --ref` and `simulate send --ref`.
enum SimulatorContents {
    /// The folders as an indented tree, then each asset with its ref and folder.
    static func listing(_ repository: SimulatorRepository) -> String {
        var text = "folders:\n"
        func folders(under parent: String?, depth: Int) {
            for folder in repository.folders where folder.parent == parent {
                text += "  \(folder.ref)  " + String(repeating: "  ", count: depth) + folder.title + "\n"
                folders(under: folder.ref, depth: depth + 1)
            }
        }
        folders(under: nil, depth: 0)
        // A folder whose parent is not in the repository would otherwise be left out.
        let known = Set(repository.folders.map(\.ref))
        for folder in repository.folders where folder.parent.map({ !known.contains($0) }) ?? false {
            text += "  \(folder.ref)  \(folder.title) (parent \(folder.parent ?? "") not served)\n"
        }
        let titles = Dictionary(repository.folders.map { ($0.ref, $0.title) }, uniquingKeysWith: { first, _ in first })
        text += "assets:\n"
        for asset in repository.assets {
            let folder = asset.parent.map { titles[$0] ?? $0 } ?? "no folder"
            text += "  \(asset.ref)  \(asset.title)  (in \(folder))\n"
        }
        return text
    }
}
