/// The Entity API's XML answers, shaped as reference §4 and pyPreservica's parser expect.
struct EntityDocuments {
    let namespaces: EntityNamespaces
    /// Absolute base of the Entity API as the client called it, e.g. `http://127.0.0.1:8080/api/entity`.
    let base: String

    private func root(_ builder: inout XMLBuilder, _ name: String) {
        builder.open(name, ["xmlns": namespaces.entity, "xmlns:xip": namespaces.xip])
    }

    func assetURL(_ ref: String) -> String { "\(base)/information-objects/\(ref)" }
    func folderURL(_ ref: String) -> String { "\(base)/structural-objects/\(ref)" }
    func contentObjectURL(_ ref: String) -> String { "\(base)/content-objects/\(ref)" }
    func generationURL(_ ref: String, _ index: Int) -> String { "\(contentObjectURL(ref))/generations/\(index)" }
    func bitstreamURL(_ ref: String, _ generation: Int, _ index: Int) -> String {
        "\(generationURL(ref, generation))/bitstreams/\(index)"
    }
    /// The URL of an entity listed as a child or as updated.
    func entityURL(_ child: RepositoryIndex.Child) -> String {
        child.type == "SO" ? folderURL(child.ref) : assetURL(child.ref)
    }

    /// Reference §4.1.
    func asset(_ asset: SimulatedAsset) -> String {
        var xml = XMLBuilder()
        root(&xml, "EntityResponse")
        xml.open("xip:InformationObject")
        entityFields(&xml, ref: asset.ref, title: asset.title, description: asset.description,
                     securityTag: asset.securityTag, parent: asset.parent)
        xml.close()
        xml.open("AdditionalInformation")
        xml.leaf("Self", assetURL(asset.ref))
        xml.leaf("Parent", asset.parent.map(folderURL))
        xml.leaf("Identifiers", assetURL(asset.ref) + "/identifiers")
        xml.leaf("Representations", assetURL(asset.ref) + "/representations")
        xml.open("Metadata")
        xml.leaf("Fragment", assetURL(asset.ref) + "/metadata/" + Self.metadataRef(asset.ref),
                 ["schema": DublinCore.schema])
        xml.close()
        xml.close()
        xml.close()
        return xml.document
    }

    /// Reference §4.8.
    func folder(_ folder: SimulatedFolder) -> String {
        var xml = XMLBuilder()
        root(&xml, "EntityResponse")
        xml.open("xip:StructuralObject")
        entityFields(&xml, ref: folder.ref, title: folder.title, description: folder.description,
                     securityTag: folder.securityTag, parent: folder.parent)
        xml.close()
        xml.open("AdditionalInformation")
        xml.leaf("Self", folderURL(folder.ref))
        xml.leaf("Parent", folder.parent.map(folderURL))
        xml.leaf("Identifiers", folderURL(folder.ref) + "/identifiers")
        xml.leaf("Children", folderURL(folder.ref) + "/children")
        xml.leaf("Metadata", nil)
        xml.close()
        xml.close()
        return xml.document
    }

    private func entityFields(_ xml: inout XMLBuilder, ref: String, title: String, description: String?,
                              securityTag: String, parent: String?) {
        xml.leaf("xip:Ref", ref)
        xml.leaf("xip:Title", title)
        if let description { xml.leaf("xip:Description", description) }
        xml.leaf("xip:SecurityTag", securityTag)
        if let parent { xml.leaf("xip:Parent", parent) }
    }

    /// Reference §4.2: indices count from 1 within each representation type.
    func representations(_ asset: SimulatedAsset) -> String {
        var xml = XMLBuilder()
        root(&xml, "RepresentationsResponse")
        xml.open("Representations")
        for (representation, index) in Self.numbered(asset.representations) {
            xml.leaf("Representation", "\(assetURL(asset.ref))/representations/\(representation.type)/\(index)",
                     ["type": representation.type, "name": representation.name])
        }
        xml.close()
        xml.leaf("AdditionalInformation", nil)
        xml.close()
        return xml.document
    }

