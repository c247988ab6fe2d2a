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

    private static func breaksLine(_ text: String) -> Bool {
        text.utf8.contains { $0 == 0x0d || $0 == 0x0a || $0 == 0 }
    }

    /// The whole response as bytes, so it goes out in one write (no Nagle stall between head and body).
    func serialized(keepAlive: Bool, headOnly: Bool = false) -> [UInt8] {
        // Written straight into one array sized for it: every answer goes through here.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(96 + headers.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + 4 } + (headOnly ? 0 : body.count))
        bytes += "HTTP/1.1 ".utf8
        bytes += String(status).utf8
        bytes.append(0x20)
        bytes += HTTPStatus.reason(status).utf8
        bytes += "\r\n".utf8
        // A field whose name or value holds a line break (or NUL) is left out: it could only come
        // from a value from outside, and written it would add headers, or a body, of its own.
        for field in headers where !HTTPHeaders.sameName(field.name, "Content-Length")
            && !HTTPHeaders.sameName(field.name, "Connection") && !Self.breaksLine(field.name) && !Self.breaksLine(field.value) {
            bytes += field.name.utf8
            bytes += ": ".utf8
            bytes += field.value.utf8
            bytes += "\r\n".utf8
        }
        if status >= 200 && status != 204 && status != 304 {
            bytes += "Content-Length: ".utf8
            bytes += String(body.count).utf8
            bytes += "\r\n".utf8
        }
        if !keepAlive { bytes += "Connection: close\r\n".utf8 }
        bytes += "\r\n".utf8
        if !headOnly { bytes += body }
        return bytes
    }
}
