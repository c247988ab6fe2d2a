import Testing
@testable import HTTPServer

@Suite("HTTP request parser")
struct HTTPRequestParserTests {
    /// Feeds `chunks` one after another and collects every event until the bytes run out.
    private func events(_ chunks: [[UInt8]], limits: HTTPParserLimits = HTTPParserLimits()) -> [HTTPParserEvent] {
        var parser = HTTPRequestParser(limits: limits)
        var out: [HTTPParserEvent] = []
        for chunk in chunks {
            parser.append(chunk)
            loop: while true {
                let event = parser.next()
                switch event {
                case .needMoreData: break loop
                case .failure: out.append(event); return out
                default: out.append(event)
                }
            }
        }
        return out
    }

    private func requests(_ text: String) -> [HTTPRequest] {
        events([Array(text.utf8)]).compactMap { if case .request(let r) = $0 { r } else { nil } }
    }

    private func failure(_ text: String, limits: HTTPParserLimits = HTTPParserLimits()) -> HTTPParseError? {
        for event in events([Array(text.utf8)], limits: limits) {
            if case .failure(let error) = event { return error }
        }
        return nil
    }

    @Test("path and query of each form of target", arguments: [
        ("/webhook", "/webhook", nil), ("/", "/", nil), ("/webhook?challengeCode=a", "/webhook", "challengeCode=a"),
        ("/a?", "/a", ""), ("http://relay.example/webhook?x=1", "/webhook", "x=1"), ("http://relay.example", "/", nil),
        ("http://relay.example?x=1", "/", "x=1"),
    ] as [(String, String, String?)])
    func targetForms(target: String, path: String, query: String?) {
        let request = HTTPRequest(method: "GET", target: target)
        #expect(request.path == path)
        #expect(request.query == query)
    }

    @Test("a GET with headers")
    func simpleGet() throws {
        let parsed = requests("GET /healthz?x=1 HTTP/1.1\r\nHost: relay\r\nX-Thing:  spaced value \r\n\r\n")
        let request = try #require(parsed.first)
        #expect(request.method == "GET")
        #expect(request.path == "/healthz")
        #expect(request.query == "x=1")
        #expect(request.headers["x-thing"] == "spaced value")
        #expect(request.keepAlive)
        #expect(request.body.isEmpty)
    }

    @Test("a Content-Length body split at every position parses the same")
    func contentLengthSplits() throws {
        let wire = Array("POST /webhook HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\nhello world".utf8)
        for cut in 0...wire.count {
            let parsed = events([Array(wire[0..<cut]), Array(wire[cut...])])
            guard parsed.count == 1, case .request(let request) = parsed[0] else {
                Issue.record("split at \(cut) gave \(parsed)")
                continue
            }
            #expect(String(decoding: request.body, as: UTF8.self) == "hello world")
        }
    }

    @Test("a chunked body with extensions and trailers split at every position parses the same")
    func chunkedSplits() throws {
        let wire = Array(("POST /webhook HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5;name=value\r\nhello\r\n1 \r\n \r\n5\r\nworld\r\n0\r\nX-Trailer: yes\r\n\r\n").utf8)
        for cut in 0...wire.count {
            let parsed = events([Array(wire[0..<cut]), Array(wire[cut...])])
            guard parsed.count == 1, case .request(let request) = parsed[0] else {
                Issue.record("split at \(cut) gave \(parsed)")
                continue
            }
            #expect(String(decoding: request.body, as: UTF8.self) == "hello world")
        }
    }

    @Test("byte-at-a-time delivery of two pipelined requests yields both in order")
    func pipelinedByteAtATime() {
        let wire = Array("POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n\r\nAGET /b HTTP/1.1\r\nHost: a\r\n\r\n".utf8)
        let parsed = events(wire.map { [$0] })
        let paths = parsed.compactMap { if case .request(let r) = $0 { r.target } else { nil } }
        #expect(paths == ["/a", "/b"])
    }

    @Test("HTTP/1.0 closes unless keep-alive is asked for")
    func http10() throws {
        #expect(try #require(requests("GET / HTTP/1.0\r\n\r\n").first).keepAlive == false)
        #expect(try #require(requests("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").first).keepAlive)
        #expect(try #require(requests("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").first).keepAlive == false)
    }

