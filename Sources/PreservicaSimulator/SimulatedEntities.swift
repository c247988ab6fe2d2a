/// A folder (structural object, `SO`) in the simulated repository.
public struct SimulatedFolder: Sendable, Codable, Equatable {
    /// The folder's reference (a lowercase UUID).
    public var ref: String
    /// The folder's title.
    public var title: String
    /// An optional description.
    public var description: String?
    /// The security tag; every Preservica entity has one.
    public var securityTag: String
    /// The parent folder's reference; nil for a folder at the root.
    public var parent: String?
    /// When the folder last changed, `yyyy-MM-ddTHH:mm:ss` UTC (for `entities/updated-since`).
    public var modified: String

    /// Creates a folder.
    public init(ref: String, title: String, description: String? = nil, securityTag: String = "open",
                parent: String? = nil, modified: String = SimulatedFolder.defaultModified) {
        self.ref = ref
        self.title = title
        self.description = description
        self.securityTag = securityTag
        self.parent = parent
        self.modified = modified
    }

    /// The modification time given to entities whose seed does not say.
    public static let defaultModified = "2025-01-15T09:30:00"

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(ref: try container.decode(String.self, forKey: .ref),
                  title: try container.decode(String.self, forKey: .title),
                  description: try container.decodeIfPresent(String.self, forKey: .description),
                  securityTag: try container.decodeIfPresent(String.self, forKey: .securityTag) ?? "open",
                  parent: try container.decodeIfPresent(String.self, forKey: .parent),
                  modified: try container.decodeIfPresent(String.self, forKey: .modified) ?? Self.defaultModified)
    }
}

/// An external identifier (type and value) attached to an asset.
public struct SimulatedIdentifier: Sendable, Codable, Equatable {
    /// The identifier type, e.g. `BatchId` or `code`.
    public var type: String
    /// The identifier value.
    public var value: String

    /// Creates an identifier.
    public init(type: String, value: String) {
        self.type = type
        self.value = value
    }
}

/// An asset (information object, `IO`) with its representations.
public struct SimulatedAsset: Sendable, Codable, Equatable {
    /// The asset's reference (a lowercase UUID).
    public var ref: String
    /// The asset's title.
    public var title: String
    /// An optional description.
    public var description: String?
    /// The security tag, e.g. `open` or `closed`.
    public var securityTag: String
    /// The parent folder's reference; nil for an asset at the root.
    public var parent: String?
    /// External identifiers.
    public var identifiers: [SimulatedIdentifier]
    /// Representations in order; indices are counted per type from 1.
    public var representations: [SimulatedRepresentation]
    /// When the asset last changed, `yyyy-MM-ddTHH:mm:ss` UTC.
    public var modified: String

    /// Creates an asset.
    public init(ref: String, title: String, description: String? = nil, securityTag: String = "open", parent: String? = nil,
                identifiers: [SimulatedIdentifier] = [], representations: [SimulatedRepresentation] = [],
                modified: String = SimulatedFolder.defaultModified) {
        self.ref = ref
        self.title = title
        self.description = description
        self.securityTag = securityTag
        self.parent = parent
        self.identifiers = identifiers
        self.representations = representations
        self.modified = modified
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(ref: try container.decode(String.self, forKey: .ref),
                  title: try container.decode(String.self, forKey: .title),
                  description: try container.decodeIfPresent(String.self, forKey: .description),
                  securityTag: try container.decodeIfPresent(String.self, forKey: .securityTag) ?? "open",
                  parent: try container.decodeIfPresent(String.self, forKey: .parent),
                  identifiers: try container.decodeIfPresent([SimulatedIdentifier].self, forKey: .identifiers) ?? [],
                  representations: try container.decodeIfPresent([SimulatedRepresentation].self, forKey: .representations) ?? [],
                  modified: try container.decodeIfPresent(String.self, forKey: .modified) ?? SimulatedFolder.defaultModified)
    }

