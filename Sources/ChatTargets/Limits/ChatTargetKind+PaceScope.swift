import Foundation
import Hashing

extension ChatTargetKind {
    /// What the service's limit counts, for `destination`: channels with the same scope share one
    /// pace. Synapse limits an account (`rc_message` per user), so Matrix channels posting with one
    /// access token share it; Google Chat limits a space, shared by every webhook into it; the
    /// others limit a webhook URL. The scope is a hash: webhook paths and tokens hold keys.
    public func paceScope(of destination: ChatDestination) -> String {
        let host = destination.url.host ?? ""
        let counted: String
        switch self {
        case .matrix:
            counted = host + " " + (destination.token ?? "")
        case .googleChat:
            // https://chat.googleapis.com/v1/spaces/AAAA/messages?key=…&token=…
            let parts = destination.url.path.split(separator: "/")
            if let index = parts.firstIndex(of: "spaces"), index + 1 < parts.count {
                counted = host + " " + parts[index + 1]
            } else {
                counted = host + destination.url.path
            }
        case .teams, .teamsConnector, .slack, .discord, .mattermost, .webhook:
            counted = host + destination.url.path
        }
        return rawValue + " " + Hex.encode(SHA256.hash(Array(counted.utf8)))
    }
}
