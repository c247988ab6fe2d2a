import JSON

/// What Mattermost's server makes of an incoming webhook's JSON: it decodes the body into Go
/// structs (`IncomingWebhookRequestFromJSON`, mattermost/mattermost
/// `server/public/model/incoming_webhook.go`), and a value of the wrong type anywhere it decodes
/// fails the whole request with 400 `model.incoming_hook.parse_data.app_error`. Unknown keys are
/// ignored, as Go's decoder ignores them; `null` leaves a field empty.
enum MattermostFormCheck {
    private enum Shape { case string, object, array, number }

    /// `IncomingWebhookRequest`'s fields.
    private static let request: [String: Shape] = [
        "text": .string, "username": .string, "icon_url": .string, "channel": .string, "props": .object,
        "attachments": .array, "type": .string, "icon_emoji": .string, "priority": .object,
    ]

    /// `SlackAttachment`'s fields the check reads.
    private static let attachment: [String: Shape] = [
        "id": .number, "fallback": .string, "color": .string, "pretext": .string, "author_name": .string, "author_link": .string,
        "author_icon": .string, "title": .string, "title_link": .string, "text": .string, "image_url": .string,
        "thumb_url": .string, "footer": .string, "footer_icon": .string, "fields": .array, "actions": .array,
    ]

    /// The first field of the wrong type, as Go's decoder names it; nil when the body decodes.
    static func problem(_ message: JSONObject) -> String? {
        if let problem = mismatch(message, request, in: "IncomingWebhookRequest") { return problem }
        for item in message["attachments"]?.arrayValue ?? [] {
            if item == .null { continue }
            guard let object = item.objectValue else { return "cannot unmarshal \(item.typeName) into Go struct field IncomingWebhookRequest.attachments of type model.SlackAttachment" }
            if let problem = mismatch(object, attachment, in: "SlackAttachment") { return problem }
            for field in object["fields"]?.arrayValue ?? [] where field != .null {
                guard let fieldObject = field.objectValue else {
                    return "cannot unmarshal \(field.typeName) into Go struct field SlackAttachment.fields of type model.SlackAttachmentField"
                }
                if let title = fieldObject["title"], title != .null, title.stringValue == nil {
                    return "cannot unmarshal \(title.typeName) into Go struct field SlackAttachmentField.fields.title of type string"
                }
            }
        }
        return nil
    }

    private static func mismatch(_ object: JSONObject, _ shapes: [String: Shape], in type: String) -> String? {
        for (key, shape) in shapes {
            guard let value = object[key], value != .null else { continue }
            let fits = switch shape {
            case .string: value.stringValue != nil
            case .object: value.objectValue != nil
            case .array: value.arrayValue != nil
            case .number: value.numberValue != nil
            }
            if !fits { return "cannot unmarshal \(value.typeName) into Go struct field \(type).\(key)" }
        }
        return nil
    }
}
