import Foundation

/// Everything that decides the contents of an impurity database: the sampling ranges, the
/// solvers, the representations and, for one shard, which part of the global index range it
/// holds. Two files whose configurations agree apart from `shard` hold the same samples under the
/// same indices, which is what resuming and merging check.
///
/// Stored as the JSON string attribute `config` on the root group of every database file (keys
/// in snake case; the shard as `"i/n"`):
///
///     {"format_version":1,"seed":7,"samples":10000,"bath_sites":4,"betas":[1,2,5,10,20,50],
///      "inputs":["hubbard-i","ipt","ed1","ed2","ed3"],"target":"ed","u_range":[1,10],
///      "w_range":[1,10],"offset_range":[-0.25,0.25],"hopping_weight_range":[0.2,1],
///      "points":51,"legendre_coefficients":40,"matsubara_stored":64,"shard":"0/1"}
///
/// See `ImpuritySampleParameters.sample(index:configuration:)` for what the ranges mean.
public struct ImpurityDatabaseConfiguration: Codable, Sendable, Equatable {
    /// The version of the file layout written by this code.
    public static let currentFormatVersion = 1

    /// One contiguous piece of the global index range 0..<samples: shard `index` of `count`
    /// holds [index·N/count, (index + 1)·N/count).
    public struct Shard: Sendable, Equatable, Codable, CustomStringConvertible {
        public var index: Int
        public var count: Int

        public init(index: Int, count: Int) {
            self.index = index
            self.count = count
        }

        /// The whole index range in one file.
        public static let whole = Shard(index: 0, count: 1)

