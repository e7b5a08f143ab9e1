import Foundation
import MBIO
import MBTensor

/// One split of a dataset: Λ [N, 10, 200], labels [N, 3, 3] (rows [α, γ0, γ1]) and the true
/// σ [N, 10, M] on the dataset's frequencies, all float64.
public struct ContinuationSplit: Sendable {
    public var lambda: Tensor<Double>
    public var labels: Tensor<Double>
    public var sigma: Tensor<Double>

    public var count: Int { lambda.shape[0] }

    /// The first `n` examples.
    public func prefix(_ n: Int) -> ContinuationSplit {
        let rows = Array(0..<min(n, count))
        return ContinuationSplit(lambda: lambda.gathering(indices: rows, alongAxis: 0), labels: labels.gathering(indices: rows, alongAxis: 0),
                                 sigma: sigma.gathering(indices: rows, alongAxis: 0))
    }

    /// The example's Drude terms.
    public func components(_ index: Int) -> DrudeComponents {
        DrudeComponents(label: labels.scalars[(index * 9)..<(index * 9 + 9)])
    }
}

/// A dataset of the study as stored in HDF5:
///
///     /temperatures [10]  /reduced_time [200] (x = τT)  /frequencies [M]
///     /{train,validation,test}/{lambda [N,10,200], labels [N,3,3], sigma [N,10,M]}
///     root attributes: kernel, dataset, seed, lambda_precision, noise
public struct ContinuationDataset: Sendable {
    public static let splitNames = ["train", "validation", "test"]

    public var temperatures: [Double]
    public var reducedTime: [Double]
    public var frequencies: [Double]
    public var splits: [String: ContinuationSplit]
    public var kernel: String
    public var dataset: String
    public var seed: UInt64
    public var lambdaPrecision: Int
    public var noise: Double

    public struct Configuration: Codable, Sendable {
        public var dataset: String
        public var kernel: String
        public var train = 2000, validation = 200, test = 200
        public var lambdaPrecision = 1000
        /// Relative Gaussian noise on Λ: each value becomes Λ(1 + noise·η), η ~ N(0, 1).
        public var noise = 0.0
        public var seed: UInt64 = 0

        public init(dataset: ContinuationDatasetKind, kernel: ContinuationKernelKind) {
            self.dataset = dataset.rawValue
            self.kernel = kernel.rawValue
        }
    }

    /// Draws the three splits (train, validation, test in that order from one generator).
    public static func generate(_ configuration: Configuration) -> ContinuationDataset {
        let kind = ContinuationDatasetKind(rawValue: configuration.dataset)!
        let kernel = ContinuationKernelKind(rawValue: configuration.kernel)!
        var generator = RandomGenerator(seed: configuration.seed)
        var splits: [String: ContinuationSplit] = [:]
        let counts = [configuration.train, configuration.validation, configuration.test]
        for (name, count) in zip(splitNames, counts) {
            let examples = (0..<count).map { _ in kind.sample(&generator) }
            var split = makeSplit(examples, kernel: kernel, terms: configuration.lambdaPrecision)
            if configuration.noise > 0 {
                let eta: Tensor<Double> = generator.normal(shape: split.lambda.shape)
                split.lambda = split.lambda * (eta * configuration.noise + 1)
            }
            splits[name] = split
        }
        return ContinuationDataset(
            temperatures: ContinuationGrids.temperatures, reducedTime: ContinuationGrids.reducedTime,
            frequencies: ContinuationGrids.frequencies, splits: splits, kernel: kernel.rawValue, dataset: kind.rawValue,
            seed: configuration.seed, lambdaPrecision: configuration.lambdaPrecision, noise: configuration.noise)
    }

    /// Λ and σ of `examples` on the standard grids.
    public static func makeSplit(_ examples: [DrudeComponents], kernel: ContinuationKernelKind, terms: Int) -> ContinuationSplit {
        let temperatures = ContinuationGrids.temperatures, x = ContinuationGrids.reducedTime
        let omegas = ContinuationGrids.frequencies
        let nT = temperatures.count, nx = x.count, nw = omegas.count
        var gammas: [Double] = [], temps: [Double] = []
        gammas.reserveCapacity(examples.count * nT * 3)
        for example in examples {
            for T in temperatures {
                for k in 0..<example.count {
                    gammas.append(example.gamma(k, temperature: T))
                    temps.append(T)
                }
            }
        }
        let terms = kernel.lambda(gamma: gammas, temperature: temps, reducedTime: x, terms: terms).scalars
        var lambda = [Double](repeating: 0, count: examples.count * nT * nx)
        var sigma = [Double](repeating: 0, count: examples.count * nT * nw)
        var labels: [Double] = []
        var row = 0
        for (e, example) in examples.enumerated() {
            labels += example.label
            for (t, T) in temperatures.enumerated() {
                for k in 0..<example.count {
                    let base = (e * nT + t) * nx
                    for i in 0..<nx { lambda[base + i] += example.alpha[k] * terms[row * nx + i] }
                    row += 1
                }
                for (j, omega) in omegas.enumerated() { sigma[(e * nT + t) * nw + j] = example.sigma(omega: omega, temperature: T) }
            }
        }
        return ContinuationSplit(lambda: Tensor(shape: [examples.count, nT, nx], scalars: lambda),
                                 labels: Tensor(shape: [examples.count, 3, 3], scalars: labels),
                                 sigma: Tensor(shape: [examples.count, nT, nw], scalars: sigma))
    }

