#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Tables of the 256-layer ziggurat for the standard normal density f(x) = exp(−x²/2)
/// (Marsaglia & Tsang 2000, "The Ziggurat Method for Generating Random Variables", J. Stat.
/// Softw. 5(8)), in the 64-bit form NumPy uses: 8 bits choose the layer, 1 bit the sign and
/// 52 bits the abscissa, so the three are independent.
///
/// Layer i ≥ 1 is the box [0, xᵢ] × [f(xᵢ), f(xᵢ₋₁)] with x₂₅₅ = r and x₀ = 0; every layer
/// and the base (the box [0, r] × [0, f(r)] plus the tail x > r) has area v.
struct NormalZiggurat: Sendable {
    /// Right edge of the outermost box, r, and the common layer area v.
    static let r = 3.6541528853610088
    static let area = 0.00492867323399
    /// Acceptance thresholds (2⁵² xᵢ₋₁ / xᵢ), abscissa scales (xᵢ / 2⁵²) and f(xᵢ).
    let k: [Double], w: [Double], f: [Double]

    static let shared = NormalZiggurat()

    private init() {
        let m = 0x1.0p52
        let r = Self.r
        var k = [Double](repeating: 0, count: 256), w = k, f = k
        let q = Self.area / exp(-0.5 * r * r)  // width of the base as one rectangle of height f(r)
        k[0] = r / q * m
        k[1] = 0
        w[0] = q / m
        w[255] = r / m
        f[0] = 1
        f[255] = exp(-0.5 * r * r)
        var x = r, outer = r
        for i in stride(from: 254, through: 1, by: -1) {
            x = (-2 * log(Self.area / x + exp(-0.5 * x * x))).squareRoot()
            k[i + 1] = x / outer * m
            outer = x
            f[i] = exp(-0.5 * x * x)
            w[i] = x / m
        }
        (self.k, self.w, self.f) = (k, w, f)
    }

    /// One standard normal variate; ≈ 99% of calls use one 64-bit draw and no libm call.
    @inline(__always)
    func sample(_ generator: inout RandomGenerator) -> Double {
        while true {
            let bits = generator.next()
            let i = Int(bits & 0xff)
            let negative = (bits >> 8) & 1 == 1
            let scaled = Double(bits >> 12)
            let x = scaled * w[i]
            if scaled < k[i] { return negative ? -x : x }
            if i == 0 {
                // The tail beyond r (Marsaglia 1964): x = r + e₁/r conditioned on 2e₂ > (e₁/r)².
                while true {
                    let xx = -log1p(-generator.nextUnit()) / Self.r
                    let yy = -log1p(-generator.nextUnit())
                    if yy + yy > xx * xx { return negative ? -(Self.r + xx) : Self.r + xx }
                }
            }
            if f[i] + generator.nextUnit() * (f[i - 1] - f[i]) < exp(-0.5 * x * x) { return negative ? -x : x }
        }
    }
}
