/// A typical Teams ingest card (about 40 bindings, a repeat over the bitstreams) and its data,
/// shaped like the relay's model (event, asset, preservica).
enum TeamsCard {
    static let template = #"""
    {
      "type": "AdaptiveCard",
      "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
      "version": "1.4",
      "msteams": {"width": "Full"},
      "body": [
        {"type": "TextBlock", "size": "Medium", "weight": "Bolder", "wrap": true,
         "text": "${event.triggerLabel}: ${asset.title}"},
        {"type": "TextBlock", "isSubtle": true, "spacing": "None", "wrap": true,
         "text": "${formatDateTime(event.timestamp, 'dd MMM yyyy HH:mm')} UTC · ${preservica.tenant}"},
        {"type": "TextBlock", "wrap": true, "maxLines": 3, "$when": "${!empty(asset.description)}",
         "text": "${substring(asset.description, 0, 200)}"},
        {"type": "FactSet", "facts": [
          {"title": "Reference", "value": "${asset.ref}"},
          {"title": "Security tag", "value": "${toUpper(asset.securityTag)}"},
          {"title": "Folder", "value": "${coalesce(asset.parent.title, 'Root')}"},
          {"title": "Path", "value": "${asset.parent.title} (level ${count(asset.path)})"},
          {"title": "Files", "value": "${asset.bitstreamCount} (${asset.totalSizeText})"},
          {"title": "Size (bytes)", "value": "${formatNumber(asset.totalSize, 0)}"},
          {"title": "Event", "value": "${event.event} on ${event.entityType} ${event.entityRef}"},
          {"title": "Identifiers", "value": "${if(count(asset.identifiers) > 0, join(asset.identifiers, ', '), 'none')}", "$when": "${exists(asset.identifiers)}"}
        ]},
        {"type": "Container", "items": [
          {"type": "ColumnSet", "$data": "${asset.bitstreams}", "$when": "${$index < 5}", "columns": [
            {"type": "Column", "width": "auto", "items": [{"type": "TextBlock", "text": "${$index + 1}."}]},
            {"type": "Column", "width": "stretch", "items": [
              {"type": "TextBlock", "text": "${filename}", "wrap": true},
              {"type": "TextBlock", "isSubtle": true, "spacing": "None",
               "text": "${sizeText} · ${representation} g${generation} · ${if(exists(fixity.SHA256), 'SHA-256 ' + substring(fixity.SHA256, 0, 12), 'no fixity')}"}
            ]},
            {"type": "Column", "width": "auto", "items": [{"type": "TextBlock", "text": "${formatNumber(size / 1024, 1)} KB", "horizontalAlignment": "Right"}]}
          ]}
        ]},
        {"type": "TextBlock", "$when": "${asset.bitstreamCount > 5}", "text": "…and ${asset.bitstreamCount - 5} more", "isSubtle": true}
      ],
      "actions": [
        {"type": "Action.OpenUrl", "title": "Open in Preservica", "url": "${asset.url}"},
        {"type": "Action.OpenUrl", "title": "Open folder", "url": "${asset.parent.url}", "$when": "${exists(asset.parent)}"}
      ]
    }
    """#

    static let data = #"""
    {
      "event": {"trigger": "ingest", "triggerLabel": "New asset", "event": "Ingest", "entityType": "IO",
                "entityRef": "0d5e8a1c-2b3f-4c55-9a10-5d1e2f3a4b5c", "timestamp": "2023-10-11T10:52:42.469",
                "tenant": "ARCHIVE", "subscriptionId": "sub-1"},
      "asset": {
        "ref": "0d5e8a1c-2b3f-4c55-9a10-5d1e2f3a4b5c", "title": "Council minutes \"1921\" <b>draft</b>",
        "description": "Minutes of the council meeting.\nSecond line.", "securityTag": "open",
        "url": "https://archive.example/explorer/IO_0d5e8a1c", "parent": {"ref": "p1", "title": "Council", "url": "https://archive.example/explorer/SO_p1"},
        "path": [{"ref": "r", "title": "Archive"}, {"ref": "p1", "title": "Council"}],
        "bitstreams": [
          {"filename": "page-1.tif", "size": 52428800, "sizeText": "50 MB", "representation": "Preservation", "generation": 1, "fixity": {"SHA256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}},
          {"filename": "page-2.tif", "size": 1536, "sizeText": "1.5 KB", "representation": "Preservation", "generation": 1, "fixity": {}},
          {"filename": "page-3.tif", "size": 2048, "sizeText": "2 KB", "representation": "Preservation", "generation": 1, "fixity": {}},
          {"filename": "access.pdf", "size": 1024, "sizeText": "1 KB", "representation": "Access", "generation": 2, "fixity": {}},
          {"filename": "notes.txt", "size": 10, "sizeText": "10 B", "representation": "Access", "generation": 2, "fixity": {}}
        ],
        "bitstreamCount": 5, "totalSize": 52433418, "totalSizeText": "50 MB",
        "identifiers": ["code:MIN-1921", "isbn:none"]
      },
      "preservica": {"server": "archive.example", "tenant": "ARCHIVE", "version": "7.0"}
    }
    """#
}
