import Relay

/// A small reader for `--name value`, `--name=value` and `--flag` options.
struct CommandArguments {
    private var remaining: [String]

    init(_ arguments: [String]) {
        remaining = arguments
    }

    /// The value of `--name`, removing it from the list; an error when the value is missing.
    mutating func value(_ name: String) throws(UsageError) -> String? {
        for (index, argument) in remaining.enumerated() {
            if argument == "--\(name)" {
                guard index + 1 < remaining.count else { throw UsageError("--\(name) needs a value") }
                let value = remaining[index + 1]
                // `render --template --data x` means a forgotten value, not a template named "--data".
                // A secret that starts with dashes is not repeated.
                if Self.secretOptions.contains(argument) && value.hasPrefix("--") {
                    throw UsageError("--\(name) needs a value, found one starting with -- (not repeated here: it may be the secret; "
                        + "write --\(name)=VALUE for a value starting with --)")
                }
                if value.hasPrefix("--") || value == "-h" {
                    throw UsageError("--\(name) needs a value, found the option \(value) (write --\(name)=VALUE for a value starting with --)")
                }
                remaining.removeSubrange(index...(index + 1))
                return value
            }
            if argument.hasPrefix("--\(name)=") {
                remaining.remove(at: index)
                return String(argument.dropFirst(name.count + 3))
            }
        }
        return nil
    }

    /// The options whose value is a secret, never printed back.
    static let secretOptions: Set<String> = ["--secret", "--password"]

    /// Whether `--name` was given, removing it.
    mutating func flag(_ name: String) -> Bool {
        guard let index = remaining.firstIndex(of: "--\(name)") else { return false }
        remaining.remove(at: index)
        return true
    }

    /// Takes the remaining arguments that are not options; one such as `-a` is a mistake, not a value.
    mutating func positional() throws(UsageError) -> [String] {
        if let option = remaining.first(where: { $0.hasPrefix("-") && !$0.hasPrefix("--") && $0.count > 1 }) {
            throw UsageError("unknown option \(option)")
        }
        let values = remaining.filter { !$0.hasPrefix("--") }
        remaining.removeAll { !$0.hasPrefix("--") }
        return values
    }

    /// The `--config` value in `arguments`, or the default path.
    static func configPath(_ arguments: [String]) -> String {
        var options = CommandArguments(arguments)
        return (try? options.value("config")) ?? nil ?? RelayConfiguration.defaultPath()
    }

    /// Fails on anything not consumed.
    func finish() throws(UsageError) {
        if let first = remaining.first { throw UsageError("unexpected argument \"\(first)\"") }
    }
}

/// A command line that cannot be understood.
struct UsageError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
