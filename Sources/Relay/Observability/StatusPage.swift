import Foundation

/// `GET /`: a small plain HTML page (no script, nothing loaded from elsewhere) that says at a glance
/// whether the relay works.
enum StatusPage {
    static func render(status: RelayStatus, channels: [ChannelSettings], counts: SpoolCounts, dead: [DeliveryJob],
                       held: [HeldNotification] = []) -> String {
        let uptime = Int(Date().timeIntervalSince(status.started))
        var rows = ""
        for channel in channels {
            let failure = status.lastFailure(channel.name)
            rows += "<tr><td>\(escape(channel.name))</td><td>\(escape(channel.type))</td><td>\(escape(channel.host))</td>"
                + "<td>\(escape(status.lastSuccess(channel.name) ?? "–"))</td>"
                + "<td>\(escape(failure.map { "\($0.time): \($0.detail)" } ?? "–"))</td></tr>"
        }
        let attempts = status.recentAttempts.map {
            "<tr><td>\(escape($0.time))</td><td>\(escape($0.channel))</td><td>\(escape($0.job))</td>"
                + "<td class=\"\($0.outcome)\">\(escape($0.outcome))</td><td>\(escape($0.detail))</td></tr>"
        }.joined()
        let heldRows = held.prefix(50).map {
            "<tr><td>\($0.sequence)</td><td>\(escape($0.refs.joined(separator: " ")))</td><td>\(escape(Timestamp.iso8601($0.heldSince)))</td>"
                + "<td>\($0.attempts)</td><td>\(escape(Timestamp.iso8601($0.nextAttempt)))</td><td>\(escape($0.problem))</td></tr>"
        }.joined()
        let heldCount = held.reduce(0) { $0 + $1.events.count }
        let deadRows = dead.prefix(50).map {
            "<tr><td>\(escape($0.id))</td><td>\(escape($0.channel))</td><td>\(escape($0.ref))</td><td>\(escape($0.lastReply))</td></tr>"
        }.joined()
        return """
        <!doctype html>
        <html><head><meta charset="utf-8"><title>preservica-relay</title>
        <style>body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin-bottom:1.5em}
        td,th{border-bottom:1px solid #ddd;padding:4px 10px;text-align:left;font-size:.9em}.delivered{color:#107c10}
        .retry{color:#797600}.dead{color:#a4262c}</style></head><body>
        <h1>preservica-relay \(RelayVersion.current)</h1>
        <p>Up \(uptime / 3600) h \(uptime % 3600 / 60) min. Queues: incoming \(counts.incoming), outbox \(counts.outbox), dead \(counts.dead).</p>
        <h2>Channels</h2>
        <table><tr><th>name</th><th>type</th><th>host</th><th>last success</th><th>last failure</th></tr>\(rows)</table>
        <h2>Last deliveries</h2>
        <table><tr><th>time</th><th>channel</th><th>job</th><th>outcome</th><th>detail</th></tr>\(attempts)</table>
        <h2>Held for Preservica</h2>
        <p>\(heldCount == 0 ? "Nothing held." : "\(heldCount) events wait for Preservica to answer; their cards follow when it does.")</p>
        <table><tr><th>seq</th><th>entities</th><th>held since</th><th>attempts</th><th>next attempt</th><th>last problem</th></tr>\(heldRows)</table>
        <h2>Dead letters</h2>
        <table><tr><th>job</th><th>channel</th><th>asset</th><th>last reply</th></tr>\(deadRows)</table>
        <p>Metrics: <a href="/metrics">/metrics</a>. Health: <a href="/healthz">/healthz</a>, <a href="/readyz">/readyz</a>.</p>
        </body></html>
        """
    }

    private static func escape(_ text: String) -> String { CardHTML.escape(text) }
}