    /// Reference §4.3.
    func representation(_ representation: SimulatedRepresentation, of asset: SimulatedAsset) -> String {
        var xml = XMLBuilder()
        root(&xml, "RepresentationResponse")
        xml.open("xip:Representation")
        xml.leaf("xip:InformationObject", asset.ref)
        xml.leaf("xip:Name", representation.name)
        xml.leaf("xip:Type", representation.type)
        xml.open("xip:ContentObjects")
        for contentObject in representation.contentObjects { xml.leaf("xip:ContentObject", contentObject.ref) }
        xml.close()
        xml.leaf("xip:RepresentationFormats", nil)
        xml.leaf("xip:RepresentationProperties", nil)
        xml.close()
        xml.open("ContentObjects")
        for contentObject in representation.contentObjects {
            xml.leaf("ContentObject", contentObjectURL(contentObject.ref), ["ref": contentObject.ref, "title": contentObject.title])
        }
        xml.close()
        xml.leaf("AdditionalInformation", nil)
        xml.close()
        return xml.document
    }

    /// Reference §4.4.
    func contentObject(_ place: RepositoryIndex.ContentObjectPlace) -> String {
        let contentObject = place.contentObject
        var xml = XMLBuilder()
        root(&xml, "EntityResponse")
        xml.open("xip:ContentObject")
        entityFields(&xml, ref: contentObject.ref, title: contentObject.title, description: nil,
                     securityTag: place.asset.securityTag, parent: place.asset.ref)
        xml.close()
        xml.open("AdditionalInformation")
        xml.leaf("Self", contentObjectURL(contentObject.ref))
        xml.leaf("Parent", assetURL(place.asset.ref))
        xml.leaf("Generations", contentObjectURL(contentObject.ref) + "/generations")
        xml.leaf("Metadata", nil)
        xml.close()
        xml.close()
        return xml.document
    }

    /// Reference §4.5.
    func generations(_ contentObject: SimulatedContentObject) -> String {
        var xml = XMLBuilder()
        root(&xml, "GenerationsResponse")
        xml.open("Generations")
        for (offset, generation) in contentObject.generations.enumerated() {
            xml.leaf("Generation", generationURL(contentObject.ref, offset + 1), ["active": String(generation.active)])
        }
        xml.close()
        xml.leaf("AdditionalInformation", nil)
        xml.close()
        return xml.document
    }

    /// Reference §4.6: both `original` and `active`, `Format@valid`, and the Entity-ns bitstream links at the root.
    func generation(_ generation: SimulatedGeneration, index: Int, of contentObject: SimulatedContentObject) -> String {
        var xml = XMLBuilder()
        root(&xml, "GenerationResponse")
        xml.open("xip:Generation", ["original": String(generation.original), "active": String(generation.active)])
        xml.leaf("xip:ContentObject", contentObject.ref)
        xml.leaf("xip:FormatGroup", generation.formatGroup)
        xml.leaf("xip:EffectiveDate", generation.effectiveDate)
        xml.open("xip:Bitstreams")
        for bitstream in generation.bitstreams { xml.leaf("xip:Bitstream", bitstream.filename) }
        xml.close()
        xml.open("xip:Formats")
        xml.open("xip:Format", ["valid": "true"])
        xml.leaf("xip:PUID", generation.puid)
        xml.leaf("xip:Priority", "1")
        xml.leaf("xip:IdentificationMethod", "Signature")
        xml.leaf("xip:FormatName", generation.formatName)
        xml.close()
        xml.close()
        xml.leaf("xip:Properties", nil)
        xml.close()
        xml.open("Bitstreams")
        for (offset, bitstream) in generation.bitstreams.enumerated() {
            xml.leaf("Bitstream", bitstreamURL(contentObject.ref, index, offset + 1), ["filename": bitstream.filename])
        }
        xml.close()
        xml.leaf("AdditionalInformation", nil)
        xml.close()
        return xml.document
    }

    /// Reference §4.7: fixity children in the order algorithm, value (pyPreservica reads them by position).
    func bitstream(_ bitstream: SimulatedBitstream, contentObject: String, generation: Int, index: Int) -> String {
        let url = bitstreamURL(contentObject, generation, index)
        var xml = XMLBuilder()
        root(&xml, "BitstreamResponse")
        xml.open("xip:Bitstream")
        xml.leaf("xip:Filename", bitstream.filename)
        xml.leaf("xip:FileSize", String(bitstream.size))
        xml.open("xip:Fixities")
        xml.open("xip:Fixity")
        xml.leaf("xip:FixityAlgorithmRef", "SHA256")
        xml.leaf("xip:FixityValue", bitstream.sha256)
        xml.close()
        xml.close()
        xml.close()
        xml.open("AdditionalInformation")
        xml.leaf("Self", url)
        xml.leaf("Content", url + "/content")
        xml.close()
        xml.close()
        return xml.document
    }

