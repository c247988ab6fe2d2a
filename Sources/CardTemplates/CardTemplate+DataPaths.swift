import JSON

/// A binding that reads a value the data model does not have, such as `${asset.titel}`.
public struct UnknownDataPath: Sendable, Hashable, CustomStringConvertible {
    /// Where the binding sits in the template, e.g. `body[0].text`.
    public var jsonPath: String
    /// The path as written, relative to its data context: `asset.titel`, or `filenam` inside a `$data` repeat.
    public var path: String

    /// `body[0].text: asset.titel`.
    public var description: String { "\(jsonPath): ${\(path)}" }
}

extension CardTemplate {
    /// The bindings that read a member `model` does not have. A misspelt path renders as null, and
    /// a chat service then shows an empty field or refuses the card; this finds it before it is sent.
    ///
    /// `model` is a sample of the data the template is rendered with: every member that can occur
    /// should be present, and every array should have at least one item (items are merged, so one
    /// item with each optional member is enough). Only paths whose base is a known object are
    /// judged; a path through a function call, an index computed at render time or an empty array
    /// is not, so nothing is reported that the data could still satisfy.
    public func unknownPaths(in model: JSONValue) -> [UnknownDataPath] {
        var finder = UnknownPathFinder(root: DataShape.of(model))
        finder.visit(body, context: finder.root, at: TemplatePath())
        return finder.found
    }
}

/// The shape of a sample data model: what members exist, with arrays folded into one merged item.
private indirect enum DataShape {
    case object([String: DataShape])
    case array(DataShape?)
    case value

    static func of(_ json: JSONValue) -> DataShape {
        switch json {
        case .object(let object):
            var members: [String: DataShape] = [:]
            for (key, value) in object { members[key] = of(value) }
            return .object(members)
        case .array(let items):
            return .array(items.map(of).reduce(nil) { merged, next in merged.map { $0.merged(with: next) } ?? next })
        default:
            return .value
        }
    }

    /// The union of two samples, so an item missing an optional member does not hide it.
    func merged(with other: DataShape) -> DataShape {
        switch (self, other) {
        case (.object(let left), .object(let right)): .object(left.merging(right) { $0.merged(with: $1) })
        case (.array(let left), .array(let right)):
            .array(left.map { item in right.map { item.merged(with: $0) } ?? item } ?? right)
        case (.value, _): other
        default: self
        }
    }

    /// The shape a `$data` binding gives its object: an array's item, or the value itself.
    var context: DataShape? {
        if case .array(let item) = self { return item }
        return self
    }
}

/// Walks a compiled template, evaluating each expression against a ``DataShape`` instead of data.
private struct UnknownPathFinder {
    let root: DataShape
    private(set) var found: [UnknownDataPath] = []
    private var seen: Set<UnknownDataPath> = []

    init(root: DataShape) { self.root = root }

    mutating func visit(_ node: TemplateNode, context: DataShape?, at path: TemplatePath) {
        switch node {
        case .constant: break
        case .binding(let expression): _ = shape(of: expression, context: context, at: path)
        case .text(let segments):
            for case .binding(let expression) in segments { _ = shape(of: expression, context: context, at: path) }
        case .array(let nodes):
            for (index, item) in nodes.enumerated() { visit(item, context: context, at: path.appending(index: index)) }
        case .object(let object):
            var inner = context
            if let data = object.data {
                switch data {
                case .constant(let json): inner = DataShape.of(json).context
                case .binding(let expression): inner = shape(of: expression, context: context, at: path.appending(key: "$data"))?.context
                default:
                    visit(data, context: context, at: path.appending(key: "$data"))
                    inner = nil
                }
            }
            if let when = object.when { visit(when, context: inner, at: path.appending(key: "$when")) }
            for (key, value) in zip(object.dynamicKeys, object.dynamicValues) {
                visit(value, context: inner, at: path.appending(key: key))
            }
        }
    }

    /// The shape `expression` yields, or nil when it cannot be known without data; records each
    /// member read from a known object that lacks it.
    private mutating func shape(of expression: ExpressionNode, context: DataShape?, at path: TemplatePath) -> DataShape? {
        switch expression {
        case .data: return context
        case .root: return root
        case .literal, .decimal, .index: return nil
        case .member(let base, let name):
            guard case .object(let members)? = shape(of: base, context: context, at: path) else { return nil }
            if let member = members[name] { return member }
            report(expression, at: path)
            return nil
        case .element(let base, let key):
            let container = shape(of: base, context: context, at: path)
            _ = shape(of: key, context: context, at: path)
            if case .array(let item)? = container { return item }
            if case .object(let members)? = container, case .literal(.string(let name)) = key {
                if let member = members[name] { return member }
                report(expression, at: path)
            }
            return nil
        case .negate(let operand), .not(let operand):
            _ = shape(of: operand, context: context, at: path)
            return nil
        case .binary(_, let left, let right), .and(let left, let right), .or(let left, let right):
            _ = shape(of: left, context: context, at: path)
            _ = shape(of: right, context: context, at: path)
            return nil
        case .call(_, let arguments):
            for argument in arguments { _ = shape(of: argument, context: context, at: path) }
            return nil
        }
    }

    private mutating func report(_ expression: ExpressionNode, at path: TemplatePath) {
        let unknown = UnknownDataPath(jsonPath: path.description, path: Self.text(of: expression))
        if seen.insert(unknown).inserted { found.append(unknown) }
    }

    /// The path as an author writes it: `asset.titel`, `$root.event.trigger`, `fixity['SHA-1']`.
    private static func text(of expression: ExpressionNode) -> String {
        switch expression {
        case .data: return "$data"
        case .root: return "$root"
        case .member(.data, let name): return name
        case .member(let base, let name): return text(of: base) + "." + name
        case .element(let base, .literal(.string(let key))): return text(of: base) + "['\(key)']"
        case .element(let base, _): return text(of: base) + "[…]"
        default: return "…"
        }
    }
}
