/// What ``HTTPRequestParser/next()`` found in the bytes received so far.
public enum HTTPParserEvent: Sendable {
    /// The buffered bytes hold no complete request yet.
    case needMoreData
    /// The head asked for `Expect: 100-continue` and no body byte has arrived: send `100 Continue`.
    case sendContinue
    /// One complete request (more may follow in the buffer: call `next()` again).
    case request(HTTPRequest)
    /// The bytes are not acceptable HTTP; answer `error.status` and close the connection.
    case failure(HTTPParseError)
}
