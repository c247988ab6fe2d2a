import Foundation
import PreservicaSimulator

/// `preservica-relay simulate chat`: the chat sinks on their own, standing in for Teams, Slack
/// and the rest, printing a URL to paste into a channel's configuration and each card as it arrives.
enum SimulateChatCommand {
    static func run(_ arguments: [String]) async -> ExitCode {
        var options = CommandArguments(arguments)
        var configuration = ChatSinkConfiguration()
        var services: [ChatSinkTarget] = []
        do throws(UsageError) {
            if options.flag("help") { print(SimulateCommand.chatHelp); return .success }
            let portText = try options.value("port") ?? "0"
            guard let port = Int(portText), (0...65535).contains(port) else { throw UsageError("--port must be a number from 0 to 65535") }
            configuration.port = port
            configuration.host = try options.value("host") ?? configuration.host
            while let text = try options.value("service") {
                for name in text.split(separator: ",").map(String.init) {
                    if name == "all" { services += ChatSinkTarget.allCases; continue }
                    guard let service = ChatSinkTarget(rawValue: name) else {
                        throw UsageError("--service: no chat service \"\(name)\"; one of "
                            + (ChatSinkTarget.allCases.map(\.rawValue) + ["all"]).joined(separator: ", "))
                    }
                    services.append(service)
                }
            }
            try options.finish()
        } catch {
            Console.error(error.message)
            return .usage
        }
        if services.isEmpty { services = ChatSinkTarget.allCases }
        let signals = ProcessSignals.stream()
        let sink = ChatSink(configuration: configuration)
        do {
            try sink.start()
        } catch {
            Console.error("cannot start the chat sinks: \(error)")
            return .failure
        }
        print("Chat sinks listening on \(sink.baseURL). Give a channel of each type below its URL as url:")
        var shown: Set<ChatSinkTarget> = []
        for service in services where shown.insert(service).inserted {
            print(line(for: service, sink: sink))
        }
        print("Each card is printed as it arrives. Stop with Ctrl-C.")
        let printing = Task { await printArrivals(sink) }
        var signal = "end"
        for await received in signals where received != "SIGHUP" {
            signal = received
            break
        }
        printing.cancel()
        print("stopping (\(signal)): \(sink.received.count) request(s) received")
        await sink.stop()
        return .success
    }

    /// The configuration a channel needs to post to `service` on `sink`.
    private static func line(for service: ChatSinkTarget, sink: ChatSink) -> String {
        let name = service.rawValue.padding(toLength: 16, withPad: " ", startingAt: 0)
        if service == .matrix {
            return "  \(name)homeserver: \"\(sink.matrixHomeserver)\", room: \"!relay:sink.local\", token: \"\(sink.matrixAccessToken)\""
        }
        return "  \(name)\(sink.url(for: service))"
    }

    /// One block per request, in arrival order: service, status and outcome, size, the card's
    /// first lines, and the service's reply.
    private static func printArrivals(_ sink: ChatSink) async {
        var printed = 0
        while !Task.isCancelled {
            let arrived = await sink.waitForMessages(count: printed + 1, timeout: .seconds(1))
            for message in arrived.dropFirst(printed) {
                printed += 1
                let time = ISO8601DateFormatter().string(from: message.receivedAt)
                print("\(time)  \(message.target.rawValue): HTTP \(message.status) \(outcome(message.outcome)), \(message.body.count) bytes")
                print("    \(message.titleLine)")
                let reply = message.responseText.replacingOccurrences(of: "\n", with: " ")
                print("    reply: \(reply.isEmpty ? "(empty)" : reply.count > 160 ? String(reply.prefix(159)) + "…" : reply)")
            }
        }
    }

    private static func outcome(_ outcome: ChatSinkOutcome) -> String {
        switch outcome {
        case .delivered: "delivered"
        case .silentlyFailed(let why): "accepted but not shown: \(why)"
        case .rejected(let why): "rejected: \(why)"
        case .scripted: "scripted"
        case .duplicate: "duplicate, shown once"
        }
    }
}
