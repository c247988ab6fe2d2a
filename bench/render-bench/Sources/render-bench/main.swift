import CardTemplates
import Foundation
import JSON

// Renders each card in cards/ (or the templates given as arguments) over cards/data.json on one
// core and prints renders per second of CPU time. The first render is checked to be valid JSON.

func cpuSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../cards").standardized.path
let arguments = Array(CommandLine.arguments.dropFirst())
let templates = arguments.isEmpty ? ["teams-facts.json", "teams-ingest.json"].map { directory + "/" + $0 } : arguments
let data = try JSONParser.parse([UInt8](FileManager.default.contents(atPath: directory + "/data.json") ?? Data()))

for path in templates {
    let template = try CardTemplate(contentsOfFile: path)
    let card = template.render(data)
    let text = JSONWriter.string(card)
    guard (try? JSONParser.parse(text)) == card else { fatalError("\(path): output does not round-trip") }
    var rounds = 0
    var members = 0
    let start = cpuSeconds()
    var elapsed = 0.0
    while elapsed < 2 {
        for _ in 0..<1_000 {
            if case .object(let object) = template.render(data) { members += object.count }
        }
        rounds += 1_000
        elapsed = cpuSeconds() - start
    }
    let name = (path as NSString).lastPathComponent
    print("\(name): \(Int(Double(rounds) / elapsed)) renders/s, \(Int(elapsed / Double(rounds) * 1e9 / 1000)) µs each, \(text.utf8.count) bytes out (\(members / rounds) top-level members)")
}
