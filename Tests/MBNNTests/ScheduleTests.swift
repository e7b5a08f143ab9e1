import Foundation
import Testing
@testable import MBNN

@Suite("Learning-rate schedules")
struct ScheduleTests {
    func close(_ a: Double, _ b: Double, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(abs(a - b) < 1e-15, "\(a) vs \(b)", sourceLocation: sourceLocation)
    }

    @Test func closedForms() {
        #expect(ConstantLearningRate(0.1).value(atStep: 1000) == 0.1)
        let step = StepDecay(initial: 1, stepSize: 3, factor: 0.5)
        #expect((0..<7).map { step.value(atStep: $0) } == [1, 1, 1, 0.5, 0.5, 0.5, 0.25])
        close(ExponentialDecay(initial: 2, factor: 0.9).value(atStep: 3), 2 * 0.729)
        let cosine = CosineAnnealing(initial: 1, period: 10, minimum: 0.1)
        close(cosine.value(atStep: 0), 1)
        close(cosine.value(atStep: 5), 0.55)
        close(cosine.value(atStep: 10), 0.1)
        close(cosine.value(atStep: 25), 0.1)
        let warm = WarmupCosine(peak: 1, warmupSteps: 4, totalSteps: 14)
        #expect((0..<4).map { warm.value(atStep: $0) } == [0.25, 0.5, 0.75, 1])
        close(warm.value(atStep: 4), 1)
        close(warm.value(atStep: 9), 0.5)
        close(warm.value(atStep: 14), 0)
        close(warm.value(atStep: 100), 0)
    }

    @Test func plateauReducesAfterPatienceAndCoolsDown() {
        var plateau = ReduceLearningRateOnPlateau(factor: 0.5, patience: 2, threshold: 0.01, cooldown: 1)
        // Improvements need value < best·0.99.
        let values: [Double] = [1, 0.995, 0.999, 0.998, 0.5, 0.6, 0.6, 0.6, 0.6]
        let reduced = values.map { plateau.record($0) }
        // Bad records after 1: 0.995 (1), 0.999 (2), 0.998 (3 > 2) → reduce. 0.5 improves (and
        // uses up the cooldown); 0.6 three times → reduce again; the last 0.6 falls in the cooldown.
        #expect(reduced == [false, false, false, true, false, false, false, true, false])
        #expect(plateau.badRecords == 0)
        #expect(plateau.scale == 0.25)
        #expect(plateau.learningRate(base: 0.1) == 0.025)
        var floored = ReduceLearningRateOnPlateau(factor: 0.1, patience: 0, minimumLearningRate: 1e-3)
        floored.record(1)
        floored.record(2)
        floored.record(3)
        floored.record(4)
        #expect(floored.learningRate(base: 0.1) == 1e-3)
    }
}
