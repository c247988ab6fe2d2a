/// Every command, in the order the overview lists them.
enum CommandTable {
    static let all: [Command] = [
        Command(name: "serve", summary: "Run the relay: receive webhooks, enrich, route, render and deliver cards", usage: """
            Usage: preservica-relay serve [--config FILE] [--log-level debug|info|warn|error] [--log-format logfmt|json]

            Runs the relay as configured: receives Preservica's webhooks (spooled to disk before the
            200), enriches each asset, routes it, renders the cards and delivers them. Serves
            /healthz, /readyz, /metrics and a status page at /. FILE defaults to $RELAY_CONFIG, else
            config/relay.json5. A configuration problem prints one line per problem and exits 2.
            SIGHUP reloads the configuration (a bad one is refused and the old one kept).
            SIGTERM or SIGINT stops accepting, finishes requests in progress (shutdownTimeout) and
            exits 0.
            """, run: { await ServeCommand.run($0) }),
        Command(name: "lambda", summary: "Run as an AWS Lambda function (custom runtime; see docs/deploy-lambda.md)", usage: """
            Usage: preservica-relay lambda [--config FILE] [--log-level debug|info|warn|error]

            The AWS Lambda custom runtime (started by a bootstrap script; runtime provided.al2023).
            Serves Function URL / API Gateway HTTP API events from $AWS_LAMBDA_RUNTIME_API with the
            same webhook handling as serve, and delivers each notification's cards before answering,
            within the invocation's deadline. FILE defaults to $RELAY_CONFIG, else config/relay.json5;
            without dataDir the spool is /tmp/preservica-relay. An init failure is reported to the
            Runtime API and exits 2 for a bad configuration, 1 for a spool it cannot open. See
            docs/deploy-lambda.md.
            """, run: { await LambdaCommand.run($0) }),
        Command(name: "demo", summary: "Run the pipeline on loopback with a temporary data dir, then exit", usage: """
            Usage: preservica-relay demo [--keep-running] [--keep]

            Runs the whole pipeline on loopback with a temporary data dir: the built-in Preservica
            simulator subscribes the relay (handshakes) and sends signed chunked notifications for a
            short story (three ingests, a bulk of 50 folded into a digest, an ingest failure, a move,
            a forged signature); the relay enriches, routes, renders and posts Teams cards to a chat
            sink. Each card is printed as it arrives and saved as JSON and HTML. Exits 0 when every
            expected card arrived, 1 saying what is missing. --keep-running stays up afterwards,
            prints the URLs to send more with `simulate send`, and serves the curators' console at
            /console/ with a curator's login for the simulator. The temporary directory (cards and
            spool) is removed at the end unless --keep.
            """, run: { await DemoCommand.run($0) }),
        Command(name: "queue", summary: "Print how many items wait in incoming/, outbox/ and dead/", usage: """
            Usage: preservica-relay queue [--config FILE]

            Prints the number of notifications in incoming/ not yet processed, the job files in
            outbox/ and dead/, and the signed bodies kept in refused/ (correctly signed, but not
            notifications the relay could read) of the configured data directory.
            """, run: { QueueCommand.run($0) }),
        Command(name: "check-config", summary: "Validate the configuration (channels, routes, templates) without starting", usage: """
            Usage: preservica-relay check-config [--online] [--config FILE]

            Checks everything serve checks: unknown keys, types and values, environment variables and
            secret files, channel names in routes, template files (they must load and compile), and
            warns about retired Office 365 connector hosts, teams URLs that are not Workflows URLs,
            channels no route uses, and template paths the data model does not have (${asset.titel}).
            One line per problem with its JSON path; exit 2 on problems.
            Also reads the console's channels (dataDir/console/channels.json); exit 1 when that file
            is damaged (serve then runs without it).
            --online also logs in to Preservica and checks that each channel's host resolves, without
            posting anything; exit 1 when either fails.
            """, run: { await CheckConfigCommand.run($0) }),
        Command(name: "routes", summary: "Which channels an asset would reach, and which route sends it there", usage: """
            Usage: preservica-relay routes --ref REF [--trigger T] [--config FILE]

            Reads the asset through the configured Preservica and prints the channels it would reach
            for trigger T (default ingest), which route sends it to each, and whether a channel's
            security tag policy hides or skips it. Exit 1, saying why on stderr, when Preservica
            cannot be reached, refuses the login, or the asset cannot be read completely.
            """, run: { await RoutesCommand.run($0) }),
        Command(name: "dead", summary: "List the cards that failed for good, with the service's last reply", usage: """
            Usage: preservica-relay dead [--config FILE]

            Lists the jobs in dead/: id, channel, card kind, asset ref and title, attempts, when,
            and the last reply (status and an excerpt of the body).
            """, run: { DeadLetterCommands.list($0) }),
        Command(name: "replay", summary: "Put dead cards back in the outbox to be sent again", usage: """
            Usage: preservica-relay replay --id ID... | --channel NAME | --all [--config FILE]

            Moves dead jobs back to outbox/ with their attempts reset; a running relay sends them
            within a few seconds (fix the channel's URL or template first). A --channel that is not
            in the configuration and has no dead letters exits 2; an --id that is not dead exits 1.
            """, run: { DeadLetterCommands.replay($0) }),
        Command(name: "audit", summary: "What happened to an asset: received, routed, attempts, outcome", usage: """
            Usage: preservica-relay audit --ref REF [--config FILE]

            Shows what happened to an asset as one timeline in time order (from incoming/ and
            audit.log): each notification about it received, the route decision (or that no route
            took it), every delivery attempt and its outcome, the default card sent after a refusal,
            giving up, and replays.
            """, run: { DeadLetterCommands.audit($0) }),
        Command(name: "catch-up", summary: "Turn what changed in Preservica while the relay was away into events", usage: """
            Usage: preservica-relay catch-up --since ISO8601 [--dry-run] [--config FILE]

            Asks Preservica which assets changed since the date (entities/updated-since), leaves out
            those the relay already received (journal) or delivered (audit log), and sends the rest to
            the running relay as ingest events (event name CatchUp), signed with its first webhook
            secret. --dry-run only lists them. A date or date-time without a zone (Z, +01:00) is read
            in preservica.timeZone (UTC unless set). Set catchUp: { onStart: true } in the configuration
            to do this at every start, from when the relay last ran.
            """, run: { await CatchUpCommand.run($0) }),
        Command(name: "enrich", summary: "Read assets through Preservica as the pipeline does, and print them", usage: """
            Usage: preservica-relay enrich (--ref REF)... | --refs-file FILE [--summary] [--config FILE]

            Reads each asset (title, folder path, security tag, bitstreams of active generations) through
            the configured Preservica, several at once within preservica.maxConcurrentRequests, and prints
            them, then one summary line. Exit 1 if any asset was not found or only partly read.
            """, run: { await EnrichCommand.run($0) }),
        Command(name: "render", summary: "Expand a card template over a data file (the card designer's loop)", usage: """
            Usage: preservica-relay render --template FILE --data FILE [--target TYPE] [--pretty]

            Expands the Adaptive Cards template FILE over the JSON data file and prints the result
            (compact, or indented with --pretty). With --target (teams, slack, discord, ...) every
            value from the data is first escaped for that service's markup, as the relay does before
            posting, so a title can never become a link or a mention. A template error exits 1 with
            the file, the JSON path of the string and the column. A path that neither the data file
            nor the relay's data model has (${asset.titel}) is a warning on stderr. See
            docs/templates.md for the data model and the language.
            """, run: { RenderCommand.run($0) }),
        Command(name: "preview", summary: "The card a real asset would get, from the configured Preservica", usage: """
            Usage: preservica-relay preview --ref REF [--trigger T] [--target TYPE] [--template FILE] [--model]
                                            [--html FILE] [--config FILE]
                   preservica-relay preview --gallery DIR [--target TYPE] [--config FILE]

            Reads the asset through the configured Preservica (the simulator works too), builds the
            data model a template sees (print it with --model), renders the target's default card (or
            the --template FILE) over it, wraps it in the target's envelope, and prints the exact
            payload and its size in bytes against the target's limit. TYPE: teams (default),
            teams-connector, slack, google-chat, discord, mattermost, matrix, webhook. --html also
            writes a plain HTML picture of the card to look at in a browser, drawn as Teams draws it.
            A --template path the data model does not have (${asset.titel}) is a warning on stderr.
            Exit 1, saying why on stderr, when Preservica cannot be reached or refuses the login.
            --gallery writes DIR/TYPE-gallery.html: every kind of default card for the target (an
            ingest, many files, a digest, a failure, a move, a security change, a redacted and an
            unknown asset) rendered from sample data side by side, in the configured display.timeZone.
            """, run: { await PreviewCommand.run($0) }),
        Command(name: "subscribe", summary: "Subscribe the relay's URL to a Preservica trigger", usage: """
            Usage: preservica-relay subscribe --url URL --trigger TRIGGER [--secret S] [--config FILE]

            Creates a webhook subscription in Preservica for URL (the relay's public HTTPS address and
            webhook path). Preservica sends the handshake to URL during this call, so the relay must be
            running there with the same secret first in webhook.secrets.
            TRIGGER is a wire value or an alias: FULL_TEXT_INDEXED (ingest), MOVED (moved),
            CHANGED_SECURITY_DESCRIPTOR (security), INGEST_FAILED (failed), CHANGE_ASSET_VISIBILITY (visibility).
            Without --secret the first secret of webhook.secrets is used; when there is none, a new
            random secret is printed with where to put it, and nothing is subscribed yet.
            Credentials: the preservica block of FILE, else PRESERVICA_SERVER/USERNAME/PASSWORD/TENANT,
            else credentials.properties. The user needs the repository manager role.
            """, run: { await SubscriptionCommands.subscribe($0) }),
        Command(name: "subscriptions", summary: "List Preservica's webhook subscriptions", usage: """
            Usage: preservica-relay subscriptions [--config FILE]

            Lists the tenant's webhook subscriptions: id, trigger and URL.
            """, run: { await SubscriptionCommands.list($0) }),
        Command(name: "unsubscribe", summary: "Delete one subscription, or all of them", usage: """
            Usage: preservica-relay unsubscribe ID... | --all [--config FILE]

            Deletes the given subscriptions, or every subscription of the tenant with --all.
            """, run: { await SubscriptionCommands.unsubscribe($0) }),
        Command(name: "simulate", summary: "Stand-ins: the Preservica simulator, the chat sinks, one signed notification",
                usage: SimulateCommand.help, run: { await SimulateCommand.run($0) }, modeUsage: SimulateCommand.help(ofMode:)),
        Command(name: "help", summary: "Show the commands, or one command's help", usage: """
            Usage: preservica-relay help [COMMAND]

            Without COMMAND, lists the commands. With one, prints its options and what it does; the
            same as `preservica-relay COMMAND --help`.
            """, run: { Usage.printHelp($0.first) }),
        Command(name: "version", summary: "Print the version (also --version)", usage: """
            Usage: preservica-relay version

            Prints the version, e.g. `preservica-relay 1.0.0`.
            """, run: { _ in Usage.printVersion() }),
    ]

    /// The command called `name`.
    static func command(_ name: String) -> Command? {
        all.first { $0.name == name }
    }
}
