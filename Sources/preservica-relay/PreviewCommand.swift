import Foundation
import CardTemplates
import ChatTargets
import JSON
import Preservica
import Relay

/// `preservica-relay preview`: the card a real asset would get, from the configured Preservica.
enum PreviewCommand {
    static func run(_ arguments: [String]) async -> ExitCode {
        var options = CommandArguments(arguments)
        let ref: String
        let trigger: TriggerType
        let templatePath: String?
        let targetName: String?
        let htmlPath: String?
        let modelOnly: Bool
        let path: String
        let galleryDirectory: String?
        do throws(UsageError) {
            if options.flag("help") { return Usage.printHelp("preview") }
            galleryDirectory = try options.value("gallery")
            guard let given = try options.value("ref") ?? (galleryDirectory == nil ? nil : "") else {
                throw UsageError("--ref REF is required (or --gallery DIR)")
            }
            ref = given
            let triggerText = try options.value("trigger") ?? "ingest"
            guard let parsed = TriggerType(text: triggerText) else { throw UsageError("unknown trigger \"\(triggerText)\"") }
            trigger = parsed
            templatePath = try options.value("template")
            targetName = try options.value("target")
            htmlPath = try options.value("html")
            modelOnly = options.flag("model")
            path = try options.value("config") ?? RelayConfiguration.defaultPath()
            try options.finish()
            if let targetName, ChatTargetKind(rawValue: targetName) == nil {
                throw UsageError("unknown target \"\(targetName)\"; use one of \(ChatTargetKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        } catch {
            Console.error(error.message)
            return .usage
        }
        if let galleryDirectory {
            return gallery(directory: galleryDirectory, target: ChatTargetKind(rawValue: targetName ?? "teams") ?? .teams, configPath: path)
        }
        let settings: PreservicaSettings
        let entities: EntityClient
        do {
            settings = try RelayConfiguration.loadPreservicaSettings(path: path).0
            entities = try settings.entityClient()
        } catch let error as ConfigurationError {
            FileHandle.standardError.write(Data((TerminalText.lines(error.description) + "\n").utf8))
            return .usage
        } catch {
            Console.error("\(error)")
            return .usage
        }

        guard await PreservicaReachability.check(entities, for: "preview") else { return .failure }
        let enriched = await entities.enrich(ref)
        for problem in enriched.problems { Console.error("warning: \(TerminalText.field(problem))") }
        if enriched.notFound { Console.error("warning: Preservica does not know \(ref); the card shows it as not found") }
        let version = try? await entities.version()
        let event = WebhookEvent(event: trigger == .ingested ? "FullTextIndexed" : trigger.rawValue, entityType: "IO", entityRef: ref)
        let notification = WebhookNotification(subscriptionId: "preview", timestamp: PreviewClock.timestamp(),
                                               tenant: settings.credentials.tenant ?? "", version: version ?? "",
                                               trigger: trigger.rawValue, events: [event])
        // The card the configured relay would send: its display settings (identifiers shown, the
        // zone times are written in) when the whole configuration reads; else the defaults.
        let configuration = FileManager.default.fileExists(atPath: path) ? try? RelayConfiguration.load(path: path) : nil
        let clock = CardClock(source: settings.timeZone, display: configuration?.display.timeZone ?? CardClock().display)
        let model = TemplateData.event(notification, event, asset: enriched, links: settings.links, version: version, clock: clock,
                                       identifierTypes: configuration?.display.identifiers ?? [])
        if modelOnly {
            print(TerminalJSON.text(JSONWriter.pretty(model)))
            return .success
        }
        // The target decides the envelope and the size limit; a template file replaces its default card.
        let target = ChatTargetKind(rawValue: targetName ?? "teams") ?? .teams
        let template: CardTemplate
        if let templatePath {
            do {
                template = try CardTemplate(contentsOfFile: templatePath)
            } catch {
                Console.error("\(error)")
                return .failure
            }
        } else {
            template = target.defaultTemplate(for: trigger == .ingestFailed ? .failure : .asset)
        }
        if let templatePath {
            for line in TemplatePathWarnings.lines(for: template, name: templatePath, extra: model) { Console.warning(line) }
        }
        let card = target.card(template, data: model)
        let payload = target.envelope(card)
        let bytes = JSONWriter.bytes(payload).count
        print(TerminalJSON.text(JSONWriter.pretty(payload)))
        let verdict = bytes <= target.maxPayloadBytes ? "within" : "OVER"
        print("payload: \(bytes) bytes, \(verdict) the \(target.rawValue) limit of \(target.maxPayloadBytes) bytes")
        let problems = target.problems(in: payload)
        if !problems.isEmpty {
            print("the service would refuse or drop this card (the relay sends the default card instead): " + problems.joined(separator: "; "))
        }
        if let htmlPath {
            do {
                try CardHTML.page(card, title: enriched.asset?.title ?? ref, clock: clock).write(toFile: htmlPath, atomically: true, encoding: .utf8)
                print("HTML rendering: \(htmlPath)")
            } catch {
                Console.error("cannot write \(htmlPath): \(error)")
                return .failure
            }
        }
        return .success
    }
}

extension PreviewCommand {
    /// `preview --gallery DIR`: every default card kind of `target`, from sample data, on one page
    /// `DIR/<target>-gallery.html`, in the configured `display.timeZone` when a configuration is found.
    static func gallery(directory: String, target: ChatTargetKind, configPath: String) -> ExitCode {
        var clock = CardClock()
        if FileManager.default.fileExists(atPath: configPath),
           let configuration = try? RelayConfiguration.load(path: configPath) {
            clock = CardClock(source: configuration.preservica?.timeZone ?? clock.source, display: configuration.display.timeZone)
        }
        let file = directory + "/\(target.rawValue)-gallery.html"
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try CardGallery.page(for: target, clock: clock).write(toFile: file, atomically: true, encoding: .utf8)
        } catch {
            Console.error("cannot write \(file): \(error)")
            return .failure
        }
        print("gallery of the default \(target.rawValue) cards: \(file)")
        return .success
    }
}

/// Now as ISO 8601 with milliseconds, in UTC with its `Z`: without the zone it would be read in
/// `preservica.timeZone`, and the preview would show another time.
enum PreviewClock {
    static func timestamp() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = .gmt
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'"
        return formatter.string(from: Date())
    }
}
