/// A strict, incremental HTTP/1.x request parser (RFC 9112) with no socket in it.
///
/// Feed it bytes as they arrive with ``append(_:)`` and call ``next()`` until it answers
/// ``HTTPParserEvent/needMoreData``. Pipelined requests come out one by one. Every size is bounded
/// while bytes stream in, so a hostile client cannot make it buffer more than the limits allow.
/// After a ``HTTPParserEvent/failure(_:)`` the parser stays failed: the connection must close.
public struct HTTPRequestParser: Sendable {
    /// Where the parser stands, so the connection can pick the right timeout.
    public enum Phase: Sendable, Equatable {
        /// Between requests with nothing buffered.
        case idle
        /// Some of a request line or header block has arrived.
        case head
        /// The head is complete and the body is arriving.
        case body
        /// A framing error was found.
        case failed
    }

    private enum State: Sendable {
        case head
        case fixedBody(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers(byteCount: Int)
        case failed(HTTPParseError)
    }

    /// What a scan for the end of a line or head found.
    private enum LineScan {
        case complete(Int)
        case incomplete
        case broken(HTTPParseError)
    }

    private enum Framing {
        case none
        case length(Int)
        case chunked
    }

    private let limits: HTTPParserLimits
    private var buffer: [UInt8] = []
    private var start = 0
    /// Where the scan for the end of the head or line being read resumes: bytes before it were
    /// looked at already.
    private var scanFrom = 0
    private var state: State = .head
    private var pendingHead: HTTPRequest?
    private var pendingBody: [UInt8] = []
    /// Chunk-size lines and chunk CRLFs of the body being read; bounded like the body itself.
    private var framingBytes = 0
    /// Empty lines skipped before the current request line.
    private var leadingEmptyLines = 0
    /// Most empty lines tolerated before a request line (RFC 9112 §2.2 asks for at least one).
    private static let maxLeadingEmptyLines = 4

    /// Creates a parser enforcing `limits`.
    public init(limits: HTTPParserLimits = HTTPParserLimits()) {
        self.limits = limits
    }

    /// Adds received bytes.
    public mutating func append<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        buffer.append(contentsOf: bytes)
    }

    /// Adds received bytes from raw memory.
    public mutating func append(buffer bytes: UnsafeRawBufferPointer) {
        buffer.append(contentsOf: bytes)
    }

    /// Bytes received but not yet consumed by a complete request.
    public var bufferedByteCount: Int { buffer.count - start }

    /// Bytes held in the buffer, read or not (tests: a body's bytes are not held twice).
    var bytesHeld: Int { buffer.count }

    /// Unread bytes moved to the front of the buffer so far (tests: the work stays linear).
    private(set) var bytesMoved = 0

    /// Bytes looked at so far in scans for the end of a head or a line (tests: a head or line
    /// trickled in a byte at a time is not scanned again from its start at every byte).
    private(set) var bytesScanned = 0

    /// The phase, for choosing between idle, header and body timeouts.
    public var phase: Phase {
        switch state {
        case .head: bufferedByteCount == 0 ? .idle : .head
        case .failed: .failed
        default: .body
        }
    }

