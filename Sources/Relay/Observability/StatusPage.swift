import Foundation

/// `GET /`: a page an operator reads in five seconds. One row per channel with its health,
/// backlog, last success and last error; the recent cards by title with links into Preservica; dead
/// letters with the service's reply. Plain HTML and CSS: no script, nothing loaded from elsewhere,
/// readable at phone width, refreshed by the browser every 15 seconds. Read-only.
enum StatusPage {
    /// How many dead letters the page lists: the newest.
    static let deadShown = 50

    /// The page. `backlog` gives the cards waiting per channel; `held` what waits for Preservica.
    static func render(status: RelayStatus, channels: [ChannelSettings], counts: SpoolCounts, dead: [DeliveryJob],
                       backlog: (String) -> Int = { _ in 0 }, links: EntityLinks? = nil, held: [HeldNotification] = [],
                       preservicaWait: Duration? = nil, hold: HoldPolicy? = nil, now: Date = Date()) -> String {
        let uptime = Int(now.timeIntervalSince(status.started))
        let healths = channels.map { ChannelHealth.of(status.channelState($0.name)) }
        let troubled = healths.filter { $0 != .delivering }.count
        let summary = channels.isEmpty ? "No channels are configured."
            : troubled == 0 ? "All \(channels.count) channel\(channels.count == 1 ? "" : "s") delivering."
            : "\(troubled) of \(channels.count) channel\(channels.count == 1 ? "" : "s") need\(troubled == 1 ? "s" : "") attention."
        var rows = ""
        for (channel, health) in zip(channels, healths) {
            let failure = status.lastFailure(channel.name)
            let error = failure.map { "\(RelativeTime.element($0.time, now: now)) <span class=\"detail\">\(escape($0.detail))</span>" } ?? "–"
            rows += "<tr><td data-label=\"Channel\"><b>\(escape(channel.name))</b><br><span class=\"detail\">\(escape(channel.type.rawValue)) · \(escape(channel.host))</span></td>"
                + "<td data-label=\"Health\"><span class=\"badge \(health.style)\">\(health.rawValue)</span>"
                + (health == .gone ? "<br><span class=\"detail\">The service says this address no longer takes cards: give the channel a new URL "
                    + "(or turn the flow on again and reload). Its cards wait until then.</span>" : "") + "</td>"
                + "<td data-label=\"Waiting\">\(backlog(channel.name))</td>"
                + "<td data-label=\"Last success\">\(RelativeTime.element(status.lastSuccess(channel.name), now: now))</td>"
                + "<td data-label=\"Last error\">\(error)</td></tr>"
        }
        let cards = status.recentAttempts.map { attempt in
            "<tr><td data-label=\"When\">\(RelativeTime.element(attempt.time, now: now))</td>"
                + "<td data-label=\"Card\">\(cardLink(title: attempt.title, ref: attempt.ref, links: links))</td>"
                + "<td data-label=\"Channel\">\(escape(attempt.channel))</td>"
                + "<td data-label=\"Outcome\"><span class=\"badge \(outcomeStyle(attempt.outcome))\">\(escape(attempt.outcome))</span></td>"
                + "<td data-label=\"Reply\"><span class=\"detail\">\(escape(attempt.detail))</span></td></tr>"
        }.joined()
        // A hold timed before Preservica asked the relay to wait is asked about when the hold's
        // policy says (the worker times it so once it next looks).
        let waitEnds = preservicaWait.map { now.addingTimeInterval($0.seconds) }
        func nextAttempt(_ entry: HeldNotification) -> Date {
            hold?.attemptTime(entry.nextAttempt, waitEnds: waitEnds, heldSince: entry.heldSince, now: now)
                ?? max(entry.nextAttempt, waitEnds ?? entry.nextAttempt)
        }
        let heldRows = held.prefix(50).map { entry in
            "<tr><td data-label=\"Entities\">\(entry.refs.map { heldLink($0, links: links) }.joined(separator: "<br>"))</td>"
                + "<td data-label=\"Held since\">\(RelativeTime.element(Timestamp.iso8601(entry.heldSince), now: now))</td>"
                + "<td data-label=\"Attempts\">\(entry.attempts)</td>"
                + "<td data-label=\"Next attempt\">\(escape(RelativeTime.exact(nextAttempt(entry))))</td>"
                + "<td data-label=\"Last problem\"><span class=\"detail\">\(escape(entry.problem))</span></td></tr>"
        }.joined()
        let heldCount = held.reduce(0) { $0 + $1.events.count }
        let heldSection = heldCount == 0 ? "<p class=\"detail\">Nothing held.</p>"
            : "<p class=\"banner warning\">\(heldCount) event\(heldCount == 1 ? "" : "s") wait\(heldCount == 1 ? "s" : "") for Preservica to answer; "
                + "their cards follow when it does.</p><table><thead><tr><th>Entities</th><th>Held since</th><th>Attempts</th>"
                + "<th>Next attempt</th><th>Last problem</th></tr></thead><tbody>\(heldRows)</tbody></table>"
        let deadRows = dead.prefix(Self.deadShown).map { job in
            "<tr><td data-label=\"Card\">\(cardLink(title: job.title, ref: job.ref, links: links))</td>"
                + "<td data-label=\"Channel\">\(escape(job.channel))</td>"
                + "<td data-label=\"Created\">\(RelativeTime.element(job.createdAt, now: now))</td>"
                + "<td data-label=\"Reply\"><span class=\"detail\">\(escape(String(job.lastReply.prefix(300))))</span></td></tr>"
        }.joined()
        let deadSection = dead.isEmpty ? "<p class=\"detail\">None.</p>"
            : "<table><thead><tr><th>Card</th><th>Channel</th><th>Created</th><th>Service's reply</th></tr></thead><tbody>\(deadRows)</tbody></table>"
                + (counts.dead > dead.count ? "<p class=\"detail\">The newest \(dead.count) of \(counts.dead); <code>preservica-relay dead</code> lists them all.</p>" : "")
                + "<p class=\"detail\">Put them back with <code>preservica-relay replay</code> once the cause is fixed.</p>"
        let heldLine = counts.incoming > 0
            ? "<p class=\"banner warning\">\(counts.incoming) notification\(counts.incoming == 1 ? "" : "s") waiting to be read from Preservica.</p>" : ""
        let refusedLine = counts.refused > 0
            ? "<p class=\"banner warning\">\(counts.refused) signed notification\(counts.refused == 1 ? "" : "s") could not be read and "
                + "\(counts.refused == 1 ? "was" : "were") refused; kept in <code>refused/</code> in the data directory.</p>" : ""
        return """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>preservica-relay status</title>
        <meta name="viewport" content="width=device-width, initial-scale=1"><meta http-equiv="refresh" content="15">
        <style>
        body{font-family:system-ui,sans-serif;margin:0 auto;padding:1em;max-width:1100px;color:#242424;background:#fafafa}
        h1{font-size:1.3em;margin:.2em 0}h2{font-size:1.05em;margin:1.4em 0 .4em}
        .summary{font-size:1.1em;margin:.3em 0}.detail{color:#616161;font-size:.85em}
        table{border-collapse:collapse;width:100%;background:#fff;box-shadow:0 1px 2px #0002}
        th,td{padding:6px 10px;text-align:left;vertical-align:top;border-bottom:1px solid #eee;font-size:.92em}
        th{font-weight:600;background:#f3f3f3}time{border-bottom:1px dotted #999;cursor:help}
        .badge{display:inline-block;padding:1px 8px;border-radius:9px;font-size:.85em;font-weight:600}
        .badge.good{background:#dff6dd;color:#0e700e}.badge.warning{background:#fff4ce;color:#7a5d00}.badge.attention{background:#fde7e9;color:#a4262c}
        .banner{padding:8px 12px;border-radius:4px}.banner.warning{background:#fff4ce}
        a{color:#0f6cbd}code{background:#eee;padding:0 3px}
        @media (max-width:640px){table,thead,tbody,tr,td{display:block}thead{display:none}tr{border-bottom:2px solid #ddd;padding:4px 0}
        td{border:none;padding:2px 8px}td::before{content:attr(data-label) ": ";font-weight:600;color:#616161}}
        </style></head><body>
        <h1>preservica-relay \(RelayVersion.current)</h1>
        <p class="summary">\(summary)</p>
        <p class="detail">Up \(uptime / 3600) h \(uptime % 3600 / 60) min · waiting: incoming \(counts.incoming), outbox \(counts.outbox), dead \(counts.dead) · this page refreshes every 15 s</p>
        \(heldLine)\(refusedLine)
        <h2>Channels</h2>
        <table><thead><tr><th>Channel</th><th>Health</th><th>Waiting</th><th>Last success</th><th>Last error</th></tr></thead><tbody>\(rows)</tbody></table>
        <h2>Recent cards</h2>
        \(cards.isEmpty ? "<p class=\"detail\">No card sent since the relay started.</p>" : "<table><thead><tr><th>When</th><th>Card</th><th>Channel</th><th>Outcome</th><th>Reply</th></tr></thead><tbody>\(cards)</tbody></table>")
        <h2>Held for Preservica</h2>
        \(waitNotice(preservicaWait))\(heldSection)
        <h2>Dead letters</h2>
        \(deadSection)
        <p class="detail">Metrics: <a href="/metrics">/metrics</a> · health: <a href="/healthz">/healthz</a>, <a href="/readyz">/readyz</a></p>
        </body></html>
        """
    }

