import ChatTargets

extension RelayConfiguration {
    /// This configuration with the console's channels added after the file's, and their routes put
    /// before the file's routes, each with `continue`, so a console channel never takes an event
    /// away from a route in the file. A paused channel keeps its channel (queued cards still go
    /// out) but loses its route (no new cards). A console channel whose name the file already
    /// uses is skipped and reported in ``warnings``. Console channels carry the security tags of
    /// `visibleTags`, by default this file's `console.browseSecurityTags`, and are held to public
    /// addresses unless `allowPrivateURLs` (this file's `console.allowPrivateChannelURLs`); a
    /// running relay passes the ones it applied at start, since the console's settings change only
    /// at a restart.
    public func adding(console: [ConsoleChannel], visibleTags: [String]? = nil, allowPrivateURLs: Bool? = nil) -> RelayConfiguration {
        let visibleTags = visibleTags ?? self.console.browseSecurityTags
        let allowPrivateURLs = allowPrivateURLs ?? self.console.allowPrivateChannelURLs
        var merged = self
        var routes: [RouteSettings] = []
        for channel in console {
            if channels.contains(where: { $0.name == channel.name }) {
                merged.warnings.append("console channel \"\(channel.name)\" skipped: the configuration file has a channel of that name")
                continue
            }
            merged.channels.append(channel.settings(visibleTags: visibleTags, allowPrivateURLs: allowPrivateURLs))
            if channel.urlByAdministrator == nil && !allowPrivateURLs {
                merged.warnings.append("console channel \"\(channel.name)\" was saved by an older relay, so its host is now checked before "
                    + "every card, as a curator's channel's is; if an administrator set it up for a chat server on a private network, "
                    + "an administrator enters its URL again in the console")
            }
            if !channel.paused { routes.append(channel.route) }
        }
        merged.routes = routes + self.routes
        return merged
    }
}

extension ConsoleChannel {
    /// The channel as the pipeline knows channels. It gets cards only for assets whose security tag
    /// is in `visibleTags` (`console.browseSecurityTags`): what a curator may see in the console is
    /// what a channel made there may carry; the rest is skipped, as a file channel's
    /// `securityTags.allow` skips it. Unless an administrator gave its URL or `allowPrivateURLs`
    /// (`console.allowPrivateChannelURLs`), its host must resolve to public addresses at every card.
    public func settings(visibleTags: [String], allowPrivateURLs: Bool) -> ChannelSettings {
        var settings = ChannelSettings(name: name, type: ChatTargetKind(rawValue: type) ?? .teams, url: url,
                                       digest: digestWindow.map { DigestSettings(window: $0, threshold: 2) },
                                       securityTags: SecurityTagPolicy(allow: visibleTags))
        settings.securityTags.folders = true
        settings.publicAddressesOnly = urlByAdministrator != true && !allowPrivateURLs
        return settings
    }

    /// Its one route.
    public var route: RouteSettings {
        RouteSettings(triggers: triggers, entityTypes: entityTypes, folder: folder, securityTags: securityTags, channels: [name],
                      continueMatching: true)
    }
}
