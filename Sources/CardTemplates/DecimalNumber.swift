/// A finite Double as the decimal digits of its shortest round-trip form, so rounding works on
/// the number an author sees in the data (1.005 rounds to 1.01) and never overflows.
struct DecimalNumber: Sendable {
    /// Whether the value is below zero.
    var isNegative: Bool
    /// Significant digits (0...9) without leading zeros; empty for zero.
    var digits: [UInt8]
    /// The value is 0.d₁d₂d₃… × 10^pointPosition.
    var pointPosition: Int

    init(_ number: Double) {
        isNegative = number < 0
        digits = []
        pointPosition = 0
        guard number != 0, number.isFinite else { return }
        if number.rounded() == number, number.magnitude < 1e15 {
            // Whole numbers (sizes, counts) skip the text round trip.
            var whole = UInt64(number.magnitude)
            while whole > 0 {
                digits.append(UInt8(whole % 10))
                whole /= 10
            }
            digits.reverse()
            pointPosition = digits.count
            while digits.last == 0 { digits.removeLast() }
            return
        }
        // Swift prints the shortest digits that read back to the same Double, e.g. "1.005", "1e-05".
        let text = "\(number.magnitude)"
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...]) ?? 0
        }
        var integerDigits = 0
        var seenPoint = false
        for byte in mantissa.utf8 {
            if byte == UInt8(ascii: ".") { seenPoint = true; continue }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { continue }
            if !seenPoint { integerDigits += 1 }
            digits.append(byte - UInt8(ascii: "0"))
        }
        pointPosition = integerDigits + exponent
        while digits.first == 0 {
            digits.removeFirst()
            pointPosition -= 1
        }
        while digits.last == 0 { digits.removeLast() }
    }

    private static let powersOfTen: [Double] = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9]

    /// `value` rounded half away from zero to `places` decimals, as its decimal text would round.
    ///
    /// The common case (a scaled value below 10^9, not within 10^-6 of a tie) rounds the binary
    /// value directly: its error is far below that margin, so the result is the same, and it
    /// skips printing the Double.
    static func rounding(_ value: Double, places: Int) -> DecimalNumber {
        if places < powersOfTen.count {
            let scaled = value.magnitude * powersOfTen[places]
            if scaled < 1e9, abs(scaled - scaled.rounded(.down) - 0.5) > 1e-6 {
                var result = DecimalNumber(scaled.rounded(.toNearestOrAwayFromZero))
                result.pointPosition -= places
                result.isNegative = value < 0
                return result
            }
        }
        return DecimalNumber(value).rounded(fractionDigits: places)
    }

    /// Rounded half away from zero to `fractionDigits` places.
    func rounded(fractionDigits: Int) -> DecimalNumber {
        var result = self
        let kept = pointPosition + fractionDigits
        guard kept < digits.count else { return result }
        let roundsUp = kept >= 0 && digits[kept] >= 5
        if kept < 0 {
            result.digits = []
            return result
        }
        result.digits = Array(digits[..<kept])
        if roundsUp {
            var position = kept - 1
            while position >= 0 {
                if result.digits[position] == 9 {
                    result.digits[position] = 0
                    position -= 1
                } else {
                    result.digits[position] += 1
                    break
                }
            }
            if position < 0 {
                result.digits.insert(1, at: 0)
                result.pointPosition += 1
            }
        }
        while result.digits.last == 0 { result.digits.removeLast() }
        return result
    }

    /// Whether every digit is zero (so no minus sign is printed).
    var isZero: Bool { digits.isEmpty }

    /// How many digits the whole part has when printed (at least one: "0").
    var integerDigitCount: Int { max(pointPosition, 1) }

    /// The digit `offset` places after the first printed whole digit (so the first fraction digit
    /// is at `integerDigitCount`); 0 beyond the significant digits.
    func printedDigit(_ offset: Int) -> UInt8 {
        let index = offset - (integerDigitCount - pointPosition)
        return index >= 0 && index < digits.count ? digits[index] : 0
    }

    /// The number as UTF-8 with `places` decimals (call after rounding to `places`), the whole
    /// part grouped in thousands with `group` (empty for none) and `decimal` as the point.
    func utf8(places: Int, group: [UInt8] = [], decimal: [UInt8] = [UInt8(ascii: ".")]) -> [UInt8] {
        let whole = integerDigitCount
        var bytes: [UInt8] = []
        bytes.reserveCapacity(whole + whole / 3 * group.count + places + 2)
        if isNegative && !isZero { bytes.append(UInt8(ascii: "-")) }
        for offset in 0..<whole {
            if offset > 0, !group.isEmpty, (whole - offset) % 3 == 0 { bytes.append(contentsOf: group) }
            bytes.append(UInt8(ascii: "0") + printedDigit(offset))
        }
        if places > 0 {
            bytes.append(contentsOf: decimal)
            for offset in whole..<(whole + places) { bytes.append(UInt8(ascii: "0") + printedDigit(offset)) }
        }
        return bytes
    }

    /// "-1234.50"-style text with `places` decimals and no grouping.
    func plainText(places: Int) -> String {
        String(decoding: utf8(places: places), as: UTF8.self)
    }
}
