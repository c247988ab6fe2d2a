/// Byte counts as people read them, in base 1000 as Finder shows them: `512 bytes`, `1.2 MB`,
/// `613.2 MB`, `1.0 GB`. Always one decimal from KB up, so sizes side by side read in one
/// precision (`21.0 MB` beside `20.9 MB`, never `21 MB`).
public enum SizeText {
    private static let units = ["KB", "MB", "GB", "TB", "PB", "EB"]

    /// `bytes` as text.
    public static func format(_ bytes: Int64) -> String {
        if bytes < 1000 { return bytes == 1 ? "1 byte" : "\(bytes) bytes" }
        var value = Double(bytes)
        var unit = -1
        while value >= 999.95 && unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        let tenths = Int64((value * 10).rounded())
        let text = "\(tenths / 10).\(tenths % 10)"
        return "\(text) \(units[unit])"
    }
}
