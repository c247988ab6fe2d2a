// libFuzzer entry point for the HTTP request parser. Built by scripts/fuzz-http.sh together with
// the parser's own source files, so the code fuzzed is the code served.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 0 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    // The first byte picks how the rest is cut into reads, to exercise every split position.
    let step = Int(bytes[0]) % 17 + 1
    let limits = HTTPParserLimits(maxHeaderBytes: 512, maxBodyBytes: 1024, maxHeaderCount: 16, maxChunkLineBytes: 64)
    var parser = HTTPRequestParser(limits: limits)
    var offset = 1
    while offset < bytes.count {
        let end = min(bytes.count, offset + step)
        parser.append(bytes[offset..<end])
        offset = end
        events: while true {
            switch parser.next() {
            case .needMoreData:
                break events
            case .sendContinue:
                continue
            case .failure(let error):
                precondition([400, 413, 417, 431, 501, 505].contains(error.status), "unexpected status \(error.status)")
                return 0
            case .request(let request):
                precondition(request.body.count <= limits.maxBodyBytes, "body over the limit")
                _ = request.path
                _ = request.query
                _ = request.keepAlive
                _ = request.queryParameter("challengeCode")
            }
        }
        precondition(parser.bufferedByteCount >= 0)
    }
    return 0
}
