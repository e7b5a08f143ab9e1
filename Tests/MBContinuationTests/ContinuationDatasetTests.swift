import Foundation
import MBIO
import MBTensor
import Testing
@testable import MBContinuation

func temporaryPath(_ name: String) -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mbml-continuation-tests-\(getpid())")
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory.appendingPathComponent(name).path
}

func smallDataset(_ kind: ContinuationDatasetKind = .elementMixed, kernel: ContinuationKernelKind = .physical,
                  train: Int = 40, seed: UInt64 = 3, noise: Double = 0) -> ContinuationDataset {
    var configuration = ContinuationDataset.Configuration(dataset: kind, kernel: kernel)
    configuration.train = train
    configuration.validation = 10
    configuration.test = 10
    configuration.seed = seed
    configuration.noise = noise
    return ContinuationDataset.generate(configuration)
}

@Suite("Continuation datasets")
struct ContinuationDatasetTests {
    @Test("width distributions satisfy their hard/easy criterion γ(T) < T at the stated temperatures")
    func distributions() {
        var generator = RandomGenerator(seed: 11)
        for distribution in GammaDistribution.allCases {
            for _ in 0..<2000 {
                let (g0, g1) = distribution.sample(&generator)
                let widths = ContinuationGrids.temperatures.map { g0 + g1 * $0 * $0 }
                #expect(widths.allSatisfy { $0 > 0 && $0 < 10 })
                let hard = zip(widths, ContinuationGrids.temperatures).map { $0 < $1 }
                switch distribution {
                case .easyAtAllT: #expect(!hard.contains(true))
                case .hardAtAllT: #expect(!hard.contains(false))
                case .hardAtLowT: #expect(hard.first! && !hard.last!)
                case .hardAtHighT: #expect(!hard.first! && hard.last!)
                }
            }
        }
    }

    @Test("examples: α on the simplex, element-mixed terms from their distributions, Λ = Σ α Λ_k, σ from the labels")
    func examples() {
        let data = smallDataset()
        let split = data.splits["train"]!
        #expect(split.lambda.shape == [40, 10, 200] && split.labels.shape == [40, 3, 3] && split.sigma.shape == [40, 10, 201])
        let lambda = split.lambda.scalars, sigma = split.sigma.scalars
        for e in 0..<split.count {
            let c = split.components(e)
            #expect(abs(c.alpha.reduce(0, +) - 1) < 1e-12 && c.alpha.allSatisfy { $0 >= 0 })
            #expect(GammaDistribution.easyAtAllT.gamma0Range.contains(c.gamma0[0]))
            #expect(GammaDistribution.hardAtHighT.gamma0Range.contains(c.gamma0[1]))
            #expect(GammaDistribution.hardAtLowT.gamma1Range.contains(c.gamma1[2]))
            let T = 0.3, t = 2
            let terms = PhysicalDrudeKernel.lambda(gamma: (0..<3).map { c.gamma($0, temperature: T) }, temperature: [T, T, T],
                                                   reducedTime: ContinuationGrids.reducedTime).scalars
            for i in [0, 77, 199] {
                let expected = (0..<3).reduce(0) { $0 + c.alpha[$1] * terms[$1 * 200 + i] }
                #expect(abs(lambda[(e * 10 + t) * 200 + i] - expected) < 1e-12 * expected)
            }
            #expect(abs(sigma[(e * 10 + t) * 201 + 40] - c.sigma(omega: 2, temperature: T)) < 1e-14)
        }
    }

    @Test("generation repeats bit for bit from its seed and differs between seeds")
    func reproducible() {
        #expect(smallDataset(seed: 5).splits["test"]!.lambda.scalars == smallDataset(seed: 5).splits["test"]!.lambda.scalars)
        #expect(smallDataset(seed: 5).splits["test"]!.labels.scalars != smallDataset(seed: 6).splits["test"]!.labels.scalars)
    }

    @Test("relative noise has the requested standard deviation")
    func noise() {
        let clean = smallDataset(train: 20, noise: 0).splits["train"]!.lambda.scalars
        let noisy = smallDataset(train: 20, noise: 0.01).splits["train"]!.lambda.scalars
        let relative = zip(noisy, clean).map { ($0 - $1) / $1 }
        let std = (relative.map { $0 * $0 }.reduce(0, +) / Double(relative.count)).squareRoot()
        // 40 000 draws: the sample std is within 2 % of 0.01 with probability ≫ 1 − 1e-6.
        #expect(abs(std - 0.01) < 0.0002, "std \(std)")
    }

    @Test("HDF5 round trip keeps every dataset and attribute")
    func roundTrip() throws {
        let data = smallDataset(kernel: .paper)
        let path = temporaryPath("roundtrip.h5")
        try data.write(to: path)
        let back = try ContinuationDataset.read(from: path)
        #expect(back.kernel == "paper" && back.dataset == "element-mixed" && back.seed == 3 && back.lambdaPrecision == 1000)
        #expect(back.temperatures == data.temperatures && back.reducedTime == data.reducedTime && back.frequencies == data.frequencies)
        for name in ContinuationDataset.splitNames {
            #expect(back.splits[name]!.lambda.scalars == data.splits[name]!.lambda.scalars)
            #expect(back.splits[name]!.labels.scalars == data.splits[name]!.labels.scalars)
            #expect(back.splits[name]!.sigma.scalars == data.splits[name]!.sigma.scalars)
        }
    }

    @Test("bad files: missing field, wrong shape, NaN, non-monotonic τ grid each give a named error")
    func badFiles() throws {
        let data = smallDataset(train: 5)
        func write(_ name: String, _ edit: (HDF5File) throws -> Void) throws -> String {
            let path = temporaryPath(name)
            try data.write(to: path)
            let file = try HDF5File.open(path, mode: .readWrite)
            try edit(file)
            try file.close()
            return path
        }
        let missing = try write("missing.h5") { try $0.remove("train/labels") }
        #expect(throws: ContinuationDataError.missing(path: missing, field: "train/labels")) { try ContinuationDataset.read(from: missing) }
        let shape = try write("shape.h5") { try $0.write(Tensor<Double>(zeros: [5, 9, 200]), at: "train/lambda") }
        #expect(throws: ContinuationDataError.wrongShape(path: shape, field: "train/lambda", shape: [5, 9, 200], expected: ["N", "10", "200"])) {
            try ContinuationDataset.read(from: shape)
        }
        let nan = try write("nan.h5") { file in
            var lambda = data.splits["validation"]!.lambda
            lambda.withUnsafeMutableBufferPointer { $0[17] = .nan }
            try file.write(lambda, at: "validation/lambda")
        }
        #expect(throws: ContinuationDataError.nonFinite(path: nan, field: "validation/lambda")) { try ContinuationDataset.read(from: nan) }
        let grid = try write("grid.h5") { file in
            var x = ContinuationGrids.reducedTime
            x.swapAt(3, 4)
            try file.write(x, at: "reduced_time")
        }
        #expect(throws: ContinuationDataError.self) { try ContinuationDataset.read(from: grid) }
        do { _ = try ContinuationDataset.read(from: grid) } catch { #expect("\(error)".contains("reduced_time is not increasing: x[3]")) }
    }
}
