@testable import Console
import Foundation
import HTTPServer
import Testing
import PreservicaSimulator
import Relay

extension ConsoleSuite {
    @Suite("Console sign-in")
    struct SignInTests {
        @Test("a curator signs in with their own Preservica password and gets an HttpOnly, SameSite=Strict cookie")
        func curatorSignsIn() async throws {
            try await ConsoleFixture.with { fixture in
                let response = try await fixture.request("POST", "/console/api/session",
                                                         body: #"{"username":"curator","password":"\#(ConsoleFixture.password)"}"#)
                #expect(response.status == 200)
                let cookie = try #require(response.headers["set-cookie"])
                #expect(cookie.contains("HttpOnly"))
                #expect(cookie.contains("SameSite=Strict"))
                #expect(cookie.contains("Path=/console"))
                #expect(!cookie.contains("Secure"), "the fixture allows plain HTTP")
                let id = String(cookie.split(separator: ";")[0].split(separator: "=")[1])
                #expect(id.count == 64 && id.allSatisfy(\.isHexDigit), "a 256-bit id")
                #expect((response.json["user"] as? [String: Any])?["username"] as? String == "curator")
                #expect((response.json["csrfToken"] as? String)?.count == 64)
                #expect(fixture.simulator.requestLog.contains("GET /api/user/details"))
                #expect(!fixture.log.contains(ConsoleFixture.password), "the password is never logged")
                #expect(!fixture.log.contains(id), "the session id is never logged")
            }
        }

        @Test("the cookie is Secure unless plain HTTP is allowed")
        func secureCookie() async throws {
            try await ConsoleFixture.with(configure: { $0.console.allowInsecureHTTP = false }) { fixture in
                let response = try await fixture.request("POST", "/console/api/session",
                                                         body: #"{"username":"curator","password":"\#(ConsoleFixture.password)"}"#)
                #expect(response.headers["set-cookie"]?.contains("; Secure") == true)
            }
        }

        /// (Another tenant than the relay's is refused before Preservica is asked: see `otherTenantRefusedFirst`.)
        @Test("a wrong password and an unknown user read the same 401")
        func failuresDoNotSayWhichPart() async throws {
            try await ConsoleFixture.with { fixture in
                let bodies = [#"{"username":"curator","password":"wrong"}"#, #"{"username":"nobody","password":"\#(ConsoleFixture.password)"}"#]
                var messages: Set<String> = []
                for body in bodies {
                    let response = try await fixture.request("POST", "/console/api/session", body: body)
                    #expect(response.status == 401)
                    #expect(response.headers["set-cookie"] == nil)
                    messages.insert(response.bodyText)
                }
                #expect(messages.count == 1)
                #expect(!fixture.log.contains(ConsoleFixture.password))
                #expect(!fixture.log.contains("\"wrong\"") && !fixture.log.contains("=wrong"))
            }
        }

        @Test("a user without a permitted role is refused with 403; an admin role is enough")
        func rolesAreChecked() async throws {
            try await ConsoleFixture.with(configure: { $0.console.roles = ["ROLE_SPECIAL"] }) { fixture in
                let reader = try await fixture.request("POST", "/console/api/session",
                                                       body: #"{"username":"reader","password":"\#(ConsoleFixture.password)"}"#)
                #expect(reader.status == 403)
                #expect(reader.headers["set-cookie"] == nil)
                #expect((reader.json["error"] as? String)?.contains("ROLE_SPECIAL") == true)
                // The curator's manager role is no longer in console.roles.
                let curator = try await fixture.request("POST", "/console/api/session",
                                                        body: #"{"username":"curator","password":"\#(ConsoleFixture.password)"}"#)
                #expect(curator.status == 403)
                let archivist = try await fixture.request("POST", "/console/api/session",
                                                          body: #"{"username":"archivist","password":"\#(ConsoleFixture.password)"}"#)
                #expect(archivist.status == 200)
                #expect((archivist.json["user"] as? [String: Any])?["isAdmin"] as? Bool == true)
            }
        }

        /// A server such as eu.preservica.com holds many tenants; an administrator of another one
        /// must not manage this relay's channels, nor own a channel by having the same user name.
        @Test("a user of another tenant on the same Preservica server is refused with 403, whatever their roles")
        func otherTenant() async throws {
            let mallory = SimulatedUser(username: "mallory", password: ConsoleFixture.password,
                                        roles: ["ROLE_SDB_ADMIN_USER", "ROLE_SDB_MANAGER_USER"], tenant: "OTHER")
            try await ConsoleFixture.with(users: [mallory]) { fixture in
                let response = try await fixture.request("POST", "/console/api/session",
                                                         body: #"{"username":"mallory","password":"\#(ConsoleFixture.password)","tenant":"OTHER"}"#)
                #expect(response.status == 403)
                #expect(response.headers["set-cookie"] == nil)
                #expect((response.json["error"] as? String)?.contains("another tenant") == true)
                // Naming this relay's tenant instead is a wrong tenant for that account: the same 401 as any failure.
                let asOurs = try await fixture.request("POST", "/console/api/session",
                                                       body: #"{"username":"mallory","password":"\#(ConsoleFixture.password)"}"#)
                #expect(asOurs.status == 401)
            }
        }

        /// Where the relay names its tenant, a sign-in naming another is refused before Preservica
        /// checks a password: the answer could not be a session anyway, and a server that ignored
        /// an unknown tenant would otherwise give each made-up tenant name five more guesses at
        /// this tenant's user.
        @Test("a sign-in naming another tenant than the relay's is refused before Preservica is asked")
        func otherTenantRefusedFirst() async throws {
            try await ConsoleFixture.with(limiter: { SignInLimiter(maxPerUser: 3, maxPerAddress: 100, window: .seconds(600), clock: $0) }) { fixture in
                let logins = { fixture.simulator.requestLog.filter { $0 == "POST /api/accesstoken/login" }.count }
                let before = logins()
                for tenant in ["OTHER", "OTHER2", "OTHER3", "OTHER4"] {
                    let response = try await fixture.request("POST", "/console/api/session",
                                                             body: #"{"username":"curator","password":"x","tenant":"\#(tenant)"}"#)
                    #expect(response.status == 403)
                    #expect((response.json["error"] as? String)?.contains("another tenant") == true)
                }
                #expect(logins() == before, "no password was checked")
                // Naming the relay's own tenant is asked about as usual.
                let ours = try await fixture.request("POST", "/console/api/session",
                                                     body: #"{"username":"curator","password":"\#(ConsoleFixture.password)","tenant":"DEMO"}"#)
                #expect(ours.status == 200)
            }
        }

        /// On a server such as eu.preservica.com, a relay that does not name its tenant serves the
        /// one its own login belongs to (Preservica names it in the login's answer): a manager of
        /// another tenant there is not let in.
        @Test("without preservica.tenant, the console serves the tenant of the relay's own account")
        func learnedTenant() async throws {
            let mallory = SimulatedUser(username: "mallory", password: ConsoleFixture.password,
                                        roles: ["ROLE_SDB_ADMIN_USER", "ROLE_SDB_MANAGER_USER"], tenant: "OTHER")
            try await ConsoleFixture.with(users: [mallory], configure: { $0.preservica?.credentials.tenant = nil }) { fixture in
                let response = try await fixture.request("POST", "/console/api/session",
                                                         body: #"{"username":"mallory","password":"\#(ConsoleFixture.password)","tenant":"OTHER"}"#)
                #expect(response.status == 403)
                #expect((response.json["error"] as? String)?.contains("another tenant") == true)
                // Naming none, mallory is signed in to the relay's tenant, where there is no mallory.
                let unnamed = try await fixture.request("POST", "/console/api/session",
                                                        body: #"{"username":"mallory","password":"\#(ConsoleFixture.password)"}"#)
                #expect(unnamed.status == 401)
                _ = try await fixture.signIn("curator")
            }
            // Not named, and the relay's own login refused: nobody is let in, whatever they name.
            try await ConsoleFixture.with(users: [mallory], configure: {
                $0.preservica?.credentials.tenant = nil
                $0.preservica?.credentials.password = "not-the-relay-password"
            }) { fixture in
                let response = try await fixture.request("POST", "/console/api/session",
                                                         body: #"{"username":"mallory","password":"\#(ConsoleFixture.password)","tenant":"OTHER"}"#)
                #expect(response.status == 503)
                #expect((response.json["error"] as? String)?.contains("cannot tell which Preservica tenant") == true)
                #expect(!response.bodyText.contains("not-the-relay-password"))
            }
        }

        /// The same user name in another tenant is another person: their sign-in there must neither
        /// clear nor add to the failures counted against this tenant's user, whether the relay
        /// names its tenant or learnt it from its own login (the twin is refused, 403, either way).
        @Test("a sign-in by the same name in another tenant leaves this tenant's user's failures as they were",
              arguments: [(true, 403), (false, 403)])
        func otherTenantLeavesFailures(tenantConfigured: Bool, twinStatus: Int) async throws {
            let twin = SimulatedUser(username: "curator", password: "twin-password", roles: ["ROLE_SDB_MANAGER_USER"], tenant: "OTHER")
            try await ConsoleFixture.with(limiter: { SignInLimiter(maxPerUser: 3, maxPerAddress: 100, window: .seconds(600), clock: $0) },
                                          users: [twin], configure: { if !tenantConfigured { $0.preservica?.credentials.tenant = nil } }) { fixture in
                let wrong = #"{"username":"curator","password":"x"}"#
                for _ in 0..<2 { #expect(try await fixture.request("POST", "/console/api/session", body: wrong).status == 401) }
                let elsewhere = try await fixture.request("POST", "/console/api/session",
                                                          body: #"{"username":"curator","password":"twin-password","tenant":"OTHER"}"#)
                #expect(elsewhere.status == twinStatus)
                // Neither cleared nor added to: a third failure is refused as such, then the limit of three holds.
                #expect(try await fixture.request("POST", "/console/api/session", body: wrong).status == 401)
                #expect(try await fixture.request("POST", "/console/api/session", body: wrong).status == 429)
            }
        }

        /// Each attempt counts when it is made, not when Preservica has answered: twelve at once
        /// must not all be checked against the password.
        @Test("sign-ins sent together count against the limit at once")
        func parallelAttempts() async throws {
            try await ConsoleFixture.with(limiter: { SignInLimiter(maxPerUser: 3, maxPerAddress: 100, window: .seconds(600), clock: $0) },
                                          latency: .milliseconds(300)) { fixture in
                let statuses = await withTaskGroup(of: Int.self) { group in
                    for _ in 0..<12 {
                        group.addTask {
                            (try? await fixture.request("POST", "/console/api/session", body: #"{"username":"curator","password":"x"}"#).status) ?? 0
                        }
                    }
                    var all: [Int] = []
                    for await status in group { all.append(status) }
                    return all
                }
                #expect(statuses.filter { $0 == 401 }.count == 3, "\(statuses)")
                #expect(statuses.filter { $0 == 429 }.count == 9, "\(statuses)")
                #expect(fixture.simulator.requestLog.filter { $0 == "POST /api/accesstoken/login" }.count <= 4,
                        "the relay's own login and three attempts at most")
            }
        }

        @Test("missing fields are named")
        func missingFields() async throws {
            try await ConsoleFixture.with { fixture in
                let noPassword = try await fixture.request("POST", "/console/api/session", body: #"{"username":"curator"}"#)
                #expect(noPassword.status == 400)
            let form = try await fixture.request("POST", "/console/api/session",
                                                 headers: ["Content-Type": "application/x-www-form-urlencoded"])
            #expect(form.status == 415, "a cross-site form cannot sign anyone in")
                #expect(noPassword.json["field"] as? String == "password")
                #expect((noPassword.json["error"] as? String)?.hasPrefix("password:") == true)
            }
        }

        /// The tenant written out or left empty is the same tenant: one count of failures.
        @Test("failures naming the relay's tenant and naming none count together", arguments: [true, false])
        func tenantWrittenOrNot(tenantConfigured: Bool) async throws {
            try await ConsoleFixture.with(limiter: { SignInLimiter(maxPerUser: 3, maxPerAddress: 100, window: .seconds(600), clock: $0) },
                                          configure: { if !tenantConfigured { $0.preservica?.credentials.tenant = nil } }) { fixture in
                for body in [#"{"username":"curator","password":"x"}"#, #"{"username":"curator","password":"x","tenant":"DEMO"}"#,
                             #"{"username":"curator","password":"x","tenant":"demo"}"#] {
                    let failed = try await fixture.request("POST", "/console/api/session", body: body)
                    #expect(failed.status == 401)
                }
                let held = try await fixture.request("POST", "/console/api/session", body: #"{"username":"curator","password":"x"}"#)
                #expect(held.status == 429)
            }
        }

        @Test("sign-in is limited per user, then allowed again once the window has passed")
        func rateLimitPerUser() async throws {
            try await ConsoleFixture.with(limiter: { SignInLimiter(maxPerUser: 3, maxPerAddress: 100, window: .seconds(600), clock: $0) }) { fixture in
                for _ in 0..<3 {
                    #expect(try await fixture.request("POST", "/console/api/session", body: #"{"username":"curator","password":"x"}"#).status == 401)
                }
                let logins = fixture.simulator.requestLog.filter { $0 == "POST /api/accesstoken/login" }.count
                let blocked = try await fixture.request("POST", "/console/api/session",
                                                        body: #"{"username":"curator","password":"\#(ConsoleFixture.password)"}"#)
                #expect(blocked.status == 429)
                #expect(blocked.headers["retry-after"] != nil)
                #expect(fixture.simulator.requestLog.filter { $0 == "POST /api/accesstoken/login" }.count == logins,
                        "a refused attempt never reaches Preservica")
                // Another user from the same address is not held back by the curator's failures.
                _ = try await fixture.signIn("archivist")
                fixture.clock.advance(.seconds(601))
                _ = try await fixture.signIn("curator")
            }
        }

        /// Anyone who can reach the console can send failed sign-ins; a flood of them is not a
        /// flood of log lines (at most 5 of a kind a second, then a count).
        @Test("a flood of failed and refused sign-ins writes a few lines and a count, not a line each")
        func failuresFloodLimited() async throws {
            try await ConsoleFixture.with(limiter: { SignInLimiter(maxPerUser: 100, maxPerAddress: 30, window: .seconds(600), clock: $0) }) { fixture in
                for index in 0..<50 {
                    let status = try await fixture.request("POST", "/console/api/session", body: #"{"username":"u\#(index)","password":"x"}"#).status
                    #expect(status == (index < 30 ? 401 : 429))
                }
                // Another tenant's name, refused before Preservica is asked.
                for index in 0..<20 {
                    let body = #"{"username":"v\#(index)","password":"x","tenant":"OTHER"}"#
                    #expect(try await fixture.request("POST", "/console/api/session", body: body).status == 403)
                }
                let lines = fixture.log.split(separator: "\n").filter { !$0.contains("suppressed") }
                let failed = lines.filter { $0.contains("console sign-in failed") }.count
                let refused = lines.filter { $0.contains("too many failures") }.count
                let other = lines.filter { $0.contains("console sign-in naming another tenant") }.count
                // At most 5 of a kind a second: 30 failures, 20 refusals and 20 other tenants are
                // far more than the seconds the loop takes allow.
                #expect(failed < 30 && refused < 20 && other < 20, "\(failed) failed, \(refused) refused, \(other) other-tenant lines")
            }
        }

        @Test("sign-in is limited per address, whatever the user names")
        func rateLimitPerAddress() async throws {
            try await ConsoleFixture.with(limiter: { SignInLimiter(maxPerUser: 100, maxPerAddress: 3, window: .seconds(600), clock: $0) }) { fixture in
                for user in ["a", "b", "c"] {
                    #expect(try await fixture.request("POST", "/console/api/session", body: #"{"username":"\#(user)","password":"x"}"#).status == 401)
                }
                let blocked = try await fixture.request("POST", "/console/api/session",
                                                        body: #"{"username":"curator","password":"\#(ConsoleFixture.password)"}"#)
                #expect(blocked.status == 429)
            }
        }

        /// A proxy on this host is trusted for `X-Forwarded-For`, also when the relay listens on
        /// `[::]` and the proxy's IPv4 loopback arrives mapped into IPv6.
        @Test("behind a proxy on this host, failures count against the address it forwards")
        func forwardedAddress() {
            for peer in ["127.0.0.1:5000", "[::1]:5000", "[::ffff:127.0.0.1]:5000"] {
                let request = HTTPRequest(method: "POST", target: "/console/api/session", headers: ["X-Forwarded-For": "198.51.100.7"], peerAddress: peer)
                #expect(SessionEndpoints.clientAddress(request) == "198.51.100.7", "\(peer)")
            }
            let direct = HTTPRequest(method: "POST", target: "/console/api/session", headers: ["X-Forwarded-For": "198.51.100.7"],
                                     peerAddress: "203.0.113.9:5000")
            #expect(SessionEndpoints.clientAddress(direct) == "203.0.113.9:5000", "a remote client cannot name its own address")
            // A proxy on the host reaching the relay in a container: the Docker bridge's gateway.
            let bridge = HTTPRequest(method: "POST", target: "/console/api/session", headers: ["X-Forwarded-For": "198.51.100.7"],
                                     peerAddress: "172.17.0.1:40000")
            #expect(SessionEndpoints.clientAddress(bridge) == "172.17.0.1:40000", "not trusted unless named")
            let trusted = [AddressRange("172.16.0.0/12")!]
            #expect(SessionEndpoints.clientAddress(bridge, trusting: trusted) == "198.51.100.7")
            #expect(SessionEndpoints.clientAddress(direct, trusting: trusted) == "203.0.113.9:5000")
            #expect(AddressRange("fd00::/8")!.contains(peer: "[fd12::1]:443"))
            #expect(!AddressRange("fd00::/8")!.contains(peer: "[fe80::1]:443"))
            #expect(AddressRange("10.0.0.5")!.contains(peer: "[::ffff:10.0.0.5]:1"))
            #expect(AddressRange("10.0.0.0/33") == nil && AddressRange("proxy.local") == nil)
        }

        /// One host commonly holds a whole IPv6 /64: counted per address, it could try the
        /// address limit's worth of passwords from each of its addresses.
        @Test("failures from the addresses of one IPv6 /64 count together; another /64 and IPv4 addresses do not")
        func ipv6Prefix() {
            let limiter = SignInLimiter(maxPerUser: 100, maxPerAddress: 3, window: .seconds(600))
            for (index, address) in ["[2001:db8:1:2::1]:40001", "[2001:db8:1:2::a:1]:40002", "[2001:db8:1:2:ffff::9]:40003"].enumerated() {
                #expect(limiter.begin(user: "user\(index)", address: address) == nil)
            }
            #expect(limiter.begin(user: "other", address: "[2001:db8:1:2:abcd::1]:40004") != nil, "the same /64 is held back")
            #expect(limiter.begin(user: "other", address: "[2001:db8:1:3::1]:40005") == nil, "another /64 is not")
            #expect(limiter.begin(user: "other", address: "192.0.2.1:40006") == nil)
        }
    }
}
