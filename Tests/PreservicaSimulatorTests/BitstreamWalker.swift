import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Synchronization

/// Follows the Entity API links from an asset to its bitstreams the way pyPreservica does
/// (representations → content objects → generations → active ones → bitstreams), using only the
/// URLs found in the answers.
final class BitstreamWalker: Sendable {
    struct Found: Equatable {
        var filename: String
        var size: Int
        var algorithm: String
        var fixity: String
    }

    struct Broken: Error, CustomStringConvertible { var description: String }

    let client: SimulatorClient
    let token: String
    let ns: Namespaces
    let base: String
    private let types = Mutex<Set<String>>([])

    init(client: SimulatorClient, token: String, ns: Namespaces, base: String) {
        self.client = client
        self.token = token
        self.ns = ns
        self.base = base
    }

    var representationTypes: Set<String> { types.withLock { $0 } }

    func activeBitstreams(of asset: String) async throws -> [Found] {
        var found: [Found] = []
        let representations = try await tree("/api/entity/information-objects/\(asset)/representations")
        for link in representations.all("Representation", in: ns.entity) {
            types.withLock { _ = $0.insert(link.attribute("type") ?? "") }
            let representation = try await tree(try absolute(link.stringValue))
            let listed = representation.all("ContentObject", in: ns.entity).compactMap { $0.attribute("ref") }
            let contentObjects = representation.all("ContentObjects", in: ns.xip).first?.direct("ContentObject", in: ns.xip)
                .compactMap(\.stringValue) ?? []
            guard listed == contentObjects else { throw Broken(description: "the two content object lists differ") }
            for contentObject in contentObjects {
                let generations = try await tree("/api/entity/content-objects/\(contentObject)/generations")
                for generationLink in generations.all("Generation", in: ns.entity) {
                    let url = try absolute(generationLink.stringValue)
                    guard Int(url.split(separator: "/").last ?? "") != nil else { throw Broken(description: "generation URL \(url)") }
                    let generation = try await tree(url)
                    guard generation.direct("Generation", in: ns.xip).first?.attribute("active") == "true" else { continue }
                    for bitstreamLink in generation.direct("Bitstreams", in: ns.entity).first?.direct("Bitstream", in: ns.entity) ?? [] {
                        let bitstream = try await tree(try absolute(bitstreamLink.stringValue))
                        let fixity = (bitstream.all("Fixity", in: ns.xip).first?.children ?? []).compactMap { $0.stringValue }
                        found.append(Found(filename: bitstream.text("Filename", in: ns.xip) ?? "",
                                           size: Int(bitstream.text("FileSize", in: ns.xip) ?? "") ?? -1,
                                           algorithm: fixity.first ?? "", fixity: fixity.dropFirst().first ?? ""))
                    }
                }
            }
        }
        return found
    }

    private func absolute(_ link: String?) throws -> String {
        guard let link, link.hasPrefix(base + "/api/entity/") else { throw Broken(description: "not an absolute link: \(link ?? "nil")") }
        return link
    }

    private func tree(_ url: String) async throws -> XMLElement {
        let reply = try await client.get(url, token: token)
        guard reply.status == 200 else { throw Broken(description: "\(url): \(reply.status)") }
        return try XMLTree(reply).root
    }
}
