import Testing
import Foundation

/// The command line as a newcomer meets it: one table behind the overview, `help <command>`,
/// `-h`/`--help` and the dispatch, and mistakes answered with exit 2 and a hint.
@Suite("Command line")
struct CommandLineTests {
    private let directory: String

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    private func run(_ arguments: [String]) async throws -> (code: Int32, stdout: String, stderr: String) {
        let process = try RelayProcess(arguments, directory: directory)
        let code = try await process.exitCode()
        return (code, process.stdout, process.stderr)
    }

    /// The command lines of the overview: `  name   summary`.
    private func overviewLines(_ text: String) -> [Substring] {
        guard let start = text.range(of: "Commands:\n") else { return [] }
        return text[start.upperBound...].split(separator: "\n", omittingEmptySubsequences: false).prefix { !$0.isEmpty }
    }

    @Test("no command prints the overview on stderr and exits 2; its columns line up")
    func noCommand() async throws {
        let bare = try await run([])
        #expect(bare.code == 2)
        #expect(bare.stdout.isEmpty)
        let lines = overviewLines(bare.stderr)
        #expect(lines.count >= 19)
        let summaryColumns = Set(lines.map { line -> Int in
            let afterName = line.dropFirst(2).drop { $0 != " " }
            return line.distance(from: line.startIndex, to: afterName.drop { $0 == " " }.startIndex)
        })
        #expect(summaryColumns.count == 1, "summaries start at columns \(summaryColumns)")
    }

    @Test("every command in the overview has help, through help, --help and -h alike, exiting 0")
    func everyCommandHasHelp() async throws {
        let overview = try await run(["help"])
        #expect(overview.code == 0)
        let names = overviewLines(overview.stdout).compactMap { $0.split(separator: " ").first.map(String.init) }
        #expect(names.contains("simulate") && names.contains("serve") && names.contains("check-config"))
        for name in names {
            let help = try await run(["help", name])
            #expect(help.code == 0, "help \(name): \(help.stderr)")
            #expect(help.stdout.hasPrefix("Usage: preservica-relay \(name)"), "help \(name): \(help.stdout)")
            for flag in ["--help", "-h"] {
                let direct = try await run([name, flag])
                #expect(direct.code == 0 && direct.stdout == help.stdout, "\(name) \(flag): \(direct.stderr)")
            }
        }
    }

    @Test("each simulate mode's --help shows that mode alone; simulate --help shows all three")
    func simulateModeHelp() async throws {
        let all = try await run(["simulate", "--help"])
        for mode in ["preservica", "send", "chat"] {
            #expect(all.stdout.contains("preservica-relay simulate \(mode) "))
            let own = try await run(["simulate", mode, "--help"])
            #expect(own.code == 0, "\(mode): \(own.stderr)")
            #expect(own.stdout.hasPrefix("Usage: preservica-relay simulate \(mode) "), "\(mode): \(own.stdout)")
            #expect(own.stdout.contains("\nsimulate \(mode) "), "\(mode): \(own.stdout)")
            for other in ["preservica", "send", "chat"] where other != mode {
                #expect(!own.stdout.contains("simulate \(other)"), "\(mode) --help shows \(other)")
            }
        }
    }

    @Test("an unknown option or command gets did you mean, and exits 2")
    func didYouMean() async throws {
        let option = try await run(["render", "--temp", "card.json", "--data", "data.json"])
        #expect(option.code == 2)
        #expect(option.stderr.contains("render: unknown option --temp (did you mean --template?)"))
        let typo = try await run(["routes", "--reff", "x"])
        #expect(typo.code == 2 && typo.stderr.contains("(did you mean --ref?)"))
        let command = try await run(["sreve"])
        #expect(command.code == 2 && command.stderr.contains("unknown command sreve (did you mean serve?)"))
        let short = try await run(["unsubscribe", "-a"])
        #expect(short.code == 2 && short.stderr.contains("unknown option -a"), "\(short.stderr)")
        let help = try await run(["help", "simulte"])
        #expect(help.code == 2 && help.stderr.contains("did you mean simulate?"))
    }

    @Test("an option is never taken as the value of the one before it")
    func optionIsNotAValue() async throws {
        let render = try await run(["render", "--template", "--data", "x"])
        #expect(render.code == 2)
        #expect(render.stderr.contains("--template needs a value, found the option --data"))
        let send = try await run(["simulate", "send", "--url", "http://127.0.0.1:9/webhook", "--secret", "--ref", "r"])
        #expect(send.code == 2 && send.stderr.contains("--secret needs a value"))
    }

