import Foundation
import MBGreens

/// A sweep of U through the Mott transition, each U started from the previous U's solution,
/// upwards, downwards or both, and the coexistence window read off the hysteresis.
public struct MottSweep: Sendable {
    public enum Direction: String, Sendable, CaseIterable, Codable { case up, down, both }

    public struct Point: Sendable, Codable {
        public var U: Double
        public var direction: String
        public var Z: Double
        public var doubleOccupancy: Double
        public var gHalfBeta: Double
        public var converged: Bool
        public var iterations: Int
    }

    /// A point counts as metallic when −β G(β/2) exceeds this. −β G(β/2) ≈ π A(0) at low T: it
    /// stays ≈ 2 in the metal up to Uc2 (A(0) is pinned at half filling) while Z goes to 0, and
    /// is exponentially small in the insulator, so it separates the two more sharply than Z.
    public var metallicThreshold = 0.5
    public var beta: Double

    public init(beta: Double) { self.beta = beta }

    public func isMetallic(_ point: Point) -> Bool { -point.gHalfBeta * beta > metallicThreshold }

    /// Runs `loop(U, start)` over `values` (ascending) in the requested direction(s); `start` is
    /// the previous solution's G (nil for the first U: the metal going up, the insulator going down).
    public func run(values: [Double], direction: Direction,
                    loop: (Double, MatsubaraGreensFunction?, BetheDMFT.Start) throws -> BetheDMFT.Result) rethrows -> [Point] {
        var points: [Point] = []
        func sweep(_ us: [Double], _ name: String, _ first: BetheDMFT.Start) throws {
            var previous: MatsubaraGreensFunction?
            for U in us {
                let result = try loop(U, previous, first)
                points.append(Point(U: U, direction: name, Z: result.quasiparticleWeight, doubleOccupancy: result.impurity.doubleOccupancy,
                                    gHalfBeta: IterativePerturbationTheory.gAtHalfBeta(result.g), converged: result.converged,
                                    iterations: result.iterations))
                previous = result.converged ? result.g : nil
            }
        }
        if direction != .down { try sweep(values, "up", .metal) }
        if direction != .up { try sweep(values.reversed(), "down", .insulator) }
        return points
    }

    /// Uc2: the last U at which the upward sweep is still metallic; Uc1: the last U (coming
    /// down) at which the downward sweep is still insulating. Nil when the sweep does not cross.
    public func coexistence(_ points: [Point]) -> (uc1: Double?, uc2: Double?) {
        let up = points.filter { $0.direction == "up" && $0.converged }
        let down = points.filter { $0.direction == "down" && $0.converged }
        let uc2 = up.contains { !isMetallic($0) } ? up.last(where: isMetallic)?.U : nil
        let uc1 = down.contains(where: isMetallic) ? down.last { !isMetallic($0) }?.U : nil
        return (uc1, uc2)
    }
}
