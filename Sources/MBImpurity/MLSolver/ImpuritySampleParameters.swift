import MBTensor

/// One random Anderson impurity problem of a database: U, the half bandwidth D, β, μ and a
/// discrete bath (ε_i, V_i), with its global index.
///
/// Units. The problem is scale free in D: (U, D, β, ε_i, V_i) has the same G(τ) as a function
/// of x = 2τ/β − 1 as (U/D, 1, βD, ε_i/D, V_i/D), since H/D and βH agree. The file keeps the
/// physical parameters and the dimensionless descriptors u = U/D and βD that the networks use.
///
/// Row layout in the `parameters` dataset (6 + 2Nb columns):
/// `U, D, beta, mu, u, betaD, eps_1 … eps_Nb, V_1 … V_Nb`.
public struct ImpuritySampleParameters: Sendable, Equatable {
    /// The global sample index k.
    public var index: Int
    public var U: Double
    /// The half bandwidth D (the bath energies span 2D).
    public var halfBandwidth: Double
    public var beta: Double
    public var mu: Double
    /// ε_i, ascending.
    public var bathEnergies: [Double]
    /// V_i > 0, in the order of `bathEnergies`.
    public var bathHoppings: [Double]

    public init(index: Int, U: Double, halfBandwidth: Double, beta: Double, mu: Double, bathEnergies: [Double], bathHoppings: [Double]) {
        precondition(bathEnergies.count == bathHoppings.count,
                     "ImpuritySampleParameters: \(bathEnergies.count) bath energies, \(bathHoppings.count) hoppings")
        self.index = index
        self.U = U
        self.halfBandwidth = halfBandwidth
        self.beta = beta
        self.mu = mu
        self.bathEnergies = bathEnergies
        self.bathHoppings = bathHoppings
    }

    /// u = U/D.
    public var u: Double { U / halfBandwidth }
    /// βD.
    public var betaD: Double { beta * halfBandwidth }
    public var bathSites: Int { bathEnergies.count }

    /// The column names of the `parameters` dataset for Nb bath sites.
    public static func columnNames(bathSites: Int) -> [String] {
        ["U", "D", "beta", "mu", "u", "betaD"] + (0..<bathSites).map { "eps_\($0 + 1)" } + (0..<bathSites).map { "V_\($0 + 1)" }
    }

    /// The row of the `parameters` dataset.
    public var row: [Double] { [U, halfBandwidth, beta, mu, u, betaD] + bathEnergies + bathHoppings }

    /// Reads a row back (the derived u and βD columns are recomputed, not read).
    public init(index: Int, row: [Double]) {
        precondition(row.count >= 6 && (row.count - 6) % 2 == 0, "a parameter row has 6 + 2Nb values, got \(row.count)")
        let nb = (row.count - 6) / 2
        self.init(index: index, U: row[0], halfBandwidth: row[1], beta: row[2], mu: row[3],
                  bathEnergies: Array(row[6..<(6 + nb)]), bathHoppings: Array(row[(6 + nb)...]))
    }

    /// The discrete-bath model the target solves.
    public func model() throws(AndersonImpurityModelError) -> AndersonImpurityModel {
        try AndersonImpurityModel(U: U, mu: mu, beta: beta, bathEnergies: bathEnergies, bathHoppings: bathHoppings)
    }

    /// The particle–hole mirror: c → c†, a_i → −a_i† maps H(ε_i, μ) onto H(−ε_i, U − μ), so the
    /// bath energies change sign (listed ascending again, hoppings permuted with them) and μ
    /// becomes U − μ (= μ at μ = U/2). Its G is G'(τ) = G(β − τ) (`ImpuritySampleRecord.particleHoleMirrored`).
    public func particleHoleMirrored() -> ImpuritySampleParameters {
        ImpuritySampleParameters(index: index, U: U, halfBandwidth: halfBandwidth, beta: beta, mu: U - mu,
                                 bathEnergies: bathEnergies.reversed().map { -$0 }, bathHoppings: bathHoppings.reversed())
    }

    /// A short description for error messages.
    public var summary: String {
        "U = \(U), D = \(halfBandwidth), beta = \(beta), mu = \(mu), eps = \(bathEnergies), V = \(bathHoppings)"
    }
}

extension ImpuritySampleParameters {
    /// Draws sample `index` of a database from its own generator
    /// `RandomGenerator(seed: ImpurityDatabaseConfiguration.sampleSeed(seed, index: index))`, in this order:
    ///
    /// 1. U uniform in `interactionRange` (default [1, 10]);
    /// 2. the bandwidth W = 2D uniform in `bandwidthRange` (default [1, 10]);
    /// 3. β uniformly from the list `betas`;
    /// 4. an offset s uniform in `offsetRange` (default [−0.25, 0.25]);
    /// 5. r_i uniform in [−1, 1], i = 1…Nb, stretched to span exactly 2D (the seed's constraint
    ///    (max ε − min ε)/(2D) = 1) and shifted by the common offset c = D·s:
    ///    ε_i = D·(2(r_i − min r)/(max r − min r) − 1) + c. The offset makes the baths asymmetric,
    ///    so the problems lie away from half filling (with Nb = 1 the single level is ε = c);
    /// 6. w_i uniform in `hoppingWeightRange` (default [0.2, 1]) and V_i = (D/2) w_i/‖w‖, so that
    ///    Σ V_i² = D²/4 (the seed's constraint, the semicircle's total hybridisation);
    /// 7. μ = U/2 (the Hartree-symmetric point; with the asymmetric bath, not half filling).
    ///
    /// The sites are then listed by ascending ε (the Hamiltonian does not depend on their order).
    public static func sample(index: Int, configuration: ImpurityDatabaseConfiguration) -> ImpuritySampleParameters {
        var generator = RandomGenerator(seed: ImpurityDatabaseConfiguration.sampleSeed(configuration.seed, index: index))
        func uniform(_ range: ClosedRange<Double>) -> Double {
            range.lowerBound + (range.upperBound - range.lowerBound) * generator.nextUnit()
        }
        let U = uniform(configuration.interactionRange)
        let D = uniform(configuration.bandwidthRange) / 2
        let betas = configuration.betas
        let beta = betas[min(Int(generator.nextUnit() * Double(betas.count)), betas.count - 1)]
        let offset = D * uniform(configuration.offsetRange)
        let nb = configuration.bathSites
        let r = (0..<nb).map { _ in uniform(-1...1) }
        let (low, high) = (r.min() ?? 0, r.max() ?? 0)
        let energies = r.map { high > low ? D * (2 * ($0 - low) / (high - low) - 1) + offset : offset }
        let w = (0..<nb).map { _ in uniform(configuration.hoppingWeightRange) }
        let norm = w.reduce(0) { $0 + $1 * $1 }.squareRoot()
        let hoppings = w.map { D / 2 * $0 / norm }
        let order = energies.indices.sorted { energies[$0] < energies[$1] }
        return ImpuritySampleParameters(index: index, U: U, halfBandwidth: D, beta: beta, mu: U / 2,
                                        bathEnergies: order.map { energies[$0] }, bathHoppings: order.map { hoppings[$0] })
    }
}
