/// An asset (information object) as the Entity API describes it.
public struct AssetEntity: Sendable, Equatable {
    public var ref: String
    public var title: String
    public var description: String?
    public var securityTag: String
    /// The parent folder's reference; nil at the top level.
    public var parentRef: String?

    /// Creates a value.
    public init(ref: String, title: String, description: String?, securityTag: String, parentRef: String?) {
        self.ref = ref
        self.title = title
        self.description = description
        self.securityTag = securityTag
        self.parentRef = parentRef
    }
}

/// A folder (structural object).
public struct FolderEntity: Sendable, Equatable {
    public var ref: String
    public var title: String
    public var description: String?
    public var securityTag: String
    /// The parent folder's reference; nil for a folder at the root.
    public var parentRef: String?

    /// Creates a value.
    public init(ref: String, title: String, description: String?, securityTag: String, parentRef: String?) {
        self.ref = ref
        self.title = title
        self.description = description
        self.securityTag = securityTag
        self.parentRef = parentRef
    }
}

/// One bitstream of an active generation.
public struct BitstreamInfo: Sendable, Equatable {
    /// The file name.
    public var filename: String
    /// Size in bytes.
    public var size: Int64
    /// Fixity values in the order Preservica lists them, e.g. `[("SHA256", "9f86…")]`.
    public var fixity: [FixityValue]
    /// `Preservation` or `Access`.
    public var representation: String
    /// The representation's name, when it has one.
    public var representationName: String?
    /// The content object it belongs to.
    public var contentObjectRef: String
    /// The generation number (from its URL).
    public var generation: Int
    /// Whether the generation is the original (else a derived one, e.g. a migration).
    public var original: Bool

    /// Creates a value.
    public init(filename: String, size: Int64, fixity: [FixityValue], representation: String, representationName: String?, contentObjectRef: String, generation: Int, original: Bool) {
        self.filename = filename
        self.size = size
        self.fixity = fixity
        self.representation = representation
        self.representationName = representationName
        self.contentObjectRef = contentObjectRef
        self.generation = generation
        self.original = original
    }
}

/// One fixity value of a bitstream.
public struct FixityValue: Sendable, Equatable {
    /// `MD5`, `SHA1`, `SHA256` or `SHA512`.
    public var algorithm: String
    /// The digest in hex.
    public var value: String

    /// Creates a value.
    public init(algorithm: String, value: String) {
        self.algorithm = algorithm
        self.value = value
    }
}

/// One identifier of an entity (type and value, e.g. `BatchId`).
public struct EntityIdentifier: Sendable, Equatable {
    public var type: String
    public var value: String

    /// Creates an identifier.
    public init(type: String, value: String) {
        self.type = type
        self.value = value
    }
}

/// Everything the relay knows about the entity of an event after enrichment, and what could not
/// be learned. Usually an asset; for a folder event (`entityType` `SO`) ``asset`` describes the
/// folder, so routing, security tags and redaction treat both alike.
public struct EnrichedAsset: Sendable, Equatable {
    /// The entity's reference.
    public var ref: String
    /// `IO` (an asset) or `SO` (a folder).
    public var entityType: String = "IO"
    /// The asset (or, for `SO`, the folder), or nil when Preservica does not know it.
    public var asset: AssetEntity?
    /// How many entities a folder holds directly (folders and assets); nil for an asset or when unknown.
    public var childCount: Int?
    /// The folders from the root down to the entity's parent.
    public var path: [FolderEntity]
    /// Bitstreams of every active generation of every content object of every representation.
    public var bitstreams: [BitstreamInfo]
    /// The content objects of its representations.
    public var contentObjects = 0
    /// Of those, the ones whose files are not in ``bitstreams`` (past the read limit, or not
    /// readable): the asset then has more files than listed.
    public var unlistedContentObjects = 0
    /// True when the entity itself could not be read (after retries), for any reason but a 404:
    /// only its reference is known. False when it was never asked about (no credentials, a `CO`).
    public var unread = false
    /// False when the folders above the entity could not be read: ``path`` is then empty, which
    /// does not mean the entity is at the top level.
    public var pathRead = true
    /// The asset's identifiers.
    public var identifiers: [EntityIdentifier]
    /// True when Preservica answered 404 for the asset: the card goes out without enrichment, flagged.
    public var notFound: Bool
    /// Parts that could not be read (after retries), in words; empty when complete.
    public var problems: [String]
    /// True when some part could not be read because Preservica was unreachable or failing
    /// (``PreservicaError/meansUnavailable``): asking again later may succeed, unlike a 404.
    public var unavailable: Bool

    /// Creates a value.
    public init(ref: String, asset: AssetEntity?, path: [FolderEntity], bitstreams: [BitstreamInfo], identifiers: [EntityIdentifier],
                notFound: Bool, problems: [String], unavailable: Bool = false) {
        self.ref = ref
        self.asset = asset
        self.path = path
        self.bitstreams = bitstreams
        self.identifiers = identifiers
        self.notFound = notFound
        self.problems = problems
        self.unavailable = unavailable
    }
}
