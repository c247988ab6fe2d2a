/// Data the expression and function tests evaluate against.
enum SampleData {
    static let text = #"""
    {
      "name": "Minutes 1921",
      "tags": ["a", "b", "c"],
      "items": [{"name": "x", "size": 10}, {"name": "y", "size": 300}],
      "obj": {"key": 1, "my key": "spaced"},
      "n": 1024,
      "half": 0.5,
      "empty": "",
      "zero": 0,
      "yes": true,
      "no": false,
      "nothing": null,
      "list": [1, 2, 3],
      "list2": [4],
      "i": 1,
      "k": "key",
      "ts": "2023-10-11T10:52:42.469",
      "asset": {"title": "Minutes", "size": 1024, "parent": {"title": "Council"}}
    }
    """#
}
