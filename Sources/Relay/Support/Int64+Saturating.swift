extension Int64 {
    /// `value` as a whole number, held at `Int64.max` or `.min` beyond them and 0 for NaN, where
    /// `Int64(value)` would trap.
    init(saturating value: Double) {
        if value.isNaN {
            self = 0
        } else if value >= Double(Int64.max) {
            // Double(Int64.max) is 2^63, one past the largest Int64.
            self = .max
        } else if value < Double(Int64.min) {
            self = .min
        } else {
            self = Int64(value)
        }
    }

    /// `self + other`, held at `Int64.max` or `.min` instead of trapping: sizes Preservica reports
    /// are summed with it, and one absurd `FileSize` must not take the pipeline down.
    func addingSaturated(_ other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? .max : .min) : sum
    }
}