    /// A notice while Preservica's `Retry-After` holds every call back; empty when it does not.
    static func waitNotice(_ wait: Duration?) -> String {
        guard let wait, wait > .zero else { return "" }
        let seconds = Int(wait.components.seconds) + (wait.components.attoseconds > 0 ? 1 : 0)
        let left = seconds >= 120 ? "about \(seconds / 60) more minutes" : "\(seconds) more second\(seconds == 1 ? "" : "s")"
        return "<p class=\"banner warning\">Preservica asked the relay to wait (<code>Retry-After</code>): "
            + "no call is sent to it for \(left).</p>"
    }

    /// The card's title linked into Preservica; a digest or an untitled card says what it is.
    private static func cardLink(title: String, ref: String, links: EntityLinks?) -> String {
        let text = title.isEmpty ? (ref.isEmpty ? "card" : "Asset \(ref.prefix(8))…") : title
        guard !ref.isEmpty, let links else { return escape(text) }
        return "<a href=\"\(escape(links.asset(ref)))\">\(escape(text))</a>"
    }

    /// A held entity by its full reference (it has no title yet: Preservica did not answer).
    private static func heldLink(_ ref: String, links: EntityLinks?) -> String {
        guard let links else { return "<code>\(escape(ref))</code>" }
        return "<a href=\"\(escape(links.asset(ref)))\"><code>\(escape(ref))</code></a>"
    }

    private static func outcomeStyle(_ outcome: String) -> String {
        switch outcome {
        case "delivered": "good"
        case "retry": "warning"
        default: "attention"
        }
    }

    private static func escape(_ text: String) -> String { CardHTML.escape(text) }
}
