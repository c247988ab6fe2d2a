/// What a card is about, which picks the default template of a chat target.
public enum CardKind: String, CaseIterable, Sendable {
    /// One asset: ingested, moved, re-secured, made visible (the data model has `event` and `asset`).
    case asset
    /// Several assets from one burst, in one card (the data model has `event` and `digest`).
    case digest
    /// Something went wrong in Preservica, such as `INGEST_FAILED`, to an asset or a folder (the
    /// data model has `event` and `asset`; `asset.isFolder` tells which).
    case failure
    /// One folder (deposit package): ingested, moved, re-secured (the data model has `event` and
    /// `asset`, which describes the folder, with `asset.isFolder` true and `asset.childCount`).
    case folder
}
