import Foundation
import Testing
@testable import Relay

@Suite("The directory a spool file is in")
struct SpoolDirectoryTests {
    @Test("is what Foundation says, for the paths the relay builds and for odd ones", arguments: [
        "/var/lib/preservica-relay/outbox/teams/000000000001-0000.json", "/data/audit.log", "/audit.log", "/",
        "relative/dir/file", "file", "", "/a//b/c", "/a/b/c/", "//", "/a/b//", "/tmp/ø/å.json", "dir/",
    ])
    func matchesFoundation(path: String) {
        #expect(SpoolFiles.directory(of: path) == (path as NSString).deletingLastPathComponent, "\(path)")
    }
}
