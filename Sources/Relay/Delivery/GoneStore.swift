import Hashing
import Synchronization

/// What the channels' loops learnt of addresses that are gone (``ChannelGone``), kept across
/// the reloads a console save makes: a channel whose address did not change keeps waiting, and one
/// given a new address (type, URL, room or token) starts afresh. A SIGHUP (an operator who turned
/// the flow on again) ends every wait. Also when each channel's address answered again, so that
/// cards kept through the wait are not given up for its length (`maxAge` counts from then).
final class GoneStore: Sendable {
    private struct Entry {
        var address: String
        var gone: ChannelGone?
        var backAtMs: Int64?
    }

    private let entries = Mutex<[String: Entry]>([:])

    /// A digest of where `channel` posts: never the URL or token themselves.
    static func address(of channel: ChannelSettings) -> String {
        guard let destination = channel.destination else { return "" }
        let parts = [channel.type.rawValue, destination.url.absoluteString, destination.room ?? "", destination.token ?? ""]
        return Hex.encode(SHA256.hash(Array(parts.joined(separator: "\n").utf8)))
    }

    /// The gone state of `channel` at `address`; nil when it is not gone, or its address changed.
    func gone(_ channel: String, at address: String) -> ChannelGone? {
        entries.withLock { $0[channel].flatMap { $0.address == address ? $0.gone : nil } }
    }

    /// When `channel` at `address` last took cards again after being gone (ms since 1970).
    func backAtMs(_ channel: String, at address: String) -> Int64? {
        entries.withLock { $0[channel].flatMap { $0.address == address ? $0.backAtMs : nil } }
    }

    /// Records that the service said the address is gone.
    func record(_ gone: ChannelGone, for channel: String, at address: String) {
        entries.withLock { entries in
            let back = entries[channel].flatMap { $0.address == address ? $0.backAtMs : nil }
            entries[channel] = Entry(address: address, gone: gone, backAtMs: back)
        }
    }

    /// Records that the address answered again at `nowMs` (with anything but gone).
    func cameBack(_ channel: String, at address: String, nowMs: Int64) {
        entries.withLock { $0[channel] = Entry(address: address, gone: nil, backAtMs: nowMs) }
    }

    /// At the start of `channel`'s loop at `address`: a channel that was gone and has a new
    /// address now counts as back from `nowMs`.
    func begin(_ channel: String, at address: String, nowMs: Int64) {
        entries.withLock { entries in
            guard let entry = entries[channel], entry.address != address, entry.gone != nil else { return }
            entries[channel] = Entry(address: address, gone: nil, backAtMs: nowMs)
        }
    }

    /// Ends every wait (a SIGHUP): each gone channel tries its oldest card at once, as back from `nowMs`.
    func retryAll(nowMs: Int64) {
        entries.withLock { entries in
            for (name, entry) in entries where entry.gone != nil {
                entries[name] = Entry(address: entry.address, gone: nil, backAtMs: nowMs)
            }
        }
    }
}
