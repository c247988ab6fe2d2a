import HTTPServer
import Relay
import JSON

/// The console's responses, each with the headers every console page and answer carries.
enum ConsoleResponse {
    /// Scripts and styles only from the console itself, nothing inline; no framing; forms post
    /// only back here.
    static let contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        + "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

    /// Adds the security headers to `response`.
    static func secured(_ response: HTTPResponse, policy: String = contentSecurityPolicy) -> HTTPResponse {
        var response = response
        response.headers.set(name: "Content-Security-Policy", value: policy)
        response.headers.set(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.set(name: "Referrer-Policy", value: "no-referrer")
        response.headers.set(name: "X-Frame-Options", value: "DENY")
        response.headers.set(name: "Cache-Control", value: "no-store")
        return response
    }

    /// A JSON answer.
    static func json(_ status: Int, _ value: JSONValue) -> HTTPResponse {
        secured(HTTPResponse(status: status, headers: ["Content-Type": "application/json; charset=utf-8"], body: JSONWriter.bytes(value)))
    }

    /// `{"error": "field: message", "field": field}`.
    static func error(_ status: Int, _ message: String, field: String = "") -> HTTPResponse {
        var object = JSONObject([("error", .string(field.isEmpty ? message : "\(field): \(message)"))])
        if !field.isEmpty { object["field"] = .string(field) }
        return json(status, .object(object))
    }

    /// A page of its own saying why nothing can be shown (a preview opened in a new tab, where JSON
    /// would mean nothing to a person). No script, no style but its own.
    static func page(_ status: Int, _ message: String) -> HTTPResponse {
        let text = CardHTML.escape(message)
        let html = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Preview</title></head>"
            + "<body><h1>Preview</h1><p>\(text)</p><p><a href=\"/console/\">Back to the console</a></p></body></html>"
        return secured(HTTPResponse(status: status, headers: ["Content-Type": "text/html; charset=utf-8"], body: Array(html.utf8)),
                       policy: "default-src 'none'; frame-ancestors 'none'")
    }

    /// A static file of the console.
    static func asset(_ text: String, type: String) -> HTTPResponse {
        var response = secured(HTTPResponse(status: 200, headers: ["Content-Type": type], body: Array(text.utf8)))
        // The files are built into the binary; a new binary may change them, so browsers ask again.
        response.headers.set(name: "Cache-Control", value: "no-cache")
        return response
    }
}
