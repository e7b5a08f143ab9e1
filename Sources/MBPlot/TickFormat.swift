import Foundation

/// Text of tick labels. Negative numbers use the typographic minus sign U+2212, and powers of
/// ten are written with Unicode superscripts (10⁻³), which every browser font has.
enum TickFormat {
    /// Labels for multiples of a 1-2-5 `step`: fixed decimals matching the step (0, 0.02, 0.04 …),
    /// or m×10ᵉ when the step is below 10⁻⁴ or a tick reaches 10⁶ in magnitude.
    static func linearLabels(_ ticks: [Double], step: Double) -> [String] {
        let decimals = max(0, -Int(floor(log10(step) + 1e-9)))
        let largest = ticks.map(abs).max() ?? 0
        if decimals > 4 || largest >= 1e6 {
            return ticks.map(scientificLabel)
        }
        return ticks.map { tick in
            let text = String(format: "%.\(decimals)f", tick)
            return withMinusSign(Double(text) == 0 ? String(format: "%.\(decimals)f", 0.0) : text)
        }
    }

    /// Labels for the decades 10^e: plain decimals (0.01, 1, 1000) when all exponents lie in
    /// −2…3, powers 10ᵉ otherwise.
    static func decadeLabels(_ exponents: [Int]) -> [String] {
        if exponents.allSatisfy({ (-2...3).contains($0) }) {
            return exponents.map { exponent in
                exponent >= 0
                    ? "1" + String(repeating: "0", count: exponent)
                    : "0." + String(repeating: "0", count: -exponent - 1) + "1"
            }
        }
        return exponents.map { "10" + superscript($0) }
    }

    /// The shortest decimal with at most 12 significant digits, or m×10ᵉ outside 10⁻⁴…10¹².
    static func plainLabel(_ value: Double) -> String {
        let magnitude = abs(value)
        if value == 0 { return "0" }
        if magnitude < 1e-4 || magnitude >= 1e12 { return scientificLabel(value) }
        return withMinusSign(String(format: "%.12g", value))
    }

    /// `m×10ᵉ` with 1 ≤ |m| < 10 (at most six significant digits), or `10ᵉ` when m = 1.
    static func scientificLabel(_ value: Double) -> String {
        if value == 0 { return "0" }
        var exponent = Int(floor(log10(abs(value))))
        var mantissa = value / pow(10, Double(exponent))
        if abs(mantissa) >= 9.999_999_5 {
            exponent += 1
            mantissa /= 10
        }
        let power = "10" + superscript(exponent)
        let mantissaText = String(format: "%.6g", mantissa)
        switch mantissaText {
        case "1": return power
        case "-1": return "\u{2212}" + power
        default: return withMinusSign(mantissaText) + "×" + power
        }
    }

    static func superscript(_ exponent: Int) -> String {
        let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
        let body = String(String(abs(exponent)).map { digits[Int(String($0))!] })
        return exponent < 0 ? "⁻" + body : body
    }

    static func withMinusSign(_ text: String) -> String {
        text.replacingOccurrences(of: "-", with: "\u{2212}")
    }
}
