import Foundation

/// Which service a path belongs to, with the parts of the path each service cares about.
enum ChatSinkRoute: Equatable {
    /// `…/workflows/{flow}/triggers/manual/paths/invoke` (Logic Apps and Power Platform hosts alike).
    case teamsWorkflow(flow: String)
    /// `/webhookb2/…` or `/webhook/…`.
    case teamsConnector
    /// `/services/{T}/{B}/{X}`.
    case slack
    /// `/v1/spaces/{space}/messages`.
    case googleChat(space: String)
    /// `/api/webhooks/{id}/{token}` or `/api/v{n}/webhooks/{id}/{token}`.
    case discord(id: String)
    /// `/hooks/{key}`.
    case mattermost
    /// `/_matrix/client/v3/rooms/{roomId}/send/m.room.message/{txnId}`; the room id is decoded.
    case matrix(room: String, transaction: String)
    /// `/hooks/generic/{name}`.
    case webhook(name: String)

    /// The route of `path`, or nil when no service lives there.
    init?(path: String) {
        let parts = path.split(separator: "/").map(String.init)
        let tail = parts.suffix(6)
        if tail.count == 6, tail.first == "workflows", Array(tail.dropFirst(2)) == ["triggers", "manual", "paths", "invoke"] {
            self = .teamsWorkflow(flow: parts[parts.count - 5])
            return
        }
        switch parts.first {
        case "webhookb2" where parts.count >= 2, "webhook" where parts.count >= 2:
            self = .teamsConnector
        case "services" where parts.count == 4:
            self = .slack
        case "v1" where parts.count == 4 && parts[1] == "spaces" && parts[3] == "messages":
            self = .googleChat(space: parts[2])
        case "api" where parts.count == 4 && parts[1] == "webhooks":
            self = .discord(id: parts[2])
        case "api" where parts.count == 5 && parts[1].hasPrefix("v") && parts[2] == "webhooks":
            self = .discord(id: parts[3])
        case "hooks" where parts.count == 3 && parts[1] == "generic":
            self = .webhook(name: parts[2])
        case "hooks" where parts.count == 2:
            self = .mattermost
        case "_matrix" where parts.count == 8 && Array(parts[1...3]) == ["client", "v3", "rooms"]
            && parts[5] == "send" && parts[6] == "m.room.message":
            guard let room = parts[4].removingPercentEncoding, let transaction = parts[7].removingPercentEncoding else { return nil }
            self = .matrix(room: room, transaction: transaction)
        default:
            return nil
        }
    }

    /// The service.
    var target: ChatSinkTarget {
        switch self {
        case .teamsWorkflow: .teams
        case .teamsConnector: .teamsConnector
        case .slack: .slack
        case .googleChat: .googleChat
        case .discord: .discord
        case .mattermost: .mattermost
        case .matrix: .matrix
        case .webhook: .webhook
        }
    }

    /// The method the service takes.
    var method: String { self.target == .matrix ? "PUT" : "POST" }
}
