import ChatTargets
import JSON
import Preservica
import Relay

/// A data model to render every default template on, with the card kind it is meant for.
struct Scenario: Sendable, CustomStringConvertible {
    /// A short name, used in test names and in the file names of the dumped cards.
    let name: String
    /// `asset` scenarios feed the asset and failure templates; `digest` scenarios the digest ones.
    let isDigest: Bool
    /// The data model.
    let model: JSONValue
    /// A folder event: rendered with the folder and failure templates.
    var isFolder = false

    var description: String { name }

    /// The card kinds this scenario is rendered with.
    var kinds: [CardKind] { isDigest ? [.digest] : isFolder ? [.folder, .failure] : [.asset, .failure] }

    /// Every scenario: the small, the typical and the worst realistic cases.
    static let all: [Scenario] = [
        Scenario(name: "no-bitstreams", isDigest: false, model: SampleData.assetModel(SampleData.asset(bitstreams: 0))),
        Scenario(name: "one-bitstream", isDigest: false, model: SampleData.assetModel(SampleData.asset(bitstreams: 1))),
        Scenario(name: "forty-bitstreams-worst-case", isDigest: false, model: SampleData.assetModel(SampleData.worstAsset())),
        Scenario(name: "three-hundred-files-huge-title", isDigest: false,
                 model: SampleData.assetModel(SampleData.asset(bitstreams: 300, title: String(String(repeating: SampleData.nonASCIITitle, count: 400).prefix(150_000)),
                                                               description: String(repeating: "Beskrivelse <&> ", count: 2_000), nameLength: 200))),
        Scenario(name: "non-ascii-title", isDigest: false,
                 model: SampleData.assetModel(SampleData.asset(bitstreams: 3, title: SampleData.nonASCIITitle))),
        Scenario(name: "empty-description", isDigest: false,
                 model: SampleData.assetModel(SampleData.asset(bitstreams: 2, description: ""))),
        Scenario(name: "markup-in-text", isDigest: false,
                 model: SampleData.assetModel(SampleData.asset(bitstreams: 2, title: SampleData.markupTitle, description: SampleData.markupTitle))),
        Scenario(name: "not-found", isDigest: false, model: SampleData.assetModel(SampleData.notFoundAsset())),
        Scenario(name: "ingest-failed", isDigest: false,
                 model: SampleData.assetModel(SampleData.notFoundAsset(), trigger: "INGEST_FAILED")),
        Scenario(name: "unavailable", isDigest: false, model: SampleData.assetModel(SampleData.unavailableAsset())),
        // No Preservica credentials: the relay never asked, and the card has the reference alone.
        Scenario(name: "never-asked", isDigest: false, model: SampleData.assetModel(
            EnrichedAsset(ref: "a1b2c3d4-0000-4000-8000-000000000000", asset: nil, path: [], bitstreams: [], identifiers: [],
                          notFound: false, problems: []))),
        Scenario(name: "folder", isDigest: false, model: SampleData.assetModel(SampleData.folder(), trigger: "MOVED"), isFolder: true),
        Scenario(name: "folder-ingest-failed", isDigest: false,
                 model: SampleData.assetModel(SampleData.folder(title: SampleData.nonASCIITitle), trigger: "INGEST_FAILED"), isFolder: true),
        Scenario(name: "folder-not-found", isDigest: false,
                 model: SampleData.assetModel(SampleData.folder(found: false)), isFolder: true),
        Scenario(name: "digest-one-item", isDigest: true, model: SampleData.digestModel(count: 1)),
        Scenario(name: "digest-sixty-items", isDigest: true, model: SampleData.digestModel(count: 60)),
        Scenario(name: "digest-sixty-items-mixed-folders", isDigest: true, model: SampleData.digestModel(count: 60, sameFolder: false)),
    ]
}
