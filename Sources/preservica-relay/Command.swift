/// One command of the executable: the single place its name, help and code meet, so the
/// dispatch, the overview and `help <command>` cannot drift apart.
struct Command: Sendable {
    /// What is typed after `preservica-relay`.
    let name: String
    /// One line for the overview.
    let summary: String
    /// The full help: `Usage:` lines, then what it does. Every `--option` the command accepts
    /// appears here; the dispatcher refuses any other.
    let usage: String
    /// Runs the command with the arguments after its name.
    let run: @Sendable ([String]) async -> ExitCode
    /// The help of one mode (`simulate chat --help`), given the first argument; nil for the whole ``usage``.
    var modeUsage: @Sendable (String) -> String? = { _ in nil }

    /// The options named in ``usage`` (`--config`, `--ref`, …), plus `--help`.
    var options: Set<String> {
        var found: Set<String> = ["--help"]
        var scalars = usage.unicodeScalars[...]
        while let start = scalars.firstRange(of: "--".unicodeScalars) {
            let rest = scalars[start.upperBound...]
            let name = rest.prefix { ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || $0 == "-" }
            if let first = name.first, first != "-" { found.insert("--" + String(String.UnicodeScalarView(name))) }
            scalars = rest[name.endIndex...]
        }
        return found
    }
}
