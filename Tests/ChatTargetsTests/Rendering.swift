import CardTemplates
import ChatTargets
import JSON

/// Renders a default template the way the relay sends it.
enum Rendering {
    /// The rendered card (before the envelope), with the data escaped for the target's markup.
    static func card(_ target: ChatTargetKind, _ kind: CardKind, _ scenario: Scenario) -> JSONValue {
        target.card(target.defaultTemplate(for: kind), data: scenario.model)
    }

    /// The request body: the rendered card in the target's envelope.
    static func body(_ target: ChatTargetKind, _ kind: CardKind, _ scenario: Scenario) -> JSONValue {
        target.envelope(card(target, kind, scenario))
    }

    static func scenario(_ name: String) -> Scenario {
        guard let scenario = Scenario.all.first(where: { $0.name == name }) else { preconditionFailure("no scenario \(name)") }
        return scenario
    }
}
