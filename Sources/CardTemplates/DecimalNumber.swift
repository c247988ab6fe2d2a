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

    /// The whole-number digits, at least "0".
    var integerDigits: [UInt8] {
        guard pointPosition > 0 else { return [0] }
        return (0..<pointPosition).map { $0 < digits.count ? digits[$0] : 0 }
    }

    /// Exactly `count` digits after the decimal point (call after rounding to `count` places).
    func fractionDigits(_ count: Int) -> [UInt8] {
        (0..<count).map { offset in
            let index = pointPosition + offset
            return index >= 0 && index < digits.count ? digits[index] : 0
        }
    }

    /// "-1234.50"-style text with `fractionDigits` places and no grouping.
    func plainText(fractionDigits count: Int) -> String {
        var text = isNegative && !isZero ? "-" : ""
        for digit in integerDigits { text.unicodeScalars.append(Unicode.Scalar(48 + digit)) }
        if count > 0 {
            text += "."
            for digit in fractionDigits(count) { text.unicodeScalars.append(Unicode.Scalar(48 + digit)) }
        }
        return text
    }
}