    /// The next event the buffered bytes allow.
    public mutating func next() -> HTTPParserEvent {
        while true {
            switch state {
            case .failed(let error):
                return .failure(error)
            case .head:
                switch parseHeadIfComplete() {
                case .none:
                    return .needMoreData
                case .some(.failure(let error)):
                    return fail(error)
                case .some(.success(let (request, framing, expectsContinue))):
                    switch framing {
                    case .none:
                        compactIfWorthIt()
                        return .request(request)
                    case .length(let length):
                        pendingHead = request
                        pendingBody = []
                        pendingBody.reserveCapacity(length)
                        state = .fixedBody(remaining: length)
                    case .chunked:
                        pendingHead = request
                        pendingBody = []
                        framingBytes = 0
                        state = .chunkSize
                    }
                    if expectsContinue && bufferedByteCount == 0 { return .sendContinue }
                }
            case .fixedBody(let remaining):
                let take = min(remaining, bufferedByteCount)
                pendingBody.append(contentsOf: buffer[start..<start + take])
                start += take
                if take < remaining {
                    state = .fixedBody(remaining: remaining - take)
                    // The body holds these bytes now: the buffer need not hold them too.
                    compactIfWorthIt()
                    return .needMoreData
                }
                return .request(finishRequest())
            case .chunkSize:
                let lineEnd: Int
                switch scanLine() {
                case .complete(let end):
                    lineEnd = end
                case .incomplete:
                    if bufferedByteCount > limits.maxChunkLineBytes { return fail(.bad("chunk-size line too long")) }
                    compactIfWorthIt()
                    return .needMoreData
                case .broken(let error):
                    return fail(error)
                }
                if lineEnd - start > limits.maxChunkLineBytes { return fail(.bad("chunk-size line too long")) }
                // Many tiny chunks with long extensions would otherwise buffer far more than the body.
                framingBytes += lineEnd - start + 4
                if framingBytes > limits.maxBodyBytes {
                    return fail(HTTPParseError(status: 413, reason: "chunk framing larger than \(limits.maxBodyBytes) bytes"))
                }
                let parsed = Self.parseChunkSize(buffer[start..<lineEnd])
                guard let size = parsed else { return fail(.bad("malformed chunk size")) }
                start = lineEnd + 2
                if size == 0 {
                    state = .trailers(byteCount: 0)
                } else if size > limits.maxBodyBytes - pendingBody.count {
                    return fail(HTTPParseError(status: 413, reason: "body larger than \(limits.maxBodyBytes) bytes"))
                } else {
                    state = .chunkData(remaining: size)
                }
            case .chunkData(let remaining):
                let take = min(remaining, bufferedByteCount)
                pendingBody.append(contentsOf: buffer[start..<start + take])
                start += take
                if take < remaining {
                    state = .chunkData(remaining: remaining - take)
                    compactIfWorthIt()
                    return .needMoreData
                }
                state = .chunkDataEnd
            case .chunkDataEnd:
                guard bufferedByteCount >= 2 else {
                    compactIfWorthIt()
                    return .needMoreData
                }
                guard buffer[start] == ASCII.cr && buffer[start + 1] == ASCII.lf else {
                    return fail(.bad("chunk data not followed by CRLF"))
                }
                start += 2
                state = .chunkSize
            case .trailers(let byteCount):
                let lineEnd: Int
                switch scanLine() {
                case .complete(let end):
                    lineEnd = end
                case .incomplete:
                    if byteCount + bufferedByteCount > limits.maxHeaderBytes {
                        return fail(HTTPParseError(status: 431, reason: "trailer section too large"))
                    }
                    compactIfWorthIt()
                    return .needMoreData
                case .broken(let error):
                    return fail(error)
                }
                let lineLength = lineEnd - start
                if lineLength == 0 {
                    start = lineEnd + 2
                    return .request(finishRequest())
                }
                let total = byteCount + lineLength + 2
                if total > limits.maxHeaderBytes {
                    return fail(HTTPParseError(status: 431, reason: "trailer section too large"))
                }
                if case .failure(let error) = Self.parseField(buffer[start..<lineEnd]) { return fail(error) }
                start = lineEnd + 2
                state = .trailers(byteCount: total)
            }
        }
    }

    // MARK: - Head

    private mutating func parseHeadIfComplete() -> Result<(HTTPRequest, Framing, Bool), HTTPParseError>? {
        // RFC 9112 §2.2: a server SHOULD ignore at least one empty line received before the request line.
        while bufferedByteCount >= 2 && buffer[start] == ASCII.cr && buffer[start + 1] == ASCII.lf {
            start += 2
            leadingEmptyLines += 1
            if leadingEmptyLines > Self.maxLeadingEmptyLines {
                return .failure(.bad("too many empty lines before the request line"))
            }
        }
        let headEnd: Int
        switch scanHead() {
        case .complete(let end):
            headEnd = end
        case .incomplete:
            if bufferedByteCount > limits.maxHeaderBytes {
                return .failure(HTTPParseError(status: 431, reason: "header block larger than \(limits.maxHeaderBytes) bytes"))
            }
            return nil
        case .broken(let error):
            return .failure(error)
        }
        if headEnd + 4 - start > limits.maxHeaderBytes {
            return .failure(HTTPParseError(status: 431, reason: "header block larger than \(limits.maxHeaderBytes) bytes"))
        }
        let head = buffer[start..<headEnd]
        start = headEnd + 4
        leadingEmptyLines = 0
        scanFrom = start
        return parseHead(head)
    }

    /// Looks for the CRLF CRLF that ends the head, scanning only bytes not seen before. A bare LF
    /// or bare CR fails at once: such a head would otherwise never end and hold the connection
    /// until the header timeout.
    private mutating func scanHead() -> LineScan {
        var index = max(start, scanFrom)
        let end = buffer.count
        bytesScanned += end - index
        while index < end {
            switch buffer[index] {
            case ASCII.lf:
                guard index > start, buffer[index - 1] == ASCII.cr else { return .broken(.bad("bare LF in header")) }
                if index - 3 >= start && buffer[index - 2] == ASCII.lf && buffer[index - 3] == ASCII.cr {
                    return .complete(index - 3)
                }
            case ASCII.cr:
                if index + 1 < end && buffer[index + 1] != ASCII.lf { return .broken(.bad("bare CR in header")) }
            default:
                break
            }
            index += 1
        }
        // The last byte may be a CR whose LF has not arrived; look at it again next time.
        scanFrom = max(start, end - 1)
        return .incomplete
    }

