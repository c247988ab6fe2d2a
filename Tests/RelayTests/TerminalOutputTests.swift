import Testing
import Foundation
import JSON
import Relay
import PreservicaSimulator

/// Text from outside reaches the operator's terminal with its control characters escaped.
@Suite("Terminal output")
struct TerminalOutputTests {
    /// A window-title change, a screen clear through the one-byte C1 CSI, a bell, a DEL, a
    /// right-to-left override, and a line break that would forge a line of its own.
    static let hostile = "ok\u{1B}]0;owned\u{07} \u{9B}2J\u{7F}\u{202E}txt.exe\nfake 200 delivered"

    /// True when `text` holds a byte a terminal would act on.
    static func hasControl(_ text: String, allowingLines: Bool) -> Bool {
        text.unicodeScalars.contains { scalar in
            let value = scalar.value
            if allowingLines && (value == 0x0A || value == 0x09) { return false }
            return value < 0x20 || (0x7F..<0xA0).contains(value) || (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value)
        }
    }

    @Test("a field has every control escaped; lines keep line feeds and tabs; other text is untouched")
    func escaping() {
        let field = TerminalText.field(Self.hostile)
        #expect(!Self.hasControl(field, allowingLines: false))
        #expect(field == #"ok\x1B]0;owned\x07 \x9B2J\x7F\u{202E}txt.exe\nfake 200 delivered"#)
        let lines = TerminalText.lines("a\tb\n\u{1B}[31mred")
        #expect(lines == "a\tb\n\\x1B[31mred")
        #expect(TerminalText.field("Bjørnson: brev til Åse, 1884 — «kart»") == "Bjørnson: brev til Åse, 1884 — «kart»")
        #expect(TerminalText.field("a\u{200F}b\u{2028}c\u{FEFF}d\u{061C}e") == #"a\u{200F}b\u{2028}c\u{FEFF}d\u{61C}e"#)
    }

    @Test("JSON lines (audit, logs) carry DEL and C1 controls escaped, and still parse to the same text")
    func jsonEscapesC1() throws {
        let written = JSONWriter.string(.string(Self.hostile))
        #expect(!written.unicodeScalars.contains { $0.value < 0x20 || (0x7F..<0xA0).contains($0.value) })
        #expect(written.contains(#"\u009b"#) && written.contains(#"\u007f"#) && written.contains(#"\u001b"#))
        #expect(try JSONParser.parse(written) == .string(Self.hostile))
        // Direction controls too: a log or audit line read in a terminal shows them reordering
        // the text after them (a user name "x\u{202E}…" at the console's sign-in).
        let marks = "a\u{202E}b\u{2066}c\u{2069}d\u{200F}e\u{061C}f\u{2028}g\u{2030}h"
        let quoted = JSONWriter.string(.string(marks))
        #expect(quoted == #""a\u202eb\u2066c\u2069d\u200fe\u061cf\u2028g‰h""#, "\(quoted)")
        #expect(try JSONParser.parse(quoted) == .string(marks))
    }

    @Test("dead and audit print a chat service's hostile reply and title escaped")
    func deadAndAudit() async throws {
        let relay = try RelayHarness()
        let data = relay.directory + "/data"
        try #"{ dataDir: "data", webhook: { secrets: ["s"] } }"#.write(toFile: relay.directory + "/relay.json5", atomically: true, encoding: .utf8)
        let outbox = Outbox(dataDirectory: data)
        let job = DeliveryJob(id: "9-0-ops", name: "000000000009-0000.json", channel: "ops", kind: "asset", event: "9/0#ref-1",
                              createdAt: "2026-11-29T10:00:00.000Z", attempts: 1, payload: .object(.init()),
                              lastReply: "HTTP 400 " + Self.hostile)
        var titled = job
        titled.ref = "ref-1"
        titled.title = "Title " + Self.hostile
        try outbox.save(titled)
        try outbox.bury(titled)
        AuditLog(dataDirectory: data).record("dead", [("job", .string(job.id)), ("entity", .string("ref-1")),
                                                      ("reply", .string(Self.hostile))])
        // A line as an older version, or a hand, may have written it: raw controls in the file.
        let raw = "{\"step\":\"retry\",\"entity\":\"ref-1\",\"reply\":\"\u{9B}2J\u{1B}]0;x\u{07}\"}\n"
        let handle = try #require(FileHandle(forWritingAtPath: AuditLog(dataDirectory: data).path))
        handle.seekToEndOfFile()
        handle.write(Data(raw.utf8))
        try handle.close()

        let dead = try RelayProcess(["dead", "--config", "relay.json5"], directory: relay.directory)
        #expect(try await dead.exitCode() == 0)
        #expect(dead.stdout.contains(#"9-0-ops  ops  asset  ref-1  "Title ok\x1B]0;owned\x07"#))
        #expect(dead.stdout.contains(#"\nfake 200 delivered"#))
        #expect(!Self.hasControl(dead.stdout, allowingLines: true))
        #expect(dead.stdout.split(separator: "\n").count == 2)

        let audit = try RelayProcess(["audit", "--ref", "ref-1", "--config", "relay.json5"], directory: relay.directory)
        #expect(try await audit.exitCode() == 0)
        #expect(audit.stdout.split(separator: "\n").count == 2)
        #expect(audit.stdout.contains(#"\x9B2J\x1B]0;x\x07"#))
        #expect(!Self.hasControl(audit.stdout, allowingLines: true))
    }

