import Foundation
import MBIO
import MBTensor
import Testing
@testable import MBContinuation

@Suite("User Λ input")
struct UserLambdaTests {
    let temperatures = ContinuationGrids.temperatures, x = ContinuationGrids.reducedTime

    func writeCSV(_ name: String, grid: [Double], value: (Double, Double) -> Double) throws -> String {
        var text = "T,tau,lambda\n"
        for T in temperatures { for xi in grid { text += "\(T),\(xi / T),\(value(T, xi))\n" } }
        let path = temporaryPath(name)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("CSV on another τ grid is interpolated by the spline to 1e-5 for a smooth Λ (natural end conditions: O(h²f″) at the ends)")
    func interpolation() throws {
        let fine = (0...400).map { 0.001 + 0.998 * Double($0) / 400 }
        let smooth = { (T: Double, xi: Double) in T * (1 + 0.3 * cos(2 * Double.pi * xi)) }
        let input = try UserLambda.read(try writeCSV("fine.csv", grid: fine, value: smooth), temperatures: temperatures, reducedTime: x)
        #expect(input.interpolated && input.errors == nil && input.lambda.shape == [1, 10, 200])
        let values = input.lambda.scalars
        var worst = 0.0
        for (t, T) in temperatures.enumerated() { for (k, xi) in x.enumerated() { worst = max(worst, abs(values[t * 200 + k] - smooth(T, xi))) } }
        #expect(worst < 1e-5, "largest interpolation error \(worst)")
        let exact = try UserLambda.read(try writeCSV("exact.csv", grid: x, value: smooth), temperatures: temperatures, reducedTime: x)
        #expect(!exact.interpolated)
    }

    @Test("HDF5 input: [10, 200] at the root is accepted; the wrong shape and a missing grid are named")
    func hdf5() throws {
        let good = temporaryPath("user-good.h5"), bad = temporaryPath("user-bad.h5"), noGrid = temporaryPath("user-nogrid.h5")
        try HDF5File.writeAtomically(to: good) { file in
            try file.write(temperatures, at: "temperatures")
            try file.write(x, at: "reduced_time")
            try file.write(Tensor<Double>(ones: [10, 200]), at: "lambda")
        }
        #expect(try UserLambda.read(good, temperatures: temperatures, reducedTime: x).lambda.shape == [1, 10, 200])
        try HDF5File.writeAtomically(to: bad) { file in
            try file.write(temperatures, at: "temperatures")
            try file.write(x, at: "reduced_time")
            try file.write(Tensor<Double>(ones: [3, 10, 199]), at: "lambda")
        }
        #expect(throws: ContinuationDataError.wrongShape(path: bad, field: "lambda", shape: [3, 10, 199], expected: ["N", "10", "200"])) {
            try UserLambda.read(bad, temperatures: temperatures, reducedTime: x)
        }
        try HDF5File.writeAtomically(to: noGrid) { file in try file.write(Tensor<Double>(ones: [10, 200]), at: "lambda") }
        #expect(throws: ContinuationDataError.missing(path: noGrid, field: "temperatures")) {
            try UserLambda.read(noGrid, temperatures: temperatures, reducedTime: x)
        }
    }
}