    private func parseHead(_ head: ArraySlice<UInt8>) -> Result<(HTTPRequest, Framing, Bool), HTTPParseError> {
        var lines: [ArraySlice<UInt8>] = []
        var lineStart = head.startIndex
        var index = head.startIndex
        while index < head.endIndex {
            let byte = head[index]
            if byte == ASCII.cr {
                guard index + 1 < head.endIndex, head[index + 1] == ASCII.lf else { return .failure(.bad("bare CR in header")) }
                lines.append(head[lineStart..<index])
                index += 2
                lineStart = index
                continue
            }
            if byte == ASCII.lf { return .failure(.bad("bare LF in header")) }
            index += 1
        }
        lines.append(head[lineStart..<head.endIndex])
        if lines.count - 1 > limits.maxHeaderCount {
            return .failure(HTTPParseError(status: 431, reason: "more than \(limits.maxHeaderCount) header fields"))
        }

        let requestLine: (String, String, HTTPVersion)
        switch Self.parseRequestLine(lines[0]) {
        case .failure(let error): return .failure(error)
        case .success(let parsed): requestLine = parsed
        }
        var headers = HTTPHeaders()
        for line in lines.dropFirst() {
            switch Self.parseField(line) {
            case .failure(let error): return .failure(error)
            case .success(let (name, value)): headers.append(name: name, value: value)
            }
        }
        let request = HTTPRequest(method: requestLine.0, target: requestLine.1, version: requestLine.2, headers: headers)
        return framing(of: request).map { (request, $0.0, $0.1) }
    }

    private static func parseRequestLine(_ line: ArraySlice<UInt8>) -> Result<(String, String, HTTPVersion), HTTPParseError> {
        let parts = line.split(separator: ASCII.space, maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty else { return .failure(.bad("malformed request line")) }
        guard parts[0].allSatisfy(ASCII.isTokenChar) else { return .failure(.bad("malformed method")) }
        guard parts[1].allSatisfy(ASCII.isTargetChar) else { return .failure(.bad("malformed request target")) }
        let method = String(decoding: parts[0], as: UTF8.self)
        let target = String(decoding: parts[1], as: UTF8.self)
        let isOrigin = target.hasPrefix("/")
        let isAbsolute = target.lowercased().hasPrefix("http://") || target.lowercased().hasPrefix("https://")
        let isAsterisk = target == "*" && method == "OPTIONS"
        guard isOrigin || isAbsolute || isAsterisk else { return .failure(.bad("malformed request target")) }
        let version = Array(parts[2])
        switch version {
        case Array("HTTP/1.1".utf8): return .success((method, target, .http1_1))
        case Array("HTTP/1.0".utf8): return .success((method, target, .http1_0))
        default:
            let digit = { (b: UInt8) in b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
            if version.count == 8, version.starts(with: Array("HTTP/".utf8)), digit(version[5]),
               version[6] == UInt8(ascii: "."), digit(version[7]) {
                return .failure(HTTPParseError(status: 505, reason: "only HTTP/1.0 and HTTP/1.1 are supported"))
            }
            return .failure(.bad("malformed HTTP version"))
        }
    }

    private static func parseField(_ line: ArraySlice<UInt8>) -> Result<(String, String), HTTPParseError> {
        guard let first = line.first else { return .failure(.bad("empty header line")) }
        if first == ASCII.space || first == ASCII.tab { return .failure(.bad("obsolete line folding is not accepted")) }
        guard let colon = line.firstIndex(of: ASCII.colon) else { return .failure(.bad("header field without a colon")) }
        let name = line[line.startIndex..<colon]
        guard !name.isEmpty, name.allSatisfy(ASCII.isTokenChar) else { return .failure(.bad("malformed header field name")) }
        var value = line[(colon + 1)...]
        while let b = value.first, b == ASCII.space || b == ASCII.tab { value = value.dropFirst() }
        while let b = value.last, b == ASCII.space || b == ASCII.tab { value = value.dropLast() }
        guard value.allSatisfy(ASCII.isFieldValueChar) else { return .failure(.bad("invalid character in header field value")) }
        return .success((String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self)))
    }

    private func framing(of request: HTTPRequest) -> Result<(Framing, Bool), HTTPParseError> {
        let headers = request.headers
        if request.version == .http1_1 && headers.values(for: "Host").count != 1 {
            return .failure(.bad("an HTTP/1.1 request needs exactly one Host header"))
        }
        let transferEncodings = headers.values(for: "Transfer-Encoding")
        let contentLengths = headers.values(for: "Content-Length")
        var framing = Framing.none
        if !transferEncodings.isEmpty {
            if !contentLengths.isEmpty { return .failure(.bad("Content-Length together with Transfer-Encoding")) }
            if request.version == .http1_0 { return .failure(.bad("Transfer-Encoding in an HTTP/1.0 request")) }
            let codings = transferEncodings.flatMap { $0.split(separator: ",") }.map { $0.trimmingASCIIWhitespace().lowercased() }
            guard codings == ["chunked"] else {
                return .failure(HTTPParseError(status: 501, reason: "only Transfer-Encoding: chunked is supported"))
            }
            framing = .chunked
        } else if !contentLengths.isEmpty {
            var length: Int?
            for text in contentLengths {
                let digits = text.utf8
                guard !digits.isEmpty, digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
                    return .failure(.bad("malformed Content-Length"))
                }
                // More than 15 digits is beyond any body limit; avoid overflow rather than parse it.
                let value = digits.count > 15 ? Int.max : digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
                if let length, length != value { return .failure(.bad("conflicting Content-Length values")) }
                length = value
            }
            let bodyLength = length ?? 0
            if bodyLength > limits.maxBodyBytes {
                return .failure(HTTPParseError(status: 413, reason: "body larger than \(limits.maxBodyBytes) bytes"))
            }
            if bodyLength > 0 { framing = .length(bodyLength) }
        }
        var expectsContinue = false
        if let expectation = headers["Expect"] {
            guard expectation.trimmingASCIIWhitespace().lowercased() == "100-continue" else {
                return .failure(HTTPParseError(status: 417, reason: "unsupported expectation"))
            }
            if case .none = framing {} else { expectsContinue = request.version == .http1_1 }
        }
        return .success((framing, expectsContinue))
    }

