import ComplexModule
import Foundation
import MBImpurity
import MBIO
import Testing

/// A small database configuration that builds in a few seconds in a debug build.
func smallDatabaseConfiguration(samples: Int = 6, seed: UInt64 = 11, shard: ImpurityDatabaseConfiguration.Shard = .whole,
                                inputs: [String] = ["hubbard-i", "ipt", "ed1"]) -> ImpurityDatabaseConfiguration {
    ImpurityDatabaseConfiguration(seed: seed, samples: samples, bathSites: 3, betas: [1, 2], inputs: inputs,
                                  points: 21, legendreCoefficients: 12, storedFrequencies: 8, shard: shard)
}

/// Every dataset of two databases equal bit for bit, except the wall times (`seconds`).
func expectSameContents(_ a: ImpurityDatabase, _ b: ImpurityDatabase, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(a.configuration == b.configuration, sourceLocation: sourceLocation)
    #expect(a.indices == b.indices && a.parameters == b.parameters, sourceLocation: sourceLocation)
    #expect(Set(a.solvers.keys) == Set(b.solvers.keys), sourceLocation: sourceLocation)
    for (name, x) in a.solvers {
        guard var y = b.solvers[name] else { continue }
        y.seconds = x.seconds
        #expect(x == y, "solver \(name) differs", sourceLocation: sourceLocation)
    }
}

@Suite("Impurity database", .serialized)
struct ImpurityDatabaseTests {
    let folder: String = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mbml-impurity-db-\(getpid())-\(UUID().uuidString.prefix(8))").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    @Test("Sampling obeys the seed's constraints and depends only on (seed, index)")
    func samplingConstraints() throws {
        let configuration = ImpurityDatabaseConfiguration(seed: 3, samples: 400)
        try configuration.validate()
        var betasSeen = Set<Double>()
        for index in 0..<400 {
            let p = ImpuritySampleParameters.sample(index: index, configuration: configuration)
            let d = p.halfBandwidth
            #expect(p.index == index && p.bathSites == 4)
            #expect((1...10).contains(p.U) && (0.5...5).contains(d))
            #expect(configuration.betas.contains(p.beta))
            betasSeen.insert(p.beta)
            #expect(p.mu == p.U / 2)
            // (max ε − min ε)/(2D) = 1 and Σ V² = D²/4.
            #expect(abs((p.bathEnergies.last! - p.bathEnergies.first!) / (2 * d) - 1) < 1e-12)
            #expect(abs(p.bathHoppings.reduce(0) { $0 + $1 * $1 } - d * d / 4) < 1e-12 * d * d)
            #expect(p.bathEnergies == p.bathEnergies.sorted())
            // The common offset c = (max + min)/2 lies in D·[−0.25, 0.25]; hoppings in the weight range.
            let offset = (p.bathEnergies.last! + p.bathEnergies.first!) / 2
            #expect(abs(offset) <= 0.25 * d * (1 + 1e-12))
            let norm = p.bathHoppings.reduce(0) { $0 + $1 * $1 }.squareRoot()
            #expect(p.bathHoppings.allSatisfy { $0 / norm <= 1 && $0 > 0 })
            #expect(abs(p.u - p.U / d) < 1e-15 && abs(p.betaD - p.beta * d) < 1e-15)
            #expect(ImpuritySampleParameters(index: index, row: p.row) == p)
            #expect(ImpuritySampleParameters.sample(index: index, configuration: configuration.with(shard: .init(index: 1, count: 3))) == p)
        }
        #expect(betasSeen == Set(configuration.betas))
        let other = ImpurityDatabaseConfiguration(seed: 4, samples: 400)
        #expect(ImpuritySampleParameters.sample(index: 5, configuration: other) != ImpuritySampleParameters.sample(index: 5, configuration: configuration))
        // Narrower ranges are honoured.
        var narrow = configuration
        narrow.interactionRange = 2...3
        narrow.bandwidthRange = 4...4.5
        for index in 0..<50 {
            let p = ImpuritySampleParameters.sample(index: index, configuration: narrow)
            #expect((2...3).contains(p.U) && (2...2.25).contains(p.halfBandwidth))
        }
    }

