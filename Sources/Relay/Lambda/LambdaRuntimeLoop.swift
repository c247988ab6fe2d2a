/// The custom runtime's loop: `next` → handle → `response` (or `error`), forever.
public struct LambdaRuntimeLoop: Sendable {
    private let client: LambdaRuntimeClient
    private let logger: Logger

    /// A loop over the Runtime API reached through `client`.
    public init(client: LambdaRuntimeClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Serves invocations with `relay` until the Runtime API can no longer be reached; returns
    /// that failure. (In Lambda it is never reached: the environment is frozen or shut down instead.)
    public func run(_ relay: LambdaRelay) async -> LambdaRuntimeClient.Failure {
        while true {
            let invocation: LambdaInvocation
            do {
                invocation = try await client.next()
            } catch {
                logger.error("cannot get the next invocation", ["error": error.description])
                return error
            }
            do {
                let payload: [UInt8]
                do {
                    payload = try await relay.invoke(invocation)
                } catch {
                    // Not an HTTP event: there is no client to answer, so Lambda is told the invocation failed.
                    logger.error("invocation is not an HTTP request", ["request_id": invocation.requestId, "error": error.message])
                    try await client.fail(invocation.requestId, LambdaErrorReport(message: error.message, type: "Relay.UnsupportedEvent"))
                    continue
                }
                try await client.respond(invocation.requestId, payload: payload)
            } catch {
                // The answer did not reach Lambda; the invocation times out there and the next one goes on.
                logger.error("cannot post the invocation result", ["request_id": invocation.requestId, "error": error.description])
            }
        }
    }
}
