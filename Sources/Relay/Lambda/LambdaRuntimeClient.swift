import Foundation
import OutboundHTTP

/// The Lambda Runtime API (`http://$AWS_LAMBDA_RUNTIME_API/2018-06-01`), over the relay's
/// ``OutboundClient`` (URLSession, never cancelled).
public struct LambdaRuntimeClient: Sendable {
    /// Something the Runtime API call did not accept or did not answer.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        /// What happened.
        public var description: String
    }

    /// The base URL, `http://host:port/2018-06-01`.
    public let base: String
    private let client: OutboundClient

    /// A client for the Runtime API at `hostAndPort` (the value of `AWS_LAMBDA_RUNTIME_API`).
    public init(hostAndPort: String) {
        base = "http://\(hostAndPort)/2018-06-01"
        // One connection at a time is all the loop ever uses: next, then response.
        client = OutboundClient(maxConnectionsPerHost: 2)
    }

    /// Waits for the next event. Lambda may hold this request open for as long as the environment
    /// stays frozen, so it gets a day: URLSession on Linux crashes on an infinite timeout and
    /// treats a finite one as an idle limit, and the Runtime API asks for no timeout at all.
    public func next() async throws(Failure) -> LambdaInvocation {
        let reply = try await send("GET", "/runtime/invocation/next", body: nil, timeout: .seconds(86_400))
        guard reply.status == 200 else { throw Failure(description: "invocation/next answered HTTP \(reply.status)") }
        guard let requestId = reply.headers["lambda-runtime-aws-request-id"], !requestId.isEmpty else {
            throw Failure(description: "invocation/next gave no Lambda-Runtime-Aws-Request-Id")
        }
        let deadline = reply.headers["lambda-runtime-deadline-ms"].flatMap { Int64($0) }
            // Without a deadline the function's own limit applies; a minute is a safe guess.
            ?? Int64(Date().timeIntervalSince1970 * 1000) + 60_000
        return LambdaInvocation(requestId: requestId, deadlineMs: deadline, traceId: reply.headers["lambda-runtime-trace-id"],
                                event: reply.body)
    }

    /// Posts the function's result for `requestId`.
    public func respond(_ requestId: String, payload: [UInt8]) async throws(Failure) {
        let reply = try await send("POST", "/runtime/invocation/\(Self.pathSafe(requestId))/response", body: payload)
        guard (200..<300).contains(reply.status) else {
            throw Failure(description: "invocation response refused with HTTP \(reply.status): \(reply.text.prefix(200))")
        }
    }

    /// Reports that the invocation `requestId` failed.
    public func fail(_ requestId: String, _ report: LambdaErrorReport) async throws(Failure) {
        let reply = try await send("POST", "/runtime/invocation/\(Self.pathSafe(requestId))/error", body: report.json,
                                   errorType: report.type)
        guard (200..<300).contains(reply.status) else { throw Failure(description: "invocation error refused with HTTP \(reply.status)") }
    }

    /// Reports that initialisation failed; the process should exit afterwards.
    public func initError(_ report: LambdaErrorReport) async throws(Failure) {
        let reply = try await send("POST", "/runtime/init/error", body: report.json, errorType: report.type)
        guard (200..<300).contains(reply.status) else { throw Failure(description: "init error refused with HTTP \(reply.status)") }
    }

    private func send(_ method: String, _ path: String, body: [UInt8]?, errorType: String? = nil,
                      timeout: Duration = .seconds(30)) async throws(Failure) -> OutboundReply {
        guard let url = URL(string: base + path) else { throw Failure(description: "AWS_LAMBDA_RUNTIME_API is not host:port") }
        var headers: [String: String] = [:]
        if body != nil { headers["Content-Type"] = "application/json" }
        if let errorType { headers["Lambda-Runtime-Function-Error-Type"] = errorType }
        do {
            return try await client.send(OutboundRequest(method: method, url: url, headers: headers, body: body, timeout: timeout))
        } catch {
            throw Failure(description: "Runtime API: \(error)")
        }
    }

    /// Request ids are UUIDs; anything else is percent-encoded rather than trusted into a path.
    private static func pathSafe(_ id: String) -> String {
        id.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-_."))) ?? id
    }
}
