import Foundation
import Preservica
import Relay

/// `preservica-relay enrich`: read assets through the configured Preservica, as the pipeline does,
/// and print what was found. A quick check of credentials and reachability.
enum EnrichCommand {
    static func run(_ arguments: [String]) async -> ExitCode {
        var options = CommandArguments(arguments)
        var refs: [String] = []
        let path: String
        let quiet: Bool
        do throws(UsageError) {
            if options.flag("help") { return Usage.printHelp("enrich") }
            while let ref = try options.value("ref") { refs.append(ref) }
            if let file = try options.value("refs-file") {
                guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw UsageError("cannot read \(file)") }
                refs += text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            }
            quiet = options.flag("summary")
            path = try options.value("config") ?? RelayConfiguration.defaultPath()
            try options.finish()
            guard !refs.isEmpty else { throw UsageError("give at least one --ref REF or --refs-file FILE") }
        } catch {
            Console.error(error.message)
            return .usage
        }
        let settings: PreservicaSettings
        do {
            settings = try RelayConfiguration.loadPreservicaSettings(path: path).0
        } catch {
            FileHandle.standardError.write(Data((TerminalText.lines(error.description) + "\n").utf8))
            return .usage
        }
        let connection: PreservicaConnection
        do {
            connection = try settings.connection()
        } catch {
            Console.error("\(error)")
            return .usage
        }
        let entities = EntityClient(connection: connection, folderCacheTTL: settings.folderCacheTTL, maxContentObjects: settings.maxContentObjects)
        let started = ContinuousClock.now
        let results = await entities.enrich(refs)
        let elapsed = ContinuousClock.now - started
        var failures = 0
        for asset in results {
            if asset.notFound || !asset.problems.isEmpty { failures += 1 }
            if quiet { continue }
            if asset.notFound {
                print("\(TerminalText.field(asset.ref))  NOT FOUND")
                continue
            }
            let size = asset.bitstreams.reduce(Int64(0)) { total, bitstream in
                let (sum, overflow) = total.addingReportingOverflow(bitstream.size)
                return overflow ? .max : sum
            }
            // Titles, folder and file names and tags are Preservica's: printed with their controls escaped.
            print("\(TerminalText.field(asset.ref))  \(TerminalText.field(asset.asset?.title ?? "?"))")
            print("  folder: \(TerminalText.field(asset.path.map(\.title).joined(separator: " / ")))  "
                + "security: \(TerminalText.field(asset.asset?.securityTag ?? "?"))")
            if !asset.identifiers.isEmpty {
                print("  identifiers: " + TerminalText.field(asset.identifiers.map { "\($0.type)=\($0.value)" }.joined(separator: ", ")))
            }
            print("  \(asset.bitstreams.count) bitstream(s), \(size) bytes: \(TerminalText.field(asset.bitstreams.prefix(5).map(\.filename).joined(separator: ", ")))"
                + (asset.bitstreams.count > 5 ? ", …" : ""))
            if asset.unlistedContentObjects > 0 {
                print("  files of \(asset.unlistedContentObjects) of \(asset.contentObjects) content objects not listed "
                    + "(past preservica.maxContentObjects, \(settings.maxContentObjects), or not readable)")
            }
            for problem in asset.problems { print("  problem: \(TerminalText.field(problem))") }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print(String(format: "enriched=%d failed=%d seconds=%.3f requests=%d max_in_flight=%d",
                     results.count - failures, failures, seconds, connection.requestCount, settings.maxConcurrentRequests))
        return failures == 0 ? .success : .failure
    }
}
