import HTTPServer
import JSON
import Preservica
import Relay

/// `GET /console/api/folders?parent=REF`: the folders in a folder (no parent: the root folders),
/// read live through the Entity API with the relay's own account.
///
/// Rights: the console keeps no Preservica token after sign-in, so it browses with the relay's
/// account and shows a curator who is not an administrator only folders whose security tag is in
/// `console.browseSecurityTags` (default `open`), and only below such folders. Administrators see
/// every folder the relay's account can.
struct FolderEndpoints: Sendable {
    let context: ConsoleContext

    func list(_ request: HTTPRequest, _ session: ConsoleSession) async -> HTTPResponse {
        guard let entities = context.entities else {
            return ConsoleResponse.error(503, "the relay has no Preservica credentials, so folders cannot be listed")
        }
        let parent = request.queryParameter("parent").flatMap { $0.isEmpty ? nil : $0 }
        if let parent, !EntityClient.isReference(parent) {
            return ConsoleResponse.error(400, "expected a folder reference", field: "parent")
        }
        let visible = Set(context.settings.browseSecurityTags)
        let admin = session.isAdmin
        do throws(PreservicaError) {
            var path: [FolderEntity] = []
            if let parent {
                path = try await entities.folderPath(parent)
                if !admin && !path.allSatisfy({ visible.contains($0.securityTag) }) {
                    return ConsoleResponse.error(404, "no such folder", field: "parent")
                }
            }
            let children = try await entities.children(of: parent).filter { $0.type == "SO" }
            let folders = await withTaskGroup(of: (Int, FolderEntity?).self) { group in
                for (index, child) in children.enumerated() {
                    group.addTask { (index, try? await entities.folder(child.ref)) }
                }
                var found = [FolderEntity?](repeating: nil, count: children.count)
                for await (index, folder) in group { found[index] = folder }
                return found.compactMap { $0 }
            }
            let shown = folders.filter { admin || visible.contains($0.securityTag) }
            return ConsoleResponse.json(200, .object(JSONObject([
                ("parent", parent.map { .string($0) } ?? .null),
                ("path", .array(path.map(Self.describe))),
                ("folders", .array(shown.map(Self.describe))),
            ])))
        } catch .notFound {
            return ConsoleResponse.error(404, "no such folder", field: "parent")
        } catch {
            return ConsoleResponse.error(502, "Preservica could not list the folders: \(error)")
        }
    }

    private static func describe(_ folder: FolderEntity) -> JSONValue {
        .object(JSONObject([("ref", .string(folder.ref)), ("title", .string(folder.title)), ("securityTag", .string(folder.securityTag))]))
    }
}
