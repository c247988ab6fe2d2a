import Foundation
import CardTemplates
import JSON

/// `preservica-relay render --template FILE --data FILE`: the card designer's loop.
enum RenderCommand {
    static func run(_ arguments: [String]) -> ExitCode {
        var options = CommandArguments(arguments)
        let templatePath: String
        let dataPath: String
        let pretty: Bool
        do throws(UsageError) {
            if options.flag("help") { return Usage.printHelp("render") }
            guard let template = try options.value("template") else { throw UsageError("--template FILE is required") }
            guard let data = try options.value("data") else { throw UsageError("--data FILE is required") }
            templatePath = template
            dataPath = data
            pretty = options.flag("pretty")
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
            data = try JSONParser.parse(Array(bytes))
        } catch {
            Console.error("\(dataPath): not valid JSON: \(error)")
            return .failure
        }
        let output = template.render(data)
        print(pretty ? JSONWriter.pretty(output) : JSONWriter.string(output))
        return .success
    }
}
