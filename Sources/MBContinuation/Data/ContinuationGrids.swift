/// The fixed grids of the study.
public enum ContinuationGrids {
    /// T = 0.1, 0.2, …, 1.0.
    public static let temperatures: [Double] = (1...10).map { Double($0) / 10 }
    /// The reduced imaginary time x = τT of the 200 points: x_k = (k + ½)/200, k = 0…199,
    /// so τ_k = x_k/T spans (0, β) symmetrically about β/2 at every temperature.
    public static let reducedTime: [Double] = (0..<200).map { (Double($0) + 0.5) / 200 }
    /// ω = 0, 0.05, …, 10 (201 points): where σ is stored, scored and predicted.
    public static let frequencies: [Double] = (0...200).map { Double($0) / 20 }
}
