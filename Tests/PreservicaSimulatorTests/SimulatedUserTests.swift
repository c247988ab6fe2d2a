import Foundation
import Testing
import PreservicaSimulator

@Suite("Simulator: people with their own passwords and roles")
struct SimulatedUserTests {
    @Test("each person logs in with their own password and the user details are theirs, also after a refresh")
    func ownDetails() async throws {
        let fixture = try SimulatorFixture(SimulatorConfiguration(password: "main", users: [
            SimulatedUser(username: "cora", password: "c-pass", roles: ["ROLE_SDB_MANAGER_USER"], fullName: "Cora"),
            SimulatedUser(username: "rex", password: "r-pass", roles: ["ROLE_SDB_READ_ONLY_USER"]),
        ]))
        let cora = try await fixture.client.send("POST", "/api/accesstoken/login", form: ["username": "cora", "password": "c-pass"])
        let wrong = try await fixture.client.send("POST", "/api/accesstoken/login", form: ["username": "cora", "password": "main"])
        let rex = try await fixture.client.send("POST", "/api/accesstoken/login", form: ["username": "rex", "password": "r-pass"])
        let coraDetails = try await fixture.client.get("/api/user/details", token: cora.json["token"] as? String)
        let rexDetails = try await fixture.client.get("/api/user/details", token: rex.json["token"] as? String)
        let refreshed = try await fixture.client.send("POST", "/api/accesstoken/refresh",
                                                      form: ["refreshToken": cora.json["refresh-token"] as? String ?? ""])
        let afterRefresh = try await fixture.client.get("/api/user/details", token: refreshed.json["token"] as? String)
        await fixture.finish()
        #expect(cora.status == 200 && cora.json["user"] as? String == "cora")
        #expect(wrong.status == 401)
        #expect(coraDetails.json["userName"] as? String == "cora" && coraDetails.json["fullName"] as? String == "Cora")
        #expect(coraDetails.json["roles"] as? [String] == ["ROLE_SDB_MANAGER_USER"])
        #expect(rexDetails.json["roles"] as? [String] == ["ROLE_SDB_READ_ONLY_USER"])
        #expect(afterRefresh.json["userName"] as? String == "cora")
    }
}
