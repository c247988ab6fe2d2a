/// One representation of an asset as its document lists it: its type (`Preservation`,
/// `Access`), its name, and the references of its content objects in Preservica's order.
struct RepresentationContents: Sendable {
    var type: String
    var name: String?
    var contentObjects: [String]
}
