/// The outcome of one maximum-entropy continuation: σ on the real-frequency grid, the chosen α
/// and the α scan behind the choice.
public struct MaxEntResult: Sendable {
    /// The grid σ lives on (`omega` are its frequencies).
    public let grid: RealFrequencyGrid
    /// σ(ω_j) at the chosen α.
    public let sigma: [Double]
    /// The default model m(ω_j) that was used.
    public let defaultModel: [Double]
    /// The chosen α; `.infinity` when the default model already fits the data
    /// (`acceptedDefaultModel`).
    public let alpha: Double
    /// χ² = Σ_i ((Λ_i − Σ_j K_ij w_j σ_j)/e_i)² of `sigma`, with the full kernel.
    public let chiSquared: Double
    /// Number of imaginary times N; χ²/N ≈ 1 means the data are fitted to their errors.
    public let timeCount: Int
    /// S = Σ_j w_j (σ_j − m_j − σ_j ln(σ_j/m_j)) of `sigma`.
    public let entropy: Double
    /// Number of good measurements Σ λ_i/(α + λ_i) at the chosen α (0 for the default model).
    public let goodMeasurements: Double
    /// True when χ²(default model) ≤ N: the data carry no information beyond their errors,
    /// so MaxEnt returns the default model without scanning α.
    public let acceptedDefaultModel: Bool
    /// Kept singular values of the error-weighted kernel.
    public let singularValueCount: Int
    /// The scanned α, from large to small.
    public let alphas: [Double]
    /// χ² at each scanned α (singular-space value; excludes the discarded singular directions).
    public let chiSquaredValues: [Double]
    /// Entropy at each scanned α.
    public let entropies: [Double]
    /// Σ λ_i/(α + λ_i) at each scanned α.
    public let goodMeasurementValues: [Double]
    /// Newton iterations at each scanned α.
    public let iterations: [Int]
    /// Newton iterations of the final solve at the chosen α.
    public let finalIterations: Int

    /// ω_j.
    public var omega: [Double] { grid.omega }
    /// χ²/N.
    public var reducedChiSquared: Double { chiSquared / Double(timeCount) }
    /// All Newton iterations of this solve.
    public var totalIterations: Int { iterations.reduce(finalIterations, +) }
    /// σ at other frequencies (monotone cubic interpolation, `RealFrequencyGrid.interpolate`).
    public func sigma(at frequencies: [Double]) -> [Double] { grid.interpolate(sigma, at: frequencies) }
}
