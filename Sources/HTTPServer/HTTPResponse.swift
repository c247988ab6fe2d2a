import JSON

/// A response to write back; the server adds `Content-Length` and `Connection`.
public struct HTTPResponse: Sendable {
    /// Status code, e.g. 200.
    public var status: Int
    /// Header fields to send (without Content-Length, which the server computes).
    public var headers: HTTPHeaders
    /// Body bytes.
    public var body: [UInt8]

    /// Creates a response.
    public init(status: Int, headers: HTTPHeaders = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A response whose body is JSON text already encoded.
    public static func json(_ status: Int, _ json: String) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "application/json"], body: Array(json.utf8))
    }

    /// A plain-text response.
    public static func text(_ status: Int, _ text: String) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "text/plain; charset=utf-8"], body: Array(text.utf8))
    }

    /// `{"error": message}` with the message JSON-escaped.
    public static func jsonError(_ status: Int, _ message: String) -> HTTPResponse {
        json(status, JSONWriter.string(.object(JSONObject([("error", .string(message))]))))
    }

    /// The whole response as bytes, so it goes out in one write (no Nagle stall between head and body).
    func serialized(keepAlive: Bool, headOnly: Bool = false) -> [UInt8] {
        var head = "HTTP/1.1 \(status) \(HTTPStatus.reason(status))\r\n"
        for field in headers where !HTTPHeaders.sameName(field.name, "Content-Length")
            && !HTTPHeaders.sameName(field.name, "Connection") {
            head += "\(field.name): \(field.value)\r\n"
        }
        if status >= 200 && status != 204 && status != 304 {
            head += "Content-Length: \(body.count)\r\n"
        }
        if !keepAlive { head += "Connection: close\r\n" }
        head += "\r\n"
        var bytes = Array(head.utf8)
        if !headOnly { bytes.append(contentsOf: body) }
        return bytes
    }
}
