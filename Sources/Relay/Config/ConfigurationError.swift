/// The configuration cannot be used; one line per problem, each naming the JSON path.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    /// The file the problems were found in.
    public var file: String
    /// `path: what was expected` lines, in the order found.
    public var problems: [String]

    /// Creates an error.
    public init(file: String, problems: [String]) {
        self.file = file
        self.problems = problems
    }

    public var description: String {
        problems.map { "\(file): \($0)" }.joined(separator: "\n")
    }
}
