// The smallest Swift program that can make an outbound HTTP call: it creates a URLSession and
// sleeps. bench/receiver.sh measures its RSS as the floor any URLSession-using binary starts from.
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

let session = URLSession(configuration: .ephemeral)
withExtendedLifetime(session) { sleep(5) }
