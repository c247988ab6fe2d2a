import Foundation
import HTTPServer
import JSON

/// Writes an ``HTTPResponse`` as the Lambda HTTP response (payload format 2.0):
/// `{"statusCode", "headers", "body", "isBase64Encoded"}`.
public enum LambdaHTTPResult {
    /// The JSON document to post to `/runtime/invocation/{id}/response`.
    public static func payload(for response: HTTPResponse) -> [UInt8] {
        var headers = JSONObject()
        var order: [String] = []
        var values: [String: [String]] = [:]
        for field in response.headers {
            let name = field.name.lowercased()
            if values[name] == nil { order.append(name) }
            values[name, default: []].append(field.value)
        }
        // The format has one value per name, so repeats are comma-joined as Lambda does on the way in.
        for name in order { headers.append(name, .string(values[name, default: []].joined(separator: ","))) }

        let text = String(validating: response.body, as: UTF8.self)
        let body: JSONValue = .string(text ?? Data(response.body).base64EncodedString())
        return JSONWriter.bytes(.object(JSONObject([
            ("statusCode", .number(Double(response.status))),
            ("headers", .object(headers)),
            ("body", body),
            ("isBase64Encoded", .bool(text == nil)),
        ])))
    }
}
