/// "Did you mean" for a mistyped command or option: the closest known word within a small edit
/// distance, so a typo is named and a wild guess is not.
enum Suggestion {
    /// ` (did you mean x?)`, or empty when nothing is close.
    static func hint(for word: String, among candidates: [String]) -> String {
        closest(to: word, among: candidates).map { " (did you mean \($0)?)" } ?? ""
    }

    static func closest(to word: String, among candidates: [String]) -> String? {
        // Leading dashes are the same in every option and would make any two look alike.
        let bare = { (text: String) in Array(text.drop { $0 == "-" }) }
        let typed = bare(word)
        // A prefix (`--temp` for `--template`) is a clear enough intent.
        if typed.count >= 3, let extended = candidates.first(where: { bare($0).starts(with: typed) }) { return extended }
        let scored = candidates.map { ($0, distance(typed, bare($0))) }
        guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
        return best.1 <= max(1, min(3, typed.count / 3)) ? best.0 : nil
    }

    /// Edit distance counting a swap of two neighbours as one edit (`sreve` is one from `serve`).
    private static func distance(_ a: [Character], _ b: [Character]) -> Int {
        guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
        var d = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[a.count][b.count]
    }
}
