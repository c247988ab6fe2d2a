import HTTPServer

/// Response shapes the simulator uses in several places.
enum SimulatorResponses {
    /// An Entity API XML document.
    static func xml(_ document: String) -> HTTPResponse {
        HTTPResponse(status: 200, headers: ["Content-Type": "application/xml;charset=UTF-8"], body: Array(document.utf8))
    }

    /// `{"success":false,"message":...}`, the Access Token API's failure shape, used for every JSON error.
    static func failure(_ status: Int, _ message: String) -> HTTPResponse {
        .json(status, #"{"success":false,"message":\#(JSONText.quoted(message))}"#)
    }

    /// 401 with an empty body and, deliberately, no `WWW-Authenticate` header: a Basic challenge
    /// makes URLSession on Linux wait for credentials that never come.
    static let unauthorized = HTTPResponse(status: 401)

    /// 404 for an unknown reference or path.
    static func notFound(_ what: String) -> HTTPResponse {
        HTTPResponse(status: 404, headers: ["Content-Type": "text/plain;charset=UTF-8"], body: Array("\(what) not found".utf8))
    }

    /// 405 naming the allowed methods.
    static func methodNotAllowed(_ allowed: String) -> HTTPResponse {
        HTTPResponse(status: 405, headers: ["Allow": allowed, "Content-Type": "text/plain;charset=UTF-8"],
                     body: Array("method not allowed".utf8))
    }

    /// An injected server error; a 429 says when to come back.
    static func injected(_ status: Int, retryAfter: Int = 1) -> HTTPResponse {
        var response = HTTPResponse(status: status, headers: ["Content-Type": "text/plain;charset=UTF-8"],
                                    body: Array("simulated failure".utf8))
        if status == 429 || status == 503 { response.headers.set(name: "Retry-After", value: String(retryAfter)) }
        return response
    }
}
