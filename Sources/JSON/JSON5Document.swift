/// A parsed JSON5 document and the keys it repeats.
public struct JSON5Document: Sendable, Equatable {
    /// A key that appears more than once in one object; its later value is the one kept.
    public struct DuplicateKey: Sendable, Equatable {
        /// Its path, as the configuration names it: `channels.ops.type`, `routes[0].channels`.
        public var path: String
        /// Line of the repeat (1-based).
        public var line: Int
        /// Column of the repeat (1-based, in characters).
        public var column: Int
    }

    /// The value.
    public var value: JSONValue
    /// Every repeated key, in the order found.
    public var duplicateKeys: [DuplicateKey]
}
