import ComplexModule
import RealModule

/// What one solver produced for one sample, in the database's representations.
public struct ImpuritySolverOutput: Sendable, Equatable {
    /// G(x_k) on the representation's grid (dimensionless).
    public var gTau: [Double]
    /// g_l = G_l/β, l < L (`ImaginaryTimeRepresentation`).
    public var legendre: [Double]
    /// G(iω_n) for the first stored frequencies ω_n = (2n+1)π/β (physical units, 1/energy);
    /// only for the target and IPT, else nil.
    public var gMatsubara: [Complex<Double>]?
    /// Σ(iω_n) on the same frequencies (energy units); with `gMatsubara`.
    public var sigmaMatsubara: [Complex<Double>]?
    /// ⟨n↑⟩.
    public var occupation: Double
    /// ⟨n↑n↓⟩ (exact for ED, Galitskii–Migdal for Hubbard-I and IPT).
    public var doubleOccupancy: Double
    /// Wall-clock seconds of the solve and the transforms (the only field that differs between runs).
    public var seconds: Double

    public init(gTau: [Double], legendre: [Double], gMatsubara: [Complex<Double>]? = nil, sigmaMatsubara: [Complex<Double>]? = nil,
                occupation: Double, doubleOccupancy: Double, seconds: Double) {
        self.gTau = gTau
        self.legendre = legendre
        self.gMatsubara = gMatsubara
        self.sigmaMatsubara = sigmaMatsubara
        self.occupation = occupation
        self.doubleOccupancy = doubleOccupancy
        self.seconds = seconds
    }

    /// The particle–hole mirror of this output (see `ImpuritySampleRecord.particleHoleMirrored`).
    /// `U` is needed for Σ.
    public func particleHoleMirrored(U: Double) -> ImpuritySolverOutput {
        ImpuritySolverOutput(
            gTau: gTau.reversed(),
            legendre: legendre.enumerated().map { l, g in l % 2 == 0 ? g : -g },
            gMatsubara: gMatsubara?.map { Complex(-$0.real, $0.imaginary) },
            sigmaMatsubara: sigmaMatsubara?.map { Complex(U - $0.real, $0.imaginary) },
            occupation: 1 - occupation, doubleOccupancy: 1 - 2 * occupation + doubleOccupancy, seconds: seconds)
    }
}

/// One database sample: its parameters and every solver's output, keyed by solver name.
public struct ImpuritySampleRecord: Sendable, Equatable {
    public var parameters: ImpuritySampleParameters
    public var outputs: [String: ImpuritySolverOutput]

    public init(parameters: ImpuritySampleParameters, outputs: [String: ImpuritySolverOutput]) {
        self.parameters = parameters
        self.outputs = outputs
    }

    /// The particle–hole augmentation of the seed, G^e(τ) = G^h(β − τ): the record of the
    /// mirrored problem (ε_i → −ε_i, μ → U − μ; `ImpuritySampleParameters.particleHoleMirrored`),
    /// obtained without solving it. Under c → c† (bath: a_i → −a_i†):
    ///
    ///     G'(τ) = G(β − τ)    → G(x_k) reversed on the symmetric grid, g_l → (−1)^l g_l,
    ///     G'(iω) = −G(iω)*,   Σ'(iω) = μ + μ' − Σ(iω)* = U − Σ(iω)*,
    ///     n' = 1 − n,         d' = 1 − 2n + d.
    ///
    /// Exact for the target; for an approximate solver it is that solver's answer to the mirrored
    /// problem only if the solver respects the symmetry (Hubbard-I, IPT and ED do, up to the
    /// local minimum a bath fit lands in).
    public func particleHoleMirrored() -> ImpuritySampleRecord {
        ImpuritySampleRecord(parameters: parameters.particleHoleMirrored(),
                             outputs: outputs.mapValues { $0.particleHoleMirrored(U: parameters.U) })
    }
}
