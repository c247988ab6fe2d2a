import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import PreservicaSimulator

/// What a client of the simulator sees: status, headers and body of one exchange.
struct Exchange: @unchecked Sendable {
    var status: Int
    var headers: [String: String]
    var body: Data
    var text: String { String(decoding: body, as: UTF8.self) }
    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
    var jsonArray: [[String: Any]] { (try? JSONSerialization.jsonObject(with: body)) as? [[String: Any]] ?? [] }
    func header(_ name: String) -> String? {
        headers.first { $0.key.lowercased() == name.lowercased() }?.value
    }
}

/// A plain URLSession client for the tests (the simulator must not be tested with the relay's own client).
final class SimulatorClient: Sendable {
    struct Failure: Error, CustomStringConvertible { var description: String }

    let base: String
    private let session: URLSession

    init(base: String) {
        self.base = base
        let configuration = URLSessionConfiguration.ephemeral
        // As long as `eventually` waits: inside the parallel suite a first answer has taken over 10 s.
        configuration.timeoutIntervalForRequest = 30
        session = URLSession(configuration: configuration)
    }

    func send(_ method: String, _ pathOrURL: String, token: String? = nil, form: [String: String]? = nil,
              json: String? = nil, headers: [String: String] = [:]) async throws -> Exchange {
        let address = pathOrURL.hasPrefix("http") ? pathOrURL : base + pathOrURL
        guard let url = URL(string: address) else { throw Failure(description: "bad URL \(address)") }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.timeoutInterval = 30
        if let token { request.setValue(token, forHTTPHeaderField: "Preservica-Access-Token") }
        if let form {
            request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-._~")
            request.httpBody = Data(form.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed)!)" }
                .joined(separator: "&").utf8)
        } else if let json {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(json.utf8)
        }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await session.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw Failure(description: "not HTTP") }
        var fields: [String: String] = [:]
        for (key, value) in http.allHeaderFields { fields["\(key)"] = "\(value)" }
        return Exchange(status: http.statusCode, headers: fields, body: data)
    }

    func get(_ pathOrURL: String, token: String?) async throws -> Exchange {
        try await send("GET", pathOrURL, token: token)
    }

    /// Logs in and returns the access token.
    func login(_ simulator: PreservicaSimulator) async throws -> String {
        let configuration = simulator.configuration
        let reply = try await send("POST", "/api/accesstoken/login",
                                   form: ["username": configuration.username, "password": configuration.password, "tenant": configuration.tenant])
        guard reply.status == 200, let token = reply.json["token"] as? String else {
            throw Failure(description: "login failed with \(reply.status)")
        }
        return token
    }
}

/// A started simulator with a client, stopped by ``finish()``.
struct SimulatorFixture {
    let simulator: PreservicaSimulator
    let client: SimulatorClient

    init(_ configuration: SimulatorConfiguration = SimulatorConfiguration()) throws {
        simulator = PreservicaSimulator(configuration: configuration)
        try simulator.start()
        client = SimulatorClient(base: simulator.baseURL)
    }

    func finish() async { await simulator.stop() }
}
