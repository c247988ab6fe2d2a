import Console
import Foundation
import Testing

extension ConsoleSuite {
    @Suite("Console sessions and CSRF")
    struct SessionTests {
        @Test("the API answers 401 without a session and 403 without the CSRF header")
        func sessionAndCSRF() async throws {
            try await ConsoleFixture.with { fixture in
                #expect(try await fixture.request("GET", "/console/api/channels").status == 401)
                #expect(try await fixture.request("GET", "/console/api/channels",
                                                  headers: ["Cookie": "relay_console=" + String(repeating: "ab", count: 32)]).status == 401)
                let session = try await fixture.signIn()
                #expect(try await fixture.request("GET", "/console/api/channels", session: session).status == 200)
                let cookieOnly = ConsoleFixture.Session(cookie: session.cookie, csrf: "")
                let noHeader = try await fixture.request("POST", "/console/api/channels", body: fixture.teamsChannel("a"), session: cookieOnly)
                #expect(noHeader.status == 403)
                let wrong = try await fixture.request("POST", "/console/api/channels", body: fixture.teamsChannel("a"), session: cookieOnly,
                                                      csrf: String(repeating: "0", count: 64))
                #expect(wrong.status == 403)
                #expect(try await fixture.request("PUT", "/console/api/channels/a", body: "{}", session: cookieOnly).status == 403)
                #expect(try await fixture.request("DELETE", "/console/api/channels/a", session: cookieOnly).status == 403)
                #expect(try await fixture.request("DELETE", "/console/api/session", session: cookieOnly).status == 403)
                #expect(fixture.service.consoleChannels.channels.isEmpty, "nothing was changed without the token")
                #expect(try await fixture.request("POST", "/console/api/channels", body: fixture.teamsChannel("a"), session: session).status == 201)
            }
        }

        @Test("one person holds at most 10 sessions: the eleventh sign-in ends the least recently used")
        func sessionsPerUser() async throws {
            try await ConsoleFixture.with { fixture in
                var sessions: [ConsoleFixture.Session] = []
                for _ in 0..<SessionStore.perUser {
                    sessions.append(try await fixture.signIn())
                    fixture.clock.advance(.seconds(1))
                }
                // The first is used now, so the second is the least recently used.
                #expect(try await fixture.request("GET", "/console/api/channels", session: sessions[0]).status == 200)
                fixture.clock.advance(.seconds(1))
                let eleventh = try await fixture.signIn()
                #expect(try await fixture.request("GET", "/console/api/channels", session: sessions[1]).status == 401)
                #expect(try await fixture.request("GET", "/console/api/channels", session: sessions[0]).status == 200)
                #expect(try await fixture.request("GET", "/console/api/channels", session: eleventh).status == 200)
                // Someone else's are not touched.
                let other = try await fixture.signIn("archivist")
                #expect(try await fixture.request("GET", "/console/api/channels", session: other).status == 200)
                #expect(try await fixture.request("GET", "/console/api/channels", session: sessions[2]).status == 200)
            }
        }

        @Test("signing out ends the session and clears the cookie")
        func signOut() async throws {
            try await ConsoleFixture.with { fixture in
                let session = try await fixture.signIn()
                let out = try await fixture.request("DELETE", "/console/api/session", session: session)
                #expect(out.status == 200)
                #expect(out.headers["set-cookie"]?.contains("Max-Age=0") == true)
                #expect(try await fixture.request("GET", "/console/api/session", session: session).status == 401)
            }
        }

        @Test("a session ends after the idle timeout")
        func idleExpiry() async throws {
            try await ConsoleFixture.with(configure: { $0.console.idleTimeout = .seconds(600) }) { fixture in
                let session = try await fixture.signIn()
                fixture.clock.advance(.seconds(599))
                #expect(try await fixture.request("GET", "/console/api/session", session: session).status == 200)
                fixture.clock.advance(.seconds(599))
                #expect(try await fixture.request("GET", "/console/api/session", session: session).status == 200, "use keeps it alive")
                fixture.clock.advance(.seconds(601))
                #expect(try await fixture.request("GET", "/console/api/session", session: session).status == 401)
                #expect(fixture.console.sessions.count == 0, "an expired session is forgotten")
            }
        }

        @Test("a session ends at its absolute lifetime however busy")
        func absoluteExpiry() async throws {
            try await ConsoleFixture.with(configure: {
                $0.console.idleTimeout = .seconds(600)
                $0.console.sessionLifetime = .seconds(3600)
            }) { fixture in
                let session = try await fixture.signIn()
                for _ in 0..<7 {
                    fixture.clock.advance(.seconds(500))
                    #expect(try await fixture.request("GET", "/console/api/channels", session: session).status == 200)
                }
                fixture.clock.advance(.seconds(200))
                #expect(try await fixture.request("GET", "/console/api/channels", session: session).status == 401)
            }
        }

        @Test("pages carry the security headers and no inline script")
        func securityHeaders() async throws {
            try await ConsoleFixture.with { fixture in
                for path in ["/console/", "/console/console.js", "/console/console.css", "/console/api/channels"] {
                    let response = try await fixture.request("GET", path)
                    let policy = try #require(response.headers["content-security-policy"], "\(path)")
                    #expect(policy.contains("frame-ancestors 'none'"))
                    #expect(policy.contains("script-src 'self'") && !policy.contains("unsafe-inline"))
                    #expect(response.headers["x-content-type-options"] == "nosniff")
                    #expect(response.headers["referrer-policy"] == "no-referrer")
                }
                let page = try await fixture.request("GET", "/console/").bodyText
                #expect(!page.contains("<script>") && !page.contains("onclick") && !page.contains("onsubmit"))
                #expect(page.contains(#"<script src="/console/console.js" defer></script>"#))
                #expect(try await fixture.request("GET", "/console").headers["location"] == "/console/")
            }
        }

        @Test("with console.listen the console answers on its own address and not on the webhook port")
        func ownListener() async throws {
            try await ConsoleFixture.with(configure: { $0.console.listenHost = "127.0.0.1"; $0.console.listenPort = 0 }) { fixture in
                let own = try #require(fixture.consolePort)
                #expect(own != fixture.port)
                #expect(try await fixture.request("GET", "/console/").status == 200)
                _ = try await fixture.signIn()
                #expect(try await fixture.request("GET", "/console/", port: fixture.port).status == 404)
                #expect(try await fixture.request("POST", "/console/api/session", body: "{}", port: fixture.port).status == 404)
            }
        }
    }
}