    @Test("A sample is the same whatever the shard, chunking or thread count; merging shards gives the unsharded file")
    func shardsThreadsAndMerge() throws {
        let whole = folder + "/whole.h5"
        let summary = try ImpurityDatabaseBuilder(configuration: smallDatabaseConfiguration(), chunkSize: 4, workers: 1).build(output: whole)
        #expect(summary.samples == 6 && summary.computed == 6 && summary.complete)
        #expect(!FileManager.default.fileExists(atPath: ImpurityDatabaseBuilder.partsDirectory(for: whole)))
        let reference = try ImpurityDatabase(contentsOf: whole)
        #expect(reference.indices == Array(0..<6))

        var shards: [String] = []
        for i in 0..<2 {
            let path = folder + "/shard\(i).h5"
            let configuration = smallDatabaseConfiguration(shard: .init(index: i, count: 2))
            _ = try ImpurityDatabaseBuilder(configuration: configuration, chunkSize: 2, workers: 2).build(output: path)
            let shard = try ImpurityDatabase(contentsOf: path)
            #expect(shard.indices == Array(configuration.indexRange))
            shards.append(path)
        }
        let merged = try ImpurityDatabase.mergeShards(shards.reversed(), into: folder + "/merged.h5")
        expectSameContents(merged, reference)
        expectSameContents(try ImpurityDatabase(contentsOf: folder + "/merged.h5"), reference)

        // Refusals: a shard of another run (other seed), the same shard twice, a missing shard.
        let foreign = folder + "/foreign.h5"
        _ = try ImpurityDatabaseBuilder(configuration: smallDatabaseConfiguration(seed: 12, shard: .init(index: 1, count: 2)), chunkSize: 4)
            .build(output: foreign)
        #expect(throws: ImpurityDatabaseError.configurationMismatch(file: foreign, field: "seed", expected: "11", found: "12",
                                                                   context: "is not a shard of the same run as '\(shards[0])'")) {
            try ImpurityDatabase.mergeShards([shards[0], foreign], into: folder + "/bad.h5")
        }
        #expect(throws: ImpurityDatabaseError.overlappingSamples(index: 0, files: [shards[0], shards[0]])) {
            try ImpurityDatabase.mergeShards([shards[0], shards[0], shards[1]], into: folder + "/bad.h5")
        }
        #expect(throws: ImpurityDatabaseError.missingSamples(ranges: "3..<6", total: 6)) {
            try ImpurityDatabase.mergeShards([shards[0]], into: folder + "/bad.h5")
        }
        let error = try #require(throws: ImpurityDatabaseError.self) { try ImpurityDatabase.mergeShards([shards[0], foreign], into: folder + "/bad.h5") }
        #expect("\(error)".contains("foreign.h5") && "\(error)".contains("seed"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/bad.h5"))
    }

    @Test("An interrupted build resumes from its parts and writes the same database")
    func resumeAfterInterruption() throws {
        let configuration = smallDatabaseConfiguration(samples: 5)
        let reference = folder + "/reference.h5", resumed = folder + "/resumed.h5"
        _ = try ImpurityDatabaseBuilder(configuration: configuration, chunkSize: 2, workers: 2).build(output: reference)
        let builder = try ImpurityDatabaseBuilder(configuration: configuration, chunkSize: 2, workers: 2)
        let first = try builder.build(output: resumed, maximumNewChunks: 2)
        #expect(!first.complete && first.computed == 4 && !FileManager.default.fileExists(atPath: resumed))
        let parts = ImpurityDatabaseBuilder.partsDirectory(for: resumed)
        let kept = try ImpurityDatabase(contentsOf: parts + "/chunk-00001.h5", requireComplete: false)
        try FileManager.default.removeItem(atPath: parts + "/chunk-00000.h5")

        // A rerun with another chunk size or seed refuses the parts, naming file and field.
        #expect(throws: ImpurityDatabaseError.self) {
            try ImpurityDatabaseBuilder(configuration: configuration, chunkSize: 3).build(output: resumed)
        }
        let seedError = try #require(throws: ImpurityDatabaseError.self) {
            try ImpurityDatabaseBuilder(configuration: smallDatabaseConfiguration(samples: 5, seed: 99), chunkSize: 2).build(output: resumed)
        }
        #expect("\(seedError)".contains("chunk-00001.h5") && "\(seedError)".contains("seed is 11, expected 99"))

        let second = try builder.build(output: resumed)
        #expect(second.complete && second.resumedChunks == 1 && second.computed == 3 && second.samples == 5)
        #expect(!FileManager.default.fileExists(atPath: parts))
        let a = try ImpurityDatabase(contentsOf: reference), b = try ImpurityDatabase(contentsOf: resumed)
        expectSameContents(a, b)
        // The kept chunk was not recomputed: its wall times are the first run's.
        #expect(b.solvers["ed"]!.seconds[2...3] == kept.solvers["ed"]!.seconds[0...1])
        // Running again finds the finished file; other settings are refused.
        #expect(try builder.build(output: resumed).alreadyComplete)
        #expect(throws: ImpurityDatabaseError.self) {
            try ImpurityDatabaseBuilder(configuration: smallDatabaseConfiguration(samples: 6), chunkSize: 2).build(output: resumed)
        }
    }

    @Test("Stored target G(x) equals an independent ED; Legendre coefficients reconstruct the stored G(x)")
    func storedValuesAreExact() throws {
        let path = folder + "/exact.h5"
        var configuration = smallDatabaseConfiguration(samples: 4, inputs: ["hubbard-i", "ed2"])
        configuration.points = 51
        configuration.legendreCoefficients = 40
        _ = try ImpurityDatabaseBuilder(configuration: configuration, chunkSize: 4, workers: 2).build(output: path)
        let database = try ImpurityDatabase(contentsOf: path)
        let x = database.representation.points
        for row in 0..<database.count {
            let record = database[row]
            let p = record.parameters
            #expect(p == ImpuritySampleParameters.sample(index: row, configuration: configuration))
            // Independent evaluation: the pole sum (not the block Lehmann sum the database uses).
            let solution = try ExactDiagonalization().solve(try p.model())
            let exact = try solution.poles.imaginaryTime(x.map { min(max(p.beta * (1 + $0) / 2, 0), p.beta) })
            let target = record.outputs["ed"]!
            #expect(zip(exact, target.gTau).map { abs($0 - $1) }.max()! < 1e-12)
            #expect(abs(target.occupation - solution.occupationUp) < 1e-14 && abs(target.gTau.last! + target.occupation) < 1e-10)
            // β ≤ 2 here: 40 coefficients converge to rounding for the exact G and to the spline's
            // accuracy for the FFT path.
            for (name, output) in record.outputs {
                let reconstructed = database.representation.reconstruct(legendre: output.legendre)
                let error = zip(reconstructed, output.gTau).map { abs($0 - $1) }.max()!
                #expect(error < (name == "hubbard-i" ? 1e-7 : 1e-11), "\(name) row \(row): reconstruction error \(error)")
            }
            let g = target.gMatsubara!, sigma = target.sigmaMatsubara!
            #expect(g.count == 8 && sigma.count == 8)
            let exactG = solution.greensFunction(matsubaraCount: 8)
            #expect(zip(g, exactG).allSatisfy { ($0 - $1).length < 1e-14 })
        }
        #expect(database.gTauTensor(solver: "ed2")!.shape == [4, 51] && database.legendreTensor(solver: "ed")!.shape == [4, 40])
        #expect(database.parameterTensor.shape == [4, 12] && database.parameterColumns.last == "V_3")
    }

    @Test("The particle–hole mirror of a stored target equals ED on the mirrored bath")
    func particleHoleMirror() throws {
        let configuration = smallDatabaseConfiguration(samples: 3, inputs: ["ipt"])
        let solver = ImpuritySampleSolver(configuration: configuration)
        for index in 0..<3 {
            let record = try solver.solve(ImpuritySampleParameters.sample(index: index, configuration: configuration))
            let mirrored = record.particleHoleMirrored()
            #expect(mirrored.parameters.bathEnergies == record.parameters.bathEnergies.reversed().map { -$0 })
            #expect(mirrored.parameters.mu == record.parameters.mu)
            let direct = try solver.solve(mirrored.parameters, with: .exact)
            let image = mirrored.outputs["ed"]!
            #expect(zip(image.gTau, direct.gTau).map { abs($0 - $1) }.max()! < 1e-12)
            #expect(zip(image.legendre, direct.legendre).map { abs($0 - $1) }.max()! < 1e-12)
            #expect(zip(image.gMatsubara!, direct.gMatsubara!).map { ($0 - $1).length }.max()! < 1e-12)
            #expect(zip(image.sigmaMatsubara!, direct.sigmaMatsubara!).map { ($0 - $1).length }.max()! < 1e-10)
            #expect(abs(image.occupation - direct.occupation) < 1e-12 && abs(image.doubleOccupancy - direct.doubleOccupancy) < 1e-12)
            // G^e(τ) = G^h(β − τ) on the symmetric grid: the vector reversed.
            #expect(image.gTau == record.outputs["ed"]!.gTau.reversed())
            // The mirror is an involution.
            #expect(mirrored.parameters.particleHoleMirrored() == record.parameters)
            // IPT respects the symmetry too (to its FFT accuracy).
            let ipt = try solver.solve(mirrored.parameters, with: .ipt)
            #expect(zip(mirrored.outputs["ipt"]!.gTau, ipt.gTau).map { abs($0 - $1) }.max()! < 1e-6)
        }
    }

    @Test("Bad files: missing field, wrong shape, no configuration → errors naming the file and field")
    func badFiles() throws {
        let path = folder + "/good.h5"
        _ = try ImpurityDatabaseBuilder(configuration: smallDatabaseConfiguration(samples: 2, inputs: ["hubbard-i"]), chunkSize: 2).build(output: path)
        func damaged(_ name: String, _ change: (HDF5File) throws -> Void) throws -> String {
            let copy = folder + "/" + name
            try? FileManager.default.removeItem(atPath: copy)
            try FileManager.default.copyItem(atPath: path, toPath: copy)
            let file = try HDF5File.open(copy, mode: .readWrite)
            try change(file)
            try file.close()
            return copy
        }
        let missing = try damaged("missing.h5") { try $0.remove("legendre/hubbard-i") }
        #expect(throws: ImpurityDatabaseError.missingField(file: missing, field: "legendre/hubbard-i")) { try ImpurityDatabase(contentsOf: missing) }
        let shape = try damaged("shape.h5") { try $0.write([Double](repeating: 0, count: 2 * 20), shape: [2, 20], at: "g_tau/ed") }
        #expect(throws: ImpurityDatabaseError.wrongShape(file: shape, field: "g_tau/ed", expected: [2, 21], found: [2, 20])) {
            try ImpurityDatabase(contentsOf: shape)
        }
        let rows = try damaged("rows.h5") { try $0.write([0.5, 0.5, 0.5], at: "occupation/ed") }
        #expect(throws: ImpurityDatabaseError.wrongShape(file: rows, field: "occupation/ed", expected: [2], found: [3])) {
            try ImpurityDatabase(contentsOf: rows)
        }
        let noConfig = try damaged("noconfig.h5") { try $0.removeAttribute("config") }
        let error = try #require(throws: ImpurityDatabaseError.self) { try ImpurityDatabase(contentsOf: noConfig) }
        #expect("\(error)".contains("noconfig.h5") && "\(error)".contains("config"))
        let version = try damaged("version.h5") { file in
            try file.setAttribute("config", smallDatabaseConfiguration().jsonString().replacingOccurrences(of: "\"format_version\":1", with: "\"format_version\":9"))
        }
        #expect("\(try #require(throws: ImpurityDatabaseError.self) { try ImpurityDatabase(contentsOf: version) })".contains("format_version"))
        // Invalid settings and solver names.
        #expect(throws: ImpurityDatabaseError.unknownSolver(name: "ed9")) { try smallDatabaseConfiguration(inputs: ["ed9"]).validate() }
        #expect(throws: ImpurityDatabaseError.unknownSolver(name: "ed")) { try smallDatabaseConfiguration(inputs: ["ed"]).validate() }
        #expect(throws: ImpurityDatabaseError.self) { try smallDatabaseConfiguration(shard: .init(index: 2, count: 2)).validate() }
        #expect(ImpurityDatabaseSolver(name: "ed3") == .fittedED(bathSites: 3) && ImpurityDatabaseSolver(name: "ed03") == nil)
    }
}
