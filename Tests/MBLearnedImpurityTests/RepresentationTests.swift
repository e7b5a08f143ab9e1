import Foundation
import MBImpurity
import MBLearnedImpurity
import MBTensor
import Testing

@Suite("Learned solver: representations, transforms, training set")
struct RepresentationTests {
    @Test("T0, T1, T2 invert exactly on G-like values and clamp outside (−1, 1)")
    func transformsInvert() {
        let values = stride(from: -1.0, through: 0.5, by: 0.01).map { $0 } + [-1e-12, 0, 1e-9]
        for transform in GreensFunctionTransform.allCases {
            let back = transform.inverse(transform.forward(values))
            let error = zip(back, values).map { abs($0 - $1) }.max()!
            #expect(error < 1e-14, "\(transform): round trip error \(error)")
        }
        #expect(GreensFunctionTransform.tanh.forward([-0.5]) == [Foundation.tanh(-0.5)])
        #expect(GreensFunctionTransform.negativeTanh.forward([-0.5]) == [-Foundation.tanh(-0.5)])
        // Outside (−1, 1) the inverse is clamped to a large finite value of the right sign.
        let clamped = GreensFunctionTransform.tanh.inverse([1.5, -3])
        #expect(clamped.allSatisfy(\.isFinite) && clamped[0] > 10 && clamped[1] < -10)
        let tensor = Tensor<Double>(shape: [2, 2], scalars: [-0.9, -0.1, 0, 0.3])
        #expect(GreensFunctionTransform.negativeTanh.forward(tensor).scalars == GreensFunctionTransform.negativeTanh.forward(tensor.scalars))
    }

    @Test("Features stack T(values) of the inputs in order, then u and log βD; targets are T(G_ed) or Σ³/D")
    func featureLayout() {
        let database = Fixtures.database
        let record = database[3]
        let tau = LearnedSolverSpecification(inputs: ["hubbard-i", "ipt"], transform: .tanh).with(configuration: database.configuration)
        let row = tau.features(outputs: record.outputs, u: record.parameters.u, betaD: record.parameters.betaD)
        let p = database.configuration.points
        #expect(row.count == 2 * p + 2 && tau.inputWidth == row.count)
        #expect(Array(row[0..<p]) == GreensFunctionTransform.tanh.forward(record.outputs["hubbard-i"]!.gTau))
        #expect(Array(row[p..<(2 * p)]) == GreensFunctionTransform.tanh.forward(record.outputs["ipt"]!.gTau))
        #expect(row[2 * p] == record.parameters.U / record.parameters.halfBandwidth)
        #expect(abs(row[2 * p + 1] - log(record.parameters.beta * record.parameters.halfBandwidth)) < 1e-15)
        #expect(tau.target(of: record) == GreensFunctionTransform.tanh.forward(record.outputs["ed"]!.gTau))

        let legendre = LearnedSolverSpecification(inputs: ["ipt"], representation: .legendre).with(configuration: database.configuration)
        #expect(legendre.valueWidth == database.configuration.legendreCoefficients)
        #expect(Array(legendre.features(outputs: record.outputs, u: 1, betaD: 1).prefix(legendre.valueWidth)) == record.outputs["ipt"]!.legendre)
        #expect(legendre.representation.greensFunction(record.outputs["ed"]!.legendre, grid: database.representation)
                == database.representation.reconstruct(legendre: record.outputs["ed"]!.legendre))