    @Test("an empty line before the request line is ignored")
    func leadingEmptyLine() {
        #expect(requests("\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n").count == 1)
    }

    @Test("a stream of empty lines instead of a request is 400, not buffered without end")
    func manyEmptyLines() {
        #expect(failure(String(repeating: "\r\n", count: 1000) + "GET / HTTP/1.1\r\nHost: a\r\n\r\n")?.status == 400)
        let fine = String(repeating: "\r\n", count: 4) + "GET / HTTP/1.1\r\nHost: a\r\n\r\n"
        #expect(requests(fine + fine).count == 2)
    }

    @Test("one-byte chunks with long extensions are 413 once their framing outgrows the body limit")
    func chunkFraming() {
        let limits = HTTPParserLimits(maxBodyBytes: 1000)
        let chunk = "1;" + String(repeating: "e", count: 200) + "\r\na\r\n"
        let wire = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + String(repeating: chunk, count: 10) + "0\r\n\r\n"
        #expect(failure(wire, limits: limits)?.status == 413)
        let plain = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + String(repeating: "1\r\na\r\n", count: 100) + "0\r\n\r\n"
        #expect(events([Array(plain.utf8)], limits: limits).compactMap { if case .request(let r) = $0 { r.body.count } else { nil } } == [100])
    }

    @Test("Expect: 100-continue asks for a 100 before the body")
    func expectContinue() {
        let parsed = events([Array("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n".utf8), Array("ok".utf8)])
        guard parsed.count == 2, case .sendContinue = parsed[0], case .request(let request) = parsed[1] else {
            Issue.record("got \(parsed)")
            return
        }
        #expect(request.body == Array("ok".utf8))
    }

    @Test("malformed requests get the right status", arguments: [
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501),
        ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n+1a\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n10000000000000000\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabX\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\nhello", 400),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999\r\n\r\n", 413),
        ("GET / HTTP/1.1\r\nHost: a\r\nX-Folded: one\r\n two\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: a\nX: y\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nX: y\r\n\r\n", 400),
        ("GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505),
        ("GET / HTTX/1.1\r\nHost: a\r\n\r\n", 400),
        ("GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        ("GET nopath HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: a\r\nExpect: something\r\n\r\n", 417),
        ("GET / HTTP/1.1\r\nHost: a\r\nX: bad\u{1}value\r\n\r\n", 400),
    ])
    func malformed(wire: String, status: Int) {
        #expect(failure(wire)?.status == status)
    }

    @Test("a header block over the limit is 431, even before it ends")
    func headerLimit() {
        let limits = HTTPParserLimits(maxHeaderBytes: 64)
        let big = "GET / HTTP/1.1\r\nHost: a\r\nX: " + String(repeating: "y", count: 100)
        #expect(failure(big, limits: limits)?.status == 431)
        #expect(failure(big + "\r\n\r\n", limits: limits)?.status == 431)
    }

    @Test("a body over the limit is 413, by Content-Length and while chunks stream")
    func bodyLimit() {
        let limits = HTTPParserLimits(maxBodyBytes: 8)
        #expect(failure("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 9\r\n\r\n", limits: limits)?.status == 413)
        let chunked = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n5\r\n"
        #expect(failure(chunked, limits: limits)?.status == 413)
    }

    @Test("bare LF or bare CR line ends fail as soon as they arrive, not when a CRLF CRLF never comes", arguments: [
        "GET / HTTP/1.1\nHost: a\n\n",
        "GET / HTTP/1.1\nHost: a\n",
        "GET / HTTP/1.1\r\nHost: a\n",
        "\n",
        "GET / HTTP/1.1\rHost: a",
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\nhello",
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: 1\n",
    ])
    func bareLineEnds(wire: String) {
        #expect(failure(wire)?.status == 400)
    }

    @Test("a CR at the end of what has arrived waits for its LF")
    func crAtTheEdge() throws {
        let parsed = events([Array("GET / HTTP/1.1\r".utf8), Array("\nHost: a\r".utf8), Array("\n\r".utf8), Array("\n".utf8)])
        guard parsed.count == 1, case .request(let request) = parsed[0] else {
            Issue.record("got \(parsed)")
            return
        }
        #expect(request.headers["Host"] == "a")
    }

