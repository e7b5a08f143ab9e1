/// Text and number formatting shared by the SVG and HTML writers.
enum Markup {
    /// Escapes `& < > " '` for use in XML/HTML text and attribute values, and drops control
    /// characters that XML 1.0 forbids (everything below U+0020 except tab, newline, return),
    /// so that any user string yields a well-formed document.
    static func escaped(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            default:
                if scalar.value >= 0x20 && scalar.value != 0xFFFE && scalar.value != 0xFFFF {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }

    /// A pixel coordinate rounded to 0.01 px, without exponent notation. Non-finite values never
    /// reach this function (callers drop them); huge values are clamped to ±1e6 px, far outside
    /// any viewport, so that clipped line segments keep their visible direction.
    static func coordinate(_ value: Double) -> String {
        precondition(value.isFinite, "coordinate must be finite, got \(value)")
        let clamped = min(max(value, -1e6), 1e6)
        let hundredths = Int((clamped * 100).rounded())
        let sign = hundredths < 0 ? "-" : ""
        let magnitude = abs(hundredths)
        let whole = magnitude / 100
        let fraction = magnitude % 100
        if fraction == 0 { return sign + String(whole) }
        if fraction % 10 == 0 { return sign + "\(whole).\(fraction / 10)" }
        return sign + "\(whole).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// 64-bit FNV-1a hash of the UTF-8 bytes, used for deterministic element identifiers.
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// Rough advance width of `text` in a sans-serif font of `fontSize` px (0.6 em per glyph),
    /// used to size margins and the legend box; SVG has no text metrics before rendering.
    static func estimatedWidth(_ text: String, fontSize: Double) -> Double {
        Double(text.count) * fontSize * 0.6
    }
}