        /// Parses `"i/n"`.
        public init?(_ text: String) {
            let parts = text.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]) else { return nil }
            self.init(index: i, count: n)
        }

        public var description: String { "\(index)/\(count)" }

        /// The global sample indices of this shard among `samples`.
        public func range(samples: Int) -> Range<Int> {
            (index * samples / count)..<((index + 1) * samples / count)
        }

        public init(from decoder: Decoder) throws {
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let shard = Shard(text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "shard '\(text)' is not 'i/n'"))
            }
            self = shard
        }

        public func encode(to encoder: Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(description)
        }
    }

    public var formatVersion: Int
    /// Seed of the run; sample k draws from `RandomGenerator(seed: sampleSeed(seed, index: k))`.
    public var seed: UInt64
    /// N, the samples of the whole database (all shards together).
    public var samples: Int
    /// Nb, the bath sites of every sample (the target's bath).
    public var bathSites: Int
    /// The inverse temperatures β drawn from (uniformly, one per sample).
    public var betas: [Double]
    /// The cheap solvers by name (`hubbard-i`, `ipt`, `ed1`…`ed6`), in storage order.
    public var inputs: [String]
    /// The exact solver (`ed`).
    public var target: String
    /// U is uniform in this range.
    public var interactionRange: ClosedRange<Double>
    /// The bandwidth W = 2D is uniform in this range.
    public var bandwidthRange: ClosedRange<Double>
    /// The common offset of the bath energies is c = D·s with s uniform in this range.
    public var offsetRange: ClosedRange<Double>
    /// Raw hopping weights w_i are uniform in this range before V_i = (D/2) w_i/‖w‖.
    public var hoppingWeightRange: ClosedRange<Double>
    /// P, the points x_k of the G(τ) grid (`ImaginaryTimeRepresentation`).
    public var points: Int
    /// L, the Legendre coefficients stored per solver.
    public var legendreCoefficients: Int
    /// Matsubara frequencies stored in `g_iw/` and `sigma_iw/`.
    public var storedFrequencies: Int
    /// Which part of the global index range this file holds.
    public var shard: Shard

    public init(seed: UInt64 = 0, samples: Int, bathSites: Int = 4, betas: [Double] = [1, 2, 5, 10, 20, 50],
                inputs: [String] = ["hubbard-i", "ipt", "ed1", "ed2", "ed3"], target: String = "ed",
                interactionRange: ClosedRange<Double> = 1...10, bandwidthRange: ClosedRange<Double> = 1...10,
                offsetRange: ClosedRange<Double> = -0.25...0.25, hoppingWeightRange: ClosedRange<Double> = 0.2...1,
                points: Int = 51, legendreCoefficients: Int = 40, storedFrequencies: Int = 64, shard: Shard = .whole) {
        formatVersion = ImpurityDatabaseConfiguration.currentFormatVersion
        self.seed = seed
        self.samples = samples
        self.bathSites = bathSites
        self.betas = betas
        self.inputs = inputs
        self.target = target
        self.interactionRange = interactionRange
        self.bandwidthRange = bandwidthRange
        self.offsetRange = offsetRange
        self.hoppingWeightRange = hoppingWeightRange
        self.points = points
        self.legendreCoefficients = legendreCoefficients
        self.storedFrequencies = storedFrequencies
        self.shard = shard
    }

    enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version", seed, samples, bathSites = "bath_sites", betas, inputs, target
        case interactionRange = "u_range", bandwidthRange = "w_range", offsetRange = "offset_range"
        case hoppingWeightRange = "hopping_weight_range", points, legendreCoefficients = "legendre_coefficients"
        case storedFrequencies = "matsubara_stored", shard
    }

    /// The target followed by the inputs: the order of the solvers in files and records.
    /// Call `validate()` first; unknown names are skipped here.
    public var solvers: [ImpurityDatabaseSolver] {
        ([target] + inputs).compactMap(ImpurityDatabaseSolver.init(name:))
    }

    /// The global sample indices this shard holds.
    public var indexRange: Range<Int> { shard.range(samples: samples) }

    /// The same configuration for another shard (or `.whole`).
    public func with(shard: Shard) -> ImpurityDatabaseConfiguration {
        var copy = self
        copy.shard = shard
        return copy
    }

    /// Checks every field; the error names the field and what it must satisfy.
    public func validate() throws(ImpurityDatabaseError) {
        func require(_ condition: Bool, _ field: String, _ value: String, _ requirement: String) throws(ImpurityDatabaseError) {
            if !condition { throw .invalidConfiguration(field: field, value: value, requirement: requirement) }
        }
        func positiveRange(_ range: ClosedRange<Double>) -> Bool { range.lowerBound.isFinite && range.upperBound.isFinite }
        try require(formatVersion == ImpurityDatabaseConfiguration.currentFormatVersion, "format_version", "\(formatVersion)",
                    "this program reads and writes version \(ImpurityDatabaseConfiguration.currentFormatVersion)")
        try require(samples >= 1, "samples", "\(samples)", "must be at least 1")
        try require((1...ImpurityDatabaseSolver.maximumFittedBathSites).contains(bathSites), "bath_sites", "\(bathSites)",
                    "must be 1…\(ImpurityDatabaseSolver.maximumFittedBathSites) (full exact diagonalisation)")
        try require(!betas.isEmpty && betas.allSatisfy { $0 > 0 && $0.isFinite }, "betas", "\(betas)",
                    "must be a non-empty list of positive numbers")
        try require(target == "ed", "target", target, "must be 'ed' (exact diagonalisation of the sample's bath)")
        for name in inputs {
            guard let solver = ImpurityDatabaseSolver(name: name), solver != .exact else {
                throw .unknownSolver(name: name)
            }
        }
        try require(Set(inputs).count == inputs.count, "inputs", inputs.joined(separator: ","), "must not repeat a solver")
        try require(positiveRange(interactionRange) && interactionRange.lowerBound >= 0, "u_range", "\(interactionRange)",
                    "must be finite with U ≥ 0")
        try require(positiveRange(bandwidthRange) && bandwidthRange.lowerBound > 0, "w_range", "\(bandwidthRange)",
                    "must be finite with W > 0")
        try require(positiveRange(offsetRange), "offset_range", "\(offsetRange)", "must be finite")
        try require(positiveRange(hoppingWeightRange) && hoppingWeightRange.lowerBound > 0, "hopping_weight_range",
                    "\(hoppingWeightRange)", "must be finite and positive")
        try require(points >= 2, "points", "\(points)", "must be at least 2")
        try require(legendreCoefficients >= 1, "legendre_coefficients", "\(legendreCoefficients)", "must be at least 1")
        try require((1...1024).contains(storedFrequencies), "matsubara_stored", "\(storedFrequencies)", "must be 1…1024")
        try require(shard.count >= 1 && shard.index >= 0 && shard.index < shard.count, "shard", "\(shard)",
                    "must be i/n with 0 ≤ i < n")
        try require(shard.count <= samples, "shard", "\(shard)", "n must not exceed the \(samples) samples")
    }

    /// The fields that differ from `other`, as (field, this value, other value), in key order;
    /// `including shard: false` ignores the shard (for merging shards of one run).
    public func differences(from other: ImpurityDatabaseConfiguration, includingShard: Bool = true) -> [(field: String, this: String, other: String)] {
        func text(_ values: [Double]) -> String { values.map { String($0) }.joined(separator: ",") }
        func range(_ r: ClosedRange<Double>) -> String { "\(r.lowerBound):\(r.upperBound)" }
        let fields: [(String, String, String)] = [
            ("format_version", "\(formatVersion)", "\(other.formatVersion)"),
            ("seed", "\(seed)", "\(other.seed)"),
            ("samples", "\(samples)", "\(other.samples)"),
            ("bath_sites", "\(bathSites)", "\(other.bathSites)"),
            ("betas", text(betas), text(other.betas)),
            ("inputs", inputs.joined(separator: ","), other.inputs.joined(separator: ",")),
            ("target", target, other.target),
            ("u_range", range(interactionRange), range(other.interactionRange)),
            ("w_range", range(bandwidthRange), range(other.bandwidthRange)),
            ("offset_range", range(offsetRange), range(other.offsetRange)),
            ("hopping_weight_range", range(hoppingWeightRange), range(other.hoppingWeightRange)),
            ("points", "\(points)", "\(other.points)"),
            ("legendre_coefficients", "\(legendreCoefficients)", "\(other.legendreCoefficients)"),
            ("matsubara_stored", "\(storedFrequencies)", "\(other.storedFrequencies)"),
            ("shard", "\(shard)", "\(other.shard)"),
        ]
        return fields.filter { $0.1 != $0.2 && (includingShard || $0.0 != "shard") }.map { (field: $0.0, this: $0.1, other: $0.2) }
    }

    /// The JSON text stored in the `config` attribute (sorted keys, so equal configurations give equal text).
    public func jsonString() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding plain numbers, strings and arrays cannot fail.
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }

    /// Parses the `config` attribute of `file`.
    public static func parse(json: String, file: String) throws(ImpurityDatabaseError) -> ImpurityDatabaseConfiguration {
        do {
            return try JSONDecoder().decode(ImpurityDatabaseConfiguration.self, from: Data(json.utf8))
        } catch {
            throw .notADatabase(file: file, reason: "its 'config' attribute is not a database configuration (\(error))")
        }
    }

    /// The seed of sample k's own generator: SplitMix64 finalisers of the run's seed and k, so
    /// a sample depends only on (seed, k), never on shards, chunks, threads or resumption.
    public static func sampleSeed(_ seed: UInt64, index: Int) -> UInt64 {
        func mix(_ value: UInt64) -> UInt64 {
            var z = value &+ 0x9E37_79B9_7F4A_7C15
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        return mix(mix(seed) ^ mix(UInt64(truncatingIfNeeded: index) &+ 0x5851_F42D_4C95_7F2D))
    }
}
