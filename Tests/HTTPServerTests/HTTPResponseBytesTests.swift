import Testing
@testable import HTTPServer

@Suite("A response on the wire")
struct HTTPResponseBytesTests {
    private func text(_ response: HTTPResponse, keepAlive: Bool = true, headOnly: Bool = false) -> String {
        String(decoding: response.serialized(keepAlive: keepAlive, headOnly: headOnly), as: UTF8.self)
    }

    @Test("status line, the response's fields, the length the server computes, a blank line, the body")
    func whole() {
        var response = HTTPResponse.json(200, #"{"accepted":1}"#)
        response.headers.append(name: "Content-Length", value: "999")
        response.headers.append(name: "connection", value: "upgrade")
        response.headers.append(name: "Retry-After", value: "30")
        #expect(text(response) == "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nRetry-After: 30\r\nContent-Length: 14\r\n\r\n{\"accepted\":1}")
        #expect(text(response, keepAlive: false, headOnly: true)
            == "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nRetry-After: 30\r\nContent-Length: 14\r\nConnection: close\r\n\r\n")
    }

    @Test("a field whose name or value holds a line break or NUL is left out, so it cannot add a header or a body")
    func noSplitting() {
        var response = HTTPResponse.json(200, "{}")
        response.headers.append(name: "Retry-After", value: "30\r\nSet-Cookie: stolen=1")
        response.headers.append(name: "X-A\nX-B", value: "1")
        response.headers.append(name: "X-Note", value: "a\u{0}b")
        response.headers.append(name: "X-Kept", value: "fine")
        #expect(text(response) == "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Kept: fine\r\nContent-Length: 2\r\n\r\n{}")
    }

    @Test("no length for 204 and 304")
    func noLength() {
        #expect(text(HTTPResponse(status: 204)) == "HTTP/1.1 204 No Content\r\n\r\n")
        #expect(text(HTTPResponse(status: 304)) == "HTTP/1.1 304 \(HTTPStatus.reason(304))\r\n\r\n")
    }
}