    /// A secret can start with dashes; typed after --secret or --password it is a mistake to
    /// report, never to print.
    @Test("a secret given where an option was expected is not printed back")
    func secretsNotEchoed() async throws {
        for arguments in [["subscribe", "--url", "https://relay.example.org/webhook", "--trigger", "ingest", "--secret", "--S3cretValue"],
                          ["simulate", "send", "--url", "http://127.0.0.1:9/webhook", "--ref", "r", "--secret", "--S3cretValue"],
                          ["simulate", "preservica", "--password", "--S3cretValue"]] {
            let result = try await run(arguments)
            #expect(result.code == 2, "\(arguments)")
            #expect(!result.stderr.contains("S3cret") && !result.stdout.contains("S3cret"), "\(result.stderr)")
            #expect(result.stderr.contains("needs a value"), "\(result.stderr)")
        }
    }

    @Test("a configuration file named but not there is an error, not an empty configuration")
    func missingConfigFile() async throws {
        for arguments in [["enrich", "--ref", "r", "--config", "missing.json5"], ["subscriptions", "--config", "missing.json5"]] {
            let result = try await run(arguments)
            #expect(result.code != 0 && result.stderr.contains("missing.json5") && result.stderr.contains("cannot read"), "\(result.stderr)")
        }
        // There but not readable as a file: a directory.
        try FileManager.default.createDirectory(atPath: directory + "/folder.json5", withIntermediateDirectories: true)
        let folder = try await run(["subscriptions", "--config", "folder.json5"])
        #expect(folder.code != 0 && folder.stderr.contains("cannot read"), "\(folder.stderr)")
    }

    @Test("Package.swift declares every module the executable imports")
    func importsAreDeclared() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let sources = root.appendingPathComponent("Sources/preservica-relay")
        let files = try FileManager.default.contentsOfDirectory(atPath: sources.path).filter { $0.hasSuffix(".swift") }
        let toolchain: Set<String> = ["Foundation", "FoundationEssentials", "FoundationNetworking", "FoundationXML", "Dispatch",
                                      "Glibc", "Darwin", "Synchronization"]
        var imported: Set<String> = []
        for file in files {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            for line in text.split(separator: "\n") {
                let words = line.split(separator: " ")
                if let index = words.firstIndex(of: "import"), index + 1 < words.count, words[..<index].allSatisfy({ $0.hasPrefix("@") }) {
                    imported.insert(String(words[index + 1]))
                }
            }
        }
        imported.subtract(toolchain)
        #expect(imported.contains("Relay"))
        let manifest = try String(contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8)
        let target = try #require(manifest.range(of: #".executableTarget(name: "preservica-relay""#))
        let declaration = manifest[target.upperBound...].prefix { $0 != ")" }
        for module in imported.sorted() {
            #expect(declaration.contains("\"\(module)\""), "preservica-relay imports \(module) but Package.swift does not declare it")
        }
    }

    /// FoundationXML brings libxml2 and the system ICU into the process (about 1 MB resident when
    /// idle); Preservica's XML is read by the Preservica module's own reader instead.
    @Test("no module of the relay imports FoundationXML, and the built binary links neither it nor libxml2")
    func noFoundationXML() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let sources = root.appendingPathComponent("Sources")
        let files = try FileManager.default.subpathsOfDirectory(atPath: sources.path).filter { $0.hasSuffix(".swift") }
        #expect(files.count > 50)
        let importers = try files.filter { file in
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            return text.split(separator: "\n").contains { $0.split(separator: " ").contains("FoundationXML") }
        }
        #expect(importers.isEmpty, "FoundationXML named in \(importers)")
        #if os(Linux)
        try #require(FileManager.default.isExecutableFile(atPath: RelayProcess.executable), "run swift build before swift test")
        let listing = directory + "/ldd.txt"
        let ldd = try ChildProcess(executable: "/usr/bin/ldd", arguments: [RelayProcess.executable], environment: ["PATH": "/usr/bin:/bin"],
                                   directory: nil, stdoutPath: listing)
        #expect(ldd.waitForExit() == 0)
        let libraries = try String(contentsOfFile: listing, encoding: .utf8)
        #expect(libraries.contains("libc.so"), "ldd listed: \(libraries)")
        // Objects compiled while some file of their module imported FoundationXML keep asking for
        // it after an incremental build; `swift package clean` drops them.
        #expect(!libraries.contains("FoundationXML") && !libraries.contains("libxml2"),
                "ldd listed: \(libraries)(if no source imports FoundationXML, objects from an older build may: swift package clean)")
        #endif
    }
}
