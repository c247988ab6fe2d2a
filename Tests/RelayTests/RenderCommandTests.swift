import Testing
import Foundation
import JSON

@Suite("render command")
struct RenderCommandTests {
    private let directory: String

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("render-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    @Test("a template and a data file give the expanded JSON")
    func renders() async throws {
        try #"{"type":"AdaptiveCard","body":[{"type":"TextBlock","text":"${asset.title} (${asset.totalSizeText})"},{"$data":"${asset.bitstreams}","type":"TextBlock","text":"${filename}"}]}"#
            .write(toFile: directory + "/card.json", atomically: true, encoding: .utf8)
        try #"{"asset":{"title":"Brev \"1884\"","totalSizeText":"19.9 MB","bitstreams":[{"filename":"a.jp2"},{"filename":"b.jpg"}]}}"#
            .write(toFile: directory + "/data.json", atomically: true, encoding: .utf8)
        let render = try RelayProcess(["render", "--template", "card.json", "--data", "data.json"], directory: directory)
        #expect(try await render.exitCode() == 0, "\(render.stderr)")
        let output = try JSONParser.parse(render.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        let body = try #require(output.objectValue?["body"]?.arrayValue)
        #expect(body.count == 3)
        #expect(body[0].objectValue?["text"] == .string("Brev \"1884\" (19.9 MB)"))
        #expect(body[2].objectValue?["text"] == .string("b.jpg"))
    }

    @Test("a template error exits 1 naming the file, the JSON path and the column")
    func templateError() async throws {
        try #"{"body":[{"text":"ok"},{"text":"${unknownFunction(asset.title)}"}]}"#
            .write(toFile: directory + "/bad.json", atomically: true, encoding: .utf8)
        try "{}".write(toFile: directory + "/data.json", atomically: true, encoding: .utf8)
        let render = try RelayProcess(["render", "--template", "bad.json", "--data", "data.json"], directory: directory)
        #expect(try await render.exitCode() == 1)
        #expect(render.stderr.contains("bad.json"))
        #expect(render.stderr.contains("body[1].text"))
        #expect(render.stderr.contains("unknownFunction"))
    }

    @Test("a path the data model does not have is a warning naming it; paths in the data file are not")
    func unknownPath() async throws {
        try #"{"body":[{"text":"${asset.titel}"},{"text":"${asset.title}"},{"text":"${custom.note}"}]}"#
            .write(toFile: directory + "/typo.json", atomically: true, encoding: .utf8)
        try #"{"asset":{"title":"Brev"},"custom":{"note":"n"}}"#.write(toFile: directory + "/data.json", atomically: true, encoding: .utf8)
        let render = try RelayProcess(["render", "--template", "typo.json", "--data", "data.json"], directory: directory)
        #expect(try await render.exitCode() == 0, "\(render.stderr)")
        #expect(render.stderr.contains("typo.json: warning: body[0].text: ${asset.titel} is not in the data model"))
        #expect(!render.stderr.contains("asset.title}") && !render.stderr.contains("custom.note"))
    }
}