    // MARK: - Chunks

    /// `1*HEXDIG [BWS ";" chunk-ext]`, at most 15 hex digits so the size cannot overflow.
    private static func parseChunkSize(_ line: ArraySlice<UInt8>) -> Int? {
        var size = 0
        var digits = 0
        var index = line.startIndex
        while index < line.endIndex, let value = ASCII.hexValue(line[index]) {
            digits += 1
            if digits > 15 { return nil }
            size = size << 4 | value
            index += 1
        }
        guard digits > 0 else { return nil }
        while index < line.endIndex, line[index] == ASCII.space || line[index] == ASCII.tab { index += 1 }
        if index == line.endIndex { return size }
        guard line[index] == ASCII.semicolon else { return nil }
        guard line[index...].allSatisfy(ASCII.isFieldValueChar) else { return nil }
        return size
    }

    // MARK: - Bookkeeping

    /// Looks for the CRLF that ends a chunk-size or trailer line starting at `start`, scanning only
    /// bytes not seen before: a line trickled in a byte at a time would otherwise cost work
    /// quadratic in its length. A bare LF or CR fails the line at once.
    private mutating func scanLine() -> LineScan {
        var i = max(start, scanFrom)
        bytesScanned += buffer.count - i
        while i < buffer.count {
            if buffer[i] == ASCII.lf { return .broken(.bad("bare LF in chunked framing")) }
            if buffer[i] == ASCII.cr {
                guard i + 1 < buffer.count else { break }
                return buffer[i + 1] == ASCII.lf ? .complete(i) : .broken(.bad("bare CR in chunked framing"))
            }
            i += 1
        }
        // The last byte may be a CR whose LF has not arrived; look at it again next time.
        scanFrom = max(start, buffer.count - 1)
        return .incomplete
    }

    private mutating func finishRequest() -> HTTPRequest {
        var request = pendingHead!
        request.body = pendingBody
        pendingHead = nil
        pendingBody = []
        state = .head
        compactIfWorthIt()
        return request
    }

    private mutating func fail(_ error: HTTPParseError) -> HTTPParserEvent {
        state = .failed(error)
        pendingHead = nil
        pendingBody = []
        return .failure(error)
    }

    private mutating func compact() {
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.capacity <= 65_536)
        } else if start > 0 {
            bytesMoved += buffer.count - start
            buffer.removeFirst(start)
        }
        scanFrom = max(0, scanFrom - start)
        start = 0
    }

    /// Compacts when everything was read (free), or when the bytes read outnumber the unread ones
    /// that would move: with many pipelined requests in one buffer, compacting after each would
    /// move the rest of the buffer each time, quadratic in its length.
    private mutating func compactIfWorthIt() {
        if start == buffer.count || (start > 4_096 && start >= buffer.count - start) { compact() }
    }
}