        let sigma = LearnedSolverSpecification(inputs: ["ipt"], variant: .sigma).with(configuration: database.configuration)
        let target = sigma.target(of: record)
        let f = database.configuration.storedFrequencies
        let exact = record.outputs["ed"]!.sigmaMatsubara!, ipt = record.outputs["ipt"]!.sigmaMatsubara!
        #expect(target.count == 2 * f)
        let d = record.parameters.halfBandwidth
        let g = record.outputs["ipt"]!.gMatsubara![1]
        let weight = (g.real * g.real + g.imaginary * g.imaginary) * d * d
        #expect(abs(target[1] - weight * (exact[1].real - ipt[1].real) / d) < 1e-14)
        #expect(abs(target[f + 1] - weight * (exact[1].imaginary - ipt[1].imaginary) / d) < 1e-14)
        // And back: the weighted target gives Σ³ again, times w²/(w² + ε²) (the regularised inverse).
        let problem = LearnedSolverProblem(record: record, frequencies: f)
        let back = sigma.selfEnergyCorrection(output: target, problem: problem)
        let floor = SigmaCorrection.weightFloor
        #expect(abs(back[1].imaginary - (exact[1].imaginary - ipt[1].imaginary) * weight * weight / (weight * weight + floor * floor))
                < 1e-12 * max(1, abs(exact[1].imaginary)))
    }

    @Test("The split is a seeded partition; augmentation adds each training sample's particle–hole mirror, never to validation")
    func augmentation() {
        let database = Fixtures.database
        let s = LearnedSolverSpecification(inputs: ["ipt", "hubbard-i"]).with(configuration: database.configuration)
        let samples = LearnedSolverSamples(database: database, specification: s, validationFraction: 0.25, seed: 9, augment: true)
        let n = database.count
        #expect(Set(samples.trainingRows).isDisjoint(with: samples.validationRows))
        #expect(Set(samples.trainingRows + samples.validationRows) == Set(0..<n))
        #expect(samples.validationRows.count == n / 4)
        #expect(LearnedSolverSamples.split(count: n, validationFraction: 0.25, seed: 9).validation == samples.validationRows)
        #expect(LearnedSolverSamples.split(count: n, validationFraction: 0.25, seed: 10).validation != samples.validationRows)
        let t = samples.trainingRows.count
        #expect(samples.trainingFeatures.shape == [2 * t, s.inputWidth])
        #expect(samples.validationFeatures.shape == [samples.validationRows.count, s.inputWidth])
        let width = s.inputWidth, p = s.points
        let x = samples.trainingFeatures.scalars, y = samples.trainingTargets.scalars
        for (i, row) in samples.trainingRows.enumerated().prefix(5) {
            let record = database[row]
            let original = Array(x[(i * width)..<((i + 1) * width)])
            let mirror = Array(x[((t + i) * width)..<((t + i + 1) * width)])
            // G(x) → G(−x): the stored vectors reversed, for every input and the target; descriptors unchanged.
            #expect(Array(mirror[0..<p]) == Array(original[0..<p].reversed()))
            #expect(Array(mirror[p..<(2 * p)]) == Array(original[p..<(2 * p)].reversed()))
            #expect(Array(mirror[(2 * p)...]) == Array(original[(2 * p)...]))
            #expect(Array(y[((t + i) * p)..<((t + i + 1) * p)]) == record.outputs["ed"]!.gTau.reversed())
            // The mirrored parameters are those of the mirrored problem (ε → −ε).
            #expect(samples.trainingParameters[t + i].bathEnergies == record.parameters.bathEnergies.reversed().map { -$0 })
        }
        let plain = LearnedSolverSamples(database: database, specification: s, validationFraction: 0.25, seed: 9, augment: false)
        #expect(plain.trainingFeatures.shape[0] == t)
        #expect(plain.validationFeatures.scalars == samples.validationFeatures.scalars)
    }

    @Test("With a held-out database every row trains and every held-out row validates, unmirrored")
    func heldOutDatabase() {
        let database = Fixtures.database
        let s = LearnedSolverSpecification(inputs: ["ipt"]).with(configuration: database.configuration)
        let held = ImpurityDatabase(configuration: database.configuration, records: (60..<72).map { database[$0] })
        let training = ImpurityDatabase(configuration: database.configuration, records: (0..<60).map { database[$0] })
        let samples = LearnedSolverSamples(database: training, validationDatabase: held, specification: s, validationFraction: 0.25,
                                           seed: 9, augment: true)
        #expect(samples.trainingRows == Array(0..<60) && samples.validationRows == Array(0..<12))
        #expect(samples.trainingFeatures.shape[0] == 120)
        let width = s.inputWidth
        for j in [0, 11] {
            #expect(Array(samples.validationFeatures.scalars[(j * width)..<((j + 1) * width)]) == s.features(outputs: held[j].outputs,
                    u: held[j].parameters.u, betaD: held[j].parameters.betaD))
        }
        // Its grid must be the training database's.
        var other = database.configuration
        other.points = 31
        let mismatched = ImpurityDatabase(configuration: other, records: [])
        #expect(throws: LearnedSolverError.invalidSetting(field: "validation-data 'held.h5' points", value: "31",
                                                          requirement: "must equal the training database's 25")) {
            try LearnedSolverTraining.checkValidationDatabase(mismatched, path: "held.h5", against: training)
        }
        // An empty one is refused instead of validating nothing.
        #expect(throws: LearnedSolverError.invalidSetting(field: "validation-data 'empty.h5'", value: "0 samples",
                                                          requirement: "needs at least 1 sample")) {
            try LearnedSolverTraining.checkValidationDatabase(ImpurityDatabase(configuration: database.configuration, records: []),
                                                              path: "empty.h5", against: training)
        }
    }

    @Test("The mirror used for augmentation is ED's answer to the mirrored problem (and IPT's)")
    func mirrorIsTheMirroredProblemsSolution() throws {
        let database = Fixtures.database
        let solver = ImpuritySampleSolver(configuration: database.configuration)
        let record = database[5]
        let mirroredRecord = record.particleHoleMirrored()
        for name in ["ed", "ipt"] {
            let direct = try solver.solve(mirroredRecord.parameters, with: ImpurityDatabaseSolver(name: name)!)
            let error = zip(direct.gTau, mirroredRecord.outputs[name]!.gTau).map { abs($0 - $1) }.max()!
            #expect(error < (name == "ed" ? 1e-12 : 1e-6), "\(name): mirror differs from the mirrored problem's solution by \(error)")
        }
    }
}