    /// Identifiers per page when the request does not say (`max`).
    static let identifiersPageSize = 100

    /// `GET .../identifiers`: pyPreservica reads `.//xip:Identifier` and the children ending in Type and Value.
    /// One page: `offset` is the position of the first, `Next` is present only when more remain.
    func identifiers(_ identifiers: ArraySlice<SimulatedIdentifier>, offset first: Int, total: Int, next: String?,
                     entity ref: String) -> String {
        var xml = XMLBuilder()
        root(&xml, "IdentifiersResponse")
        xml.open("Identifiers")
        for (offset, identifier) in identifiers.enumerated() {
            xml.open("xip:Identifier")
            xml.leaf("xip:ApiId", Self.identifierId(ref, first + offset))
            xml.leaf("xip:Type", identifier.type)
            xml.leaf("xip:Value", identifier.value)
            xml.leaf("xip:Entity", ref)
            xml.close()
        }
        xml.close()
        paging(&xml, total: total, next: next)
        xml.leaf("AdditionalInformation", nil)
        xml.close()
        return xml.document
    }

    /// `children` (reference §4.8): one page, with `Next` only when more remain.
    func children(_ page: ArraySlice<RepositoryIndex.Child>, total: Int, next: String?) -> String {
        entityPage(page, total: total, next: next, root: "ChildrenResponse", list: "Children", item: "Child")
    }

    /// `entities/updated-since` (reference §1.7): a paged `EntitiesResponse`.
    func updatedEntities(_ page: ArraySlice<RepositoryIndex.Child>, total: Int, next: String?) -> String {
        entityPage(page, total: total, next: next, root: "EntitiesResponse", list: "Entities", item: "Entity")
    }

    /// A page of entity links (title, ref and type attributes) under `root`/`list`, then `Paging`.
    private func entityPage(_ page: ArraySlice<RepositoryIndex.Child>, total: Int, next: String?,
                            root name: String, list: String, item: String) -> String {
        var xml = XMLBuilder()
        root(&xml, name)
        xml.open(list)
        for entity in page {
            if entity.deleted {
                // As the National Archives' client reads it (DataProcessorTest: no title, no type).
                xml.leaf(item, assetURL(entity.ref), ["ref": entity.ref, "deleted": "true"])
            } else {
                xml.leaf(item, entityURL(entity), ["title": entity.title, "ref": entity.ref, "type": entity.type])
            }
        }
        xml.close()
        paging(&xml, total: total, next: next)
        xml.close()
        return xml.document
    }

    private func paging(_ xml: inout XMLBuilder, total: Int, next: String?) {
        xml.open("Paging")
        if let next { xml.leaf("Next", next) }
        xml.leaf("TotalResults", String(total))
        xml.close()
    }

    /// `GET /api/entity/versiondetails/version`: pyPreservica searches the text for a literal `<CurrentVersion>`.
    func version(_ version: String) -> String {
        var xml = XMLBuilder()
        xml.open("VersionDetails", ["xmlns": namespaces.entity])
        xml.leaf("CurrentVersion", version.split(separator: ".").count == 2 ? version + ".0" : version)
        xml.close()
        return xml.document
    }

    /// Representations paired with their per-type index (1, 2, ... for each type).
    static func numbered(_ representations: [SimulatedRepresentation]) -> [(SimulatedRepresentation, Int)] {
        var counts: [String: Int] = [:]
        return representations.map { representation in
            counts[representation.type, default: 0] += 1
            return (representation, counts[representation.type]!)
        }
    }

    /// A stable metadata fragment id derived from the asset ref (the last block changed), so URLs do not change between calls.
    static func metadataRef(_ assetRef: String) -> String {
        String(assetRef.dropLast(12)) + "dc0000000001"
    }

    private static func fourDigits(_ number: Int) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    private static func identifierId(_ ref: String, _ offset: Int) -> String {
        String(ref.replacingOccurrences(of: "-", with: "").prefix(28)) + fourDigits(offset + 1)
    }
}
