import Foundation
import CardTemplates
import ChatTargets
import JSON
import Relay

/// `preservica-relay render --template FILE --data FILE`: the card designer's loop.
enum RenderCommand {
    static func run(_ arguments: [String]) -> ExitCode {
        var options = CommandArguments(arguments)
        let templatePath: String
        let dataPath: String
        let pretty: Bool
        var target: ChatTargetKind?
        do throws(UsageError) {
            if options.flag("help") { return Usage.printHelp("render") }
            guard let template = try options.value("template") else { throw UsageError("--template FILE is required") }
            guard let data = try options.value("data") else { throw UsageError("--data FILE is required") }
            templatePath = template
            dataPath = data
            pretty = options.flag("pretty")
            if let name = try options.value("target") {
                guard let kind = ChatTargetKind(rawValue: name) else {
                    throw UsageError("--target: no chat service \"\(name)\"; one of \(ChatTargetKind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                target = kind
            }
            try options.finish()
        } catch {
            Console.error(error.message)
            return .usage
        }
        let template: CardTemplate
        do {
            template = try CardTemplate(contentsOfFile: templatePath)
        } catch {
            Console.error("\(error)")
            return .failure
        }
        guard let bytes = FileManager.default.contents(atPath: dataPath) else {
            Console.error("cannot read \(dataPath)")
            return .failure
        }
        let data: JSONValue
        do {
            // The texts the relay derives from a model's own fields are added as it adds them
            // (a model saved by an older relay lacks them).
            data = ModelTexts.completed(try JSONParser.parse(Array(bytes)))
        } catch {
            Console.error("\(dataPath): not valid JSON: \(error)")
            return .failure
        }
        for line in TemplatePathWarnings.lines(for: template, name: templatePath, extra: data) { Console.warning(line) }
        // With a target, data is escaped for its markup exactly as the relay does before posting.
        let output = target.map { $0.card(template, data: data) } ?? template.render(data)
        print(TerminalJSON.text(pretty ? JSONWriter.pretty(output) : JSONWriter.string(output)))
        return .success
    }
}
