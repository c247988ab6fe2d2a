import Testing

/// Every console test starts a relay, a Preservica simulator and a chat sink; one at a time keeps
/// the two-core machine responsive enough for their loopback requests.
@Suite("Console", .serialized)
struct ConsoleSuite {}