    /// Titles, folder names, file names and tags come from Preservica: whoever can name an asset
    /// there must not be able to drive the operator's terminal through `enrich` or `routes`.
    @Test("enrich and routes print an asset's hostile title, folder and file name escaped")
    func enrichAndRoutes() async throws {
        let ref = "0badc0de-0000-4000-8000-00000000e5c0"
        let folder = "0badc0de-0000-4000-8000-0000000fe5c0"
        var repository = SimulatorRepository.sample
        repository.folders.append(SimulatedFolder(ref: folder, title: "Folder " + Self.hostile))
        repository.assets.append(SimulatedAsset(
            ref: ref, title: "Title " + Self.hostile, securityTag: "tag" + Self.hostile, parent: folder,
            representations: [SimulatedRepresentation(type: "Preservation", contentObjects: [
                SimulatedContentObject(ref: "0badc0de-0000-4000-8000-0000000ce5c0", title: "co", generations: [
                    SimulatedGeneration(bitstreams: [SimulatedBitstream(filename: "file" + Self.hostile, size: 1, sha256: String(repeating: "a", count: 64))]),
                ]),
            ])]))
        let simulator = PreservicaSimulator(configuration: SimulatorConfiguration(password: "pw", repository: repository))
        try simulator.start()
        let relay = try RelayHarness()
        try #"{ webhook: { secrets: ["s"] }, channels: { c: { type: "slack", url: "https://hooks.slack.com/services/T/B/k", securityTags: { allow: ["open"], redact: true } } }, routes: [ { channels: ["c"] } ] }"#
            .write(toFile: relay.directory + "/relay.json5", atomically: true, encoding: .utf8)
        let environment = ["PRESERVICA_SERVER": simulator.baseURL, "PRESERVICA_USERNAME": "admin", "PRESERVICA_PASSWORD": "pw"]
        for arguments in [["enrich", "--ref", ref], ["routes", "--ref", ref, "--config", "relay.json5"]] {
            let run = try RelayProcess(arguments, environment: environment, directory: relay.directory)
            _ = try await run.exitCode()
            // XML cannot carry ESC or BEL (the simulator writes U+FFFD for them, as a document must);
            // the C1 CSI, the override and the line break arrive, and are escaped.
            #expect(run.stdout.contains(#"\x9B2J\x7F\u{202E}txt.exe\nfake"#), "\(arguments[0]): \(run.stdout)")
            #expect(!Self.hasControl(run.stdout, allowingLines: true), "\(arguments[0])")
            #expect(!run.stdout.contains("\nfake 200 delivered"), "\(arguments[0]): a forged line")
            // The tag again in each channel's decision line, which must not forge a routing line.
            #expect(!run.stdout.split(separator: "\n").contains { $0.hasPrefix("fake") }, "\(arguments[0])")
        }
        await simulator.stop()
    }

    /// `render > payload.json` must be the payload: the terminal's escapes (`\u{2067}`) are not
    /// JSON, so JSON output carries JSON's own escapes for those characters.
    @Test("render prints JSON that still parses to the same value when the data holds controls a terminal would act on")
    func renderedJSONStillParses() async throws {
        let relay = try RelayHarness()
        let title = "\u{2067}שלום\u{2069} \u{9B}2J\u{7F} end"
        try #"{"title":"${t}"}"#.write(toFile: relay.directory + "/card.json", atomically: true, encoding: .utf8)
        try JSONWriter.string(.object(JSONObject([("t", .string(title))]))).write(toFile: relay.directory + "/data.json", atomically: true, encoding: .utf8)
        let render = try RelayProcess(["render", "--template", "card.json", "--data", "data.json"], directory: relay.directory)
        #expect(try await render.exitCode() == 0, "\(render.stderr)")
        #expect(!Self.hasControl(render.stdout, allowingLines: true))
        let parsed = try JSONParser.parse(render.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(parsed.objectValue?["title"]?.stringValue == title)
    }
}
