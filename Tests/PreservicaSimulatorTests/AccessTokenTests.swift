import TestSupport
import Foundation
import Testing
import PreservicaSimulator

@Suite("Simulator: access tokens")
struct AccessTokenTests {
    @Test("a good login returns a token pair valid for the configured minutes, with user details on request")
    func goodLogin() async throws {
        let fixture = try SimulatorFixture(SimulatorConfiguration(password: "s3cret", tokenLifetime: .seconds(20 * 60)))
        let reply = try await fixture.client.send("POST", "/api/accesstoken/login",
                                                  form: ["username": "admin", "password": "s3cret", "includeUserDetails": "true"])
        await fixture.finish()
        #expect(reply.status == 200)
        #expect(reply.json["success"] as? Bool == true)
        #expect(reply.json["user"] as? String == "admin")
        #expect((reply.json["token"] as? String)?.count == 36)
        #expect((reply.json["refresh-token"] as? String)?.count == 36)
        #expect(reply.json["validFor"] as? Int == 20)
        #expect(reply.json["tenant"] as? String == "DEMO")
        #expect(reply.json["roles"] as? [String] == ["ROLE_SDB_MANAGER_USER"])
    }

    @Test("a wrong password or tenant is 401 with success false and a message, and no Basic challenge")
    func badLogin() async throws {
        let fixture = try SimulatorFixture(SimulatorConfiguration(password: "s3cret"))
        let wrongPassword = try await fixture.client.send("POST", "/api/accesstoken/login",
                                                          form: ["username": "admin", "password": "nope", "tenant": "DEMO"])
        let wrongTenant = try await fixture.client.send("POST", "/api/accesstoken/login",
                                                        form: ["username": "admin", "password": "s3cret", "tenant": "OTHER"])
        await fixture.finish()
        for reply in [wrongPassword, wrongTenant] {
            #expect(reply.status == 401)
            #expect(reply.json["success"] as? Bool == false)
            #expect(!(reply.json["message"] as? String ?? "").isEmpty)
            #expect(reply.header("WWW-Authenticate") == nil)
        }
    }

    @Test("API calls need a live token: none, unknown, expired and force-expired tokens get 401")
    func tokenRequired() async throws {
        let fixture = try SimulatorFixture()
        let client = fixture.client
        let path = "/api/entity/information-objects/\(SimulatorRepository.SampleRefs.letterAsset)"
        let missing = try await client.get(path, token: nil)
        let unknown = try await client.get(path, token: UUID().uuidString.lowercased())
        let token = try await client.login(fixture.simulator)
        let live = try await client.get(path, token: token)
        let bearer = try await client.send("GET", path, headers: ["Authorization": "Bearer \(token)"])
        fixture.simulator.expireAllTokens()
        let forced = try await client.get(path, token: token)
        let details = try await client.get("/api/user/details", token: token)
        await fixture.finish()

        // The token dies on its own after its lifetime: a simulator of its own with a short one, so
        // the calls above cannot meet it on a loaded machine.
        let shortLived = try SimulatorFixture(SimulatorConfiguration(tokenLifetime: .seconds(2)))
        let dying = try await shortLived.client.login(shortLived.simulator)
        _ = try await eventually(timeout: .seconds(30)) { try await shortLived.client.get(path, token: dying).status == 401 }
        let expired = try await shortLived.client.get(path, token: dying)
        await shortLived.finish()
        #expect(missing.status == 401)
        #expect(unknown.status == 401)
        #expect(live.status == 200)
        #expect(bearer.status == 200)
        #expect(expired.status == 401)
        #expect(forced.status == 401)
        #expect(details.status == 401)
    }

    @Test("refresh issues a new working pair and spends the old refresh token")
    func refresh() async throws {
        let fixture = try SimulatorFixture()
        let client = fixture.client
        let configuration = fixture.simulator.configuration
        let login = try await client.send("POST", "/api/accesstoken/login",
                                          form: ["username": configuration.username, "password": configuration.password])
        let oldToken = try #require(login.json["token"] as? String)
        let refreshToken = try #require(login.json["refresh-token"] as? String)
        let first = try await client.send("POST", "/api/accesstoken/refresh", token: oldToken, form: ["refreshToken": refreshToken])
        let second = try await client.send("POST", "/api/accesstoken/refresh", token: oldToken, form: ["refreshToken": refreshToken])
        let newToken = try #require(first.json["token"] as? String)
        let details = try await client.get("/api/user/details", token: newToken)
        await fixture.finish()
        #expect(first.status == 200)
        #expect(newToken != oldToken)
        #expect(first.json["refresh-token"] as? String != refreshToken)
        #expect(second.status == 401)
        #expect(details.status == 200)
        #expect(details.json["roles"] as? [String] == ["ROLE_SDB_MANAGER_USER"])
    }
}