    @Test("after a failure the parser stays failed")
    func staysFailed() {
        var parser = HTTPRequestParser()
        parser.append(Array("BROKEN\r\n\r\n".utf8))
        guard case .failure = parser.next() else { Issue.record("expected failure"); return }
        parser.append(Array("GET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8))
        guard case .failure = parser.next() else { Issue.record("expected failure"); return }
        #expect(parser.phase == .failed)
    }

    @Test("query parameters are form-decoded")
    func queryDecoding() {
        let request = HTTPRequest(method: "POST", target: "/webhook?a=1&challengeCode=ab%2Fc+d")
        #expect(request.queryParameter("challengeCode") == "ab/c d")
        #expect(request.queryParameter("missing") == nil)
    }
    @Test("many pipelined requests in one buffer cost linear work: the bytes moved stay within the bytes read")
    func pipelinedCompactionIsLinear() {
        var parser = HTTPRequestParser(limits: HTTPParserLimits())
        let one = Array("GET /x HTTP/1.1\r\nHost: a\r\n\r\n".utf8)
        let count = 20_000
        var all: [UInt8] = []
        for _ in 0..<count { all += one }
        parser.append(all)
        var seen = 0
        while case .request = parser.next() { seen += 1 }
        #expect(seen == count)
        #expect(parser.bytesMoved <= all.count, "moved \(parser.bytesMoved) for \(all.count) read")
    }

    @Test("a head, a chunk-size line and a trailer arriving a byte at a time cost linear work: each byte is looked at about once")
    func bytewiseLinesAreLinear() {
        var parser = HTTPRequestParser(limits: HTTPParserLimits())
        let head = "POST /x HTTP/1.1\r\nHost: a\r\nX-Long: \(String(repeating: "h", count: 8_000))\r\nTransfer-Encoding: chunked\r\n\r\n"
        let body = "5;ext=\(String(repeating: "e", count: 4_000))\r\nhello\r\n0\r\nX-Trailer: \(String(repeating: "t", count: 8_000))\r\n\r\n"
        let all = Array((head + body).utf8)
        var request: HTTPRequest?
        for byte in all {
            parser.append([byte])
            while true {
                let event = parser.next()
                if case .request(let made) = event { request = made }
                guard case .sendContinue = event else { break }
            }
        }
        #expect(request?.body == Array("hello".utf8))
        #expect(parser.bytesScanned <= 2 * all.count, "looked at \(parser.bytesScanned) bytes for \(all.count) read")
    }

    @Test("a bare CR or LF in a chunk-size or trailer line is 400 however the line arrives", arguments: [
        "5\rx\nhello\r\n0\r\n\r\n", "5\nhello\r\n0\r\n\r\n", "5\r\nhello\r\n0\r\nX-T: a\rb\r\n\r\n", "5\r\nhello\r\n0\r\nX-T: a\nb\r\n\r\n",
    ])
    func brokenLinesAnyWay(body: String) {
        let wire = Array(("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + body).utf8)
        for pieces in [[wire], wire.map { [$0] }] {
            let last = events(pieces).last
            guard case .failure(let error) = last else {
                Issue.record("\(pieces.count) pieces gave \(String(describing: last))")
                continue
            }
            #expect(error.status == 400)
        }
    }

    @Test("a body arriving in pieces is held once: the buffer does not keep what the body already took")
    func slowBodyIsHeldOnce() {
        var parser = HTTPRequestParser(limits: HTTPParserLimits())
        let length = 1 << 20
        parser.append(Array("POST /hook HTTP/1.1\r\nHost: a\r\nContent-Length: \(length)\r\n\r\n".utf8))
        var most = 0
        var sent = 0
        while sent < length {
            let piece = [UInt8](repeating: 0x61, count: min(65_536, length - sent))
            parser.append(piece)
            sent += piece.count
            most = max(most, parser.bytesHeld)
            if sent < length, case .request = parser.next() { Issue.record("a request before its body is complete") }
        }
        guard case .request(let request) = parser.next() else {
            Issue.record("no request")
            return
        }
        #expect(request.body.count == length)
        #expect(most <= 2 * 65_536, "held up to \(most) bytes besides the body")
    }
}
