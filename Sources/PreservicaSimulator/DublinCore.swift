/// The descriptive metadata fragment each asset carries (simple Dublin Core).
enum DublinCore {
    /// The schema URI Preservica uses for oai_dc fragments.
    static let schema = "http://www.openarchives.org/OAI/2.0/oai_dc/"

    /// `GET .../metadata/{id}`: a `MetadataResponse` wrapping an oai_dc record with the title and description.
    static func metadataResponse(_ asset: SimulatedAsset, namespaces: EntityNamespaces) -> String {
        var xml = XMLBuilder()
        xml.open("MetadataResponse", ["xmlns": namespaces.entity, "xmlns:xip": namespaces.xip])
        xml.open("MetadataContainer", ["schemaUri": schema])
        xml.leaf("Entity", asset.ref)
        xml.open("Content")
        xml.open("oai_dc:dc", ["xmlns:oai_dc": schema, "xmlns:dc": "http://purl.org/dc/elements/1.1/"])
        xml.leaf("dc:title", asset.title)
        if let description = asset.description { xml.leaf("dc:description", description) }
        xml.leaf("dc:identifier", asset.ref)
        xml.close()
        xml.close()
        xml.close()
        xml.close()
        return xml.document
    }
}
