/// The namespace declarations in scope (`xmlns="..."` and `xmlns:prefix="..."`): each prefix's
/// bindings as a stack, so a lookup costs the same however many declarations a document makes.
/// The `xml` prefix is always bound to its fixed namespace.
struct XMLNamespaceScope {
    static let xmlNamespace = "http://www.w3.org/XML/1998/namespace"
    static let xmlnsNamespace = "http://www.w3.org/2000/xmlns/"

    /// Bindings by prefix ("" for the default namespace), innermost last.
    private var bindings: [String: [String]] = ["xml": [xmlNamespace]]

    /// Binds `prefix` ("" for the default namespace) to `uri` until ``undeclare(_:)``.
    mutating func declare(_ prefix: String, _ uri: String) { bindings[prefix, default: []].append(uri) }

    /// Ends the innermost binding of each of `prefixes`, as an element that declared them closes.
    mutating func undeclare(_ prefixes: [String]) {
        for prefix in prefixes { bindings[prefix]?.removeLast() }
    }

    /// The namespace `prefix` is bound to ("" asks for the default namespace), nil when unbound.
    /// An empty default namespace (`xmlns=""`) means no namespace.
    func uri(for prefix: String) -> String? { bindings[prefix]?.last }
}
