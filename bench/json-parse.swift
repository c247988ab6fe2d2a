// Driver for bench/json-parse.sh: parses a Preservica notification of about 1 KB (ASCII keys and
// references, a few non-ASCII titles) many times and prints the time per parse.
import Glibc

@main
struct JSONParseBench {
    static func main() {
        let events = (0..<3).map { index in
            #"{"event":"FullTextIndexed","entityType":"IO","entityRef":"7fdea7e0-1e72-4fb1-aadb-d7f9ee6ed8c\#(index)","#
                + #""identifiers":[{"type":"code","value":"ABC-12\#(index)"},{"type":"title","value":"Bjørnson: brev til Åse, 1884 – letter \#(index)"}]}"#
        }
        let body = #"{"subscriptionId":"7c1a2e3b-0000-4000-8000-000000000001","timestamp":"2025-03-04T09:15:02.118","tenant":"DEMO","#
            + #""version":"7.7.0","trigger":"FULL_TEXT_INDEXED","events":["# + events.joined(separator: ",") + "]}"
        let bytes = Array(body.utf8)
        let rounds = 200_000
        var members = 0
        let start = now()
        for _ in 0..<rounds {
            if case .object(let object) = try! JSONParser.parse(bytes) { members += object.count }
        }
        let nanoseconds = (now() - start) / Double(rounds) * 1e9
        print("bytes=\(bytes.count) parses=\(rounds) ns_per_parse=\(Int(nanoseconds)) members=\(members)")
    }

    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