    /// The bitstreams of active generations, in representation, content object, generation order:
    /// what a client walking the Entity API should find.
    public var activeBitstreams: [SimulatedBitstream] {
        representations.flatMap { $0.contentObjects }.flatMap { $0.generations }.filter(\.active).flatMap(\.bitstreams)
    }
}

/// A representation of an asset: `Preservation` or `Access`.
public struct SimulatedRepresentation: Sendable, Codable, Equatable {
    /// `Preservation` or `Access` (pyPreservica maps the type onto an enum with exactly these names).
    public var type: String
    /// The representation's name; defaults to the type.
    public var name: String
    /// Content objects in order.
    public var contentObjects: [SimulatedContentObject]

    /// Creates a representation.
    public init(type: String, name: String? = nil, contentObjects: [SimulatedContentObject]) {
        self.type = type
        self.name = name ?? type
        self.contentObjects = contentObjects
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(type: try container.decode(String.self, forKey: .type),
                  name: try container.decodeIfPresent(String.self, forKey: .name),
                  contentObjects: try container.decodeIfPresent([SimulatedContentObject].self, forKey: .contentObjects) ?? [])
    }
}

/// A content object (`CO`): one logical file with its generations.
public struct SimulatedContentObject: Sendable, Codable, Equatable {
    /// The content object's reference (a lowercase UUID).
    public var ref: String
    /// The content object's title.
    public var title: String
    /// Generations in order; the URL index is the position from 1.
    public var generations: [SimulatedGeneration]

    /// Creates a content object.
    public init(ref: String, title: String, generations: [SimulatedGeneration]) {
        self.ref = ref
        self.title = title
        self.generations = generations
    }
}

/// A generation of a content object: its format and bitstreams.
public struct SimulatedGeneration: Sendable, Codable, Equatable {
    /// Whether this is the original generation (false: a migration or derivative).
    public var original: Bool
    /// Whether this generation is active; inactive generations' bitstreams do not count.
    public var active: Bool
    /// The format group, e.g. `image`.
    public var formatGroup: String
    /// The PRONOM identifier, e.g. `fmt/353`.
    public var puid: String
    /// The format name.
    public var formatName: String
    /// When the generation was created, ISO 8601.
    public var effectiveDate: String
    /// Bitstreams in order; the URL index is the position from 1.
    public var bitstreams: [SimulatedBitstream]

    /// Creates a generation.
    public init(original: Bool = true, active: Bool = true, formatGroup: String = "image", puid: String = "fmt/353",
                formatName: String = "Tagged Image File Format", effectiveDate: String = "2025-01-15T09:30:00.000Z",
                bitstreams: [SimulatedBitstream]) {
        self.original = original
        self.active = active
        self.formatGroup = formatGroup
        self.puid = puid
        self.formatName = formatName
        self.effectiveDate = effectiveDate
        self.bitstreams = bitstreams
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(original: try container.decodeIfPresent(Bool.self, forKey: .original) ?? true,
                  active: try container.decodeIfPresent(Bool.self, forKey: .active) ?? true,
                  formatGroup: try container.decodeIfPresent(String.self, forKey: .formatGroup) ?? "image",
                  puid: try container.decodeIfPresent(String.self, forKey: .puid) ?? "fmt/353",
                  formatName: try container.decodeIfPresent(String.self, forKey: .formatName) ?? "Tagged Image File Format",
                  effectiveDate: try container.decodeIfPresent(String.self, forKey: .effectiveDate) ?? "2025-01-15T09:30:00.000Z",
                  bitstreams: try container.decodeIfPresent([SimulatedBitstream].self, forKey: .bitstreams) ?? [])
    }
}

/// One stored file: name, size and SHA-256 fixity.
public struct SimulatedBitstream: Sendable, Codable, Equatable {
    /// The file name.
    public var filename: String
    /// The size in bytes.
    public var size: Int64
    /// The SHA-256 fixity, lowercase hex.
    public var sha256: String

    /// Creates a bitstream.
    public init(filename: String, size: Int64, sha256: String) {
        self.filename = filename
        self.size = size
        self.sha256 = sha256
    }
}