    /// Writes the HDF5 layout above, atomically (an existing file is replaced only when the
    /// whole new file is written).
    public func write(to path: String) throws {
        try HDF5File.writeAtomically(to: path) { file in
            try file.write(temperatures, at: "temperatures")
            try file.write(reducedTime, at: "reduced_time")
            try file.write(frequencies, at: "frequencies")
            for name in Self.splitNames {
                guard let split = splits[name] else { continue }
                try file.write(split.lambda, at: "\(name)/lambda")
                try file.write(split.labels, at: "\(name)/labels")
                try file.write(split.sigma, at: "\(name)/sigma")
            }
            try file.setAttribute("kernel", kernel)
            try file.setAttribute("dataset", dataset)
            try file.setAttribute("seed", Int(bitPattern: UInt(seed)))
            try file.setAttribute("lambda_precision", lambdaPrecision)
            try file.setAttribute("noise", noise)
        }
    }

    /// Reads and checks a dataset file; `splits` limits which splits are loaded.
    public static func read(from path: String, splits wanted: [String] = splitNames) throws -> ContinuationDataset {
        let file: HDF5File
        do { file = try HDF5File.open(path) } catch { throw ContinuationDataError.cannotOpen(path: path, reason: "\(error)") }
        defer { try? file.close() }
        func array(_ name: String) throws -> [Double] {
            guard file.contains(name) else { throw ContinuationDataError.missing(path: path, field: name) }
            return try file.readTensor(Double.self, at: name, rank: 1, converting: true).scalars
        }
        let temperatures = try array("temperatures"), reducedTime = try array("reduced_time"), frequencies = try array("frequencies")
        try InputValidation.checkGrids(temperatures: temperatures, reducedTime: reducedTime, source: path)
        var splits: [String: ContinuationSplit] = [:]
        for name in wanted {
            guard file.contains(name) else { continue }
            func tensor(_ field: String, _ shape: [Int?]) throws -> Tensor<Double> {
                let full = "\(name)/\(field)"
                guard file.contains(full) else { throw ContinuationDataError.missing(path: path, field: full) }
                let t = try file.readTensor(Double.self, at: full, converting: true)
                let matches = t.shape.count == shape.count && zip(t.shape, shape).allSatisfy { $1 == nil || $0 == $1 }
                guard matches else {
                    throw ContinuationDataError.wrongShape(path: path, field: full, shape: t.shape,
                                                           expected: shape.map { $0.map(String.init) ?? "N" })
                }
                if t.hasNonFinite { throw ContinuationDataError.nonFinite(path: path, field: full) }
                return t
            }
            let lambda = try tensor("lambda", [nil, temperatures.count, reducedTime.count])
            let n = lambda.shape[0]
            splits[name] = ContinuationSplit(lambda: lambda, labels: try tensor("labels", [n, 3, 3]),
                                             sigma: try tensor("sigma", [n, temperatures.count, frequencies.count]))
        }
        guard !splits.isEmpty else { throw ContinuationDataError.missing(path: path, field: wanted.joined(separator: " or ")) }
        func attribute<V: HDF5AttributeConvertible>(_ name: String, _ type: V.Type, default value: V) -> V {
            (try? file.attribute(name, as: type)) ?? value
        }
        return ContinuationDataset(
            temperatures: temperatures, reducedTime: reducedTime, frequencies: frequencies, splits: splits,
            kernel: attribute("kernel", String.self, default: "unknown"), dataset: attribute("dataset", String.self, default: "unknown"),
            seed: UInt64(bitPattern: Int64(attribute("seed", Int.self, default: 0))),
            lambdaPrecision: attribute("lambda_precision", Int.self, default: 0), noise: attribute("noise", Double.self, default: 0))
    }
}
