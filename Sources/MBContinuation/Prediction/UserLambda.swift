import Foundation
import MBIO
import MBTensor

/// A user's Λ(τ) at several temperatures, brought onto the model grid.
///
/// Inputs: a CSV with header `T,tau,lambda[,error]` (one row per (T, τ), any order of
/// temperatures, τ increasing within each temperature, 0 ≤ τ ≤ 1/T), or an HDF5 file with
/// the dataset layout (`temperatures`, `reduced_time` and `lambda` [10, 200] or [N, 10, 200]
/// at the root or in a split group). CSV data on another τ grid are interpolated in x = τT
/// onto the model's grid by a natural cubic spline; the grid must cover it.
public struct UserLambda: Sendable {
    /// Λ [N, temperatures, 200] on the model grid.
    public var lambda: Tensor<Double>
    /// Standard errors of Λ, same shape, if given.
    public var errors: Tensor<Double>?
    /// True if some temperature's data were interpolated onto the model grid.
    public var interpolated: Bool

    public static func read(_ path: String, temperatures: [Double], reducedTime: [Double], split: String = "test") throws -> UserLambda {
        if path.lowercased().hasSuffix(".csv") {
            return try readCSV(path, temperatures: temperatures, reducedTime: reducedTime)
        }
        return try readHDF5(path, temperatures: temperatures, reducedTime: reducedTime, split: split)
    }

    static func readHDF5(_ path: String, temperatures: [Double], reducedTime: [Double], split: String) throws -> UserLambda {
        let file: HDF5File
        do { file = try HDF5File.open(path) } catch { throw ContinuationDataError.cannotOpen(path: path, reason: "\(error)") }
        defer { try? file.close() }
        for name in ["temperatures", "reduced_time"] where !file.contains(name) {
            throw ContinuationDataError.missing(path: path, field: name)
        }
        let fileT = try file.readTensor(Double.self, at: "temperatures", rank: 1, converting: true).scalars
        let fileX = try file.readTensor(Double.self, at: "reduced_time", rank: 1, converting: true).scalars
        try InputValidation.checkGrids(temperatures: fileT, reducedTime: fileX, source: path)
        try checkTemperatures(fileT, expected: temperatures, source: path)
        guard fileX.count == reducedTime.count, zip(fileX, reducedTime).allSatisfy({ abs($0 - $1) < 1e-9 }) else {
            throw ContinuationDataError.badGrid(path: path, field: "reduced_time",
                                                problem: "differs from the model's grid x_k = (k + ½)/\(reducedTime.count); give a CSV to interpolate")
        }
        let field = file.contains("lambda") ? "lambda" : "\(split)/lambda"
        guard file.contains(field) else { throw ContinuationDataError.missing(path: path, field: "lambda or \(split)/lambda") }
        var lambda = try file.readTensor(Double.self, at: field, converting: true)
        if lambda.shape.count == 2 { lambda = lambda.expandingShape(at: 0) }
        guard lambda.shape.count == 3, lambda.shape[1] == temperatures.count, lambda.shape[2] == reducedTime.count else {
            throw ContinuationDataError.wrongShape(path: path, field: field, shape: lambda.shape,
                                                   expected: ["N", "\(temperatures.count)", "\(reducedTime.count)"])
        }
        if lambda.hasNonFinite { throw ContinuationDataError.nonFinite(path: path, field: field) }
        return UserLambda(lambda: lambda, errors: nil, interpolated: false)
    }

    static func checkTemperatures(_ given: [Double], expected: [Double], source: String) throws {
        let missing = expected.filter { T in !given.contains { abs($0 - T) < 1e-9 } }
        let extra = given.filter { T in !expected.contains { abs($0 - T) < 1e-9 } }
        guard missing.isEmpty && extra.isEmpty else {
            var problem = "must be the model's \(expected.map { String(format: "%g", $0) }.joined(separator: ", "))"
            if !missing.isEmpty { problem += "; missing \(missing.map { String(format: "%g", $0) }.joined(separator: ", "))" }
            if !extra.isEmpty { problem += "; not known to the model: \(extra.map { String(format: "%g", $0) }.joined(separator: ", "))" }
            throw ContinuationDataError.badGrid(path: source, field: "temperatures", problem: problem)
        }
    }

    static func readCSV(_ path: String, temperatures: [Double], reducedTime: [Double]) throws -> UserLambda {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ContinuationDataError.cannotOpen(path: path, reason: "no such readable UTF-8 file")
        }
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let header = lines.first?.lowercased().split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }),
              header.count >= 3, Array(header.prefix(3)) == ["t", "tau", "lambda"], header.count <= 4,
              header.count == 3 || header[3] == "error" else {
            throw ContinuationDataError.badLine(path: path, line: 1, problem: "the header must be T,tau,lambda or T,tau,lambda,error")
        }
        let hasErrors = header.count == 4
        var rows: [Double: [(tau: Double, value: Double, error: Double)]] = [:]
        var order: [Double] = []
        for (i, line) in lines.enumerated().dropFirst() where !line.isEmpty && !line.hasPrefix("#") {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard fields.count == header.count, fields.allSatisfy({ $0 != nil }) else {
                throw ContinuationDataError.badLine(path: path, line: i + 1, problem: "expected \(header.count) numbers, got '\(line)'")
            }
            let v = fields.map { $0! }
            guard v.allSatisfy(\.isFinite) else {
                throw ContinuationDataError.badLine(path: path, line: i + 1, problem: "NaN or infinite value in '\(line)'")
            }
            let T = v[0]
            guard T > 0 else { throw ContinuationDataError.badLine(path: path, line: i + 1, problem: "T must be positive, got \(T)") }
            guard v[1] >= 0, v[1] <= 1 / T * (1 + 1e-12) else {
                throw ContinuationDataError.badLine(path: path, line: i + 1, problem: "tau = \(v[1]) is outside [0, 1/T] = [0, \(1 / T)]")
            }
            if hasErrors && v[3] <= 0 {
                throw ContinuationDataError.badLine(path: path, line: i + 1, problem: "error must be positive, got \(v[3])")
            }
            let key = temperatures.first { abs($0 - T) < 1e-9 } ?? T
            if rows[key] == nil { order.append(key) }
            if let last = rows[key]?.last, v[1] <= last.tau {
                throw ContinuationDataError.badLine(path: path, line: i + 1,
                                                   problem: "tau must increase within T = \(T): \(v[1]) follows \(last.tau)")
            }
            rows[key, default: []].append((v[1], v[2], hasErrors ? v[3] : 0))
        }
        try checkTemperatures(order, expected: temperatures, source: path + " (column T)")
        var lambda: [Double] = [], errors: [Double] = [], interpolated = false
        for T in temperatures {
            let data = rows[T]!
            let x = data.map { $0.tau * T }
            if x.count == reducedTime.count && zip(x, reducedTime).allSatisfy({ abs($0 - $1) < 1e-9 }) {
                lambda += data.map(\.value)
                errors += data.map(\.error)
                continue
            }
            guard x.count >= 4, x.first! <= reducedTime.first! + 1e-12, x.last! >= reducedTime.last! - 1e-12 else {
                throw ContinuationDataError.badGrid(
                    path: path, field: "tau at T = \(T)",
                    problem: "(\(x.count) points, τT from \(x.first ?? .nan) to \(x.last ?? .nan)) must cover τT ∈ [\(reducedTime.first!), \(reducedTime.last!)] with ≥ 4 points")
            }
            interpolated = true
            lambda += CubicSpline(x: x, y: data.map(\.value)).values(at: reducedTime)
            errors += CubicSpline(x: x, y: data.map(\.error)).values(at: reducedTime)
        }
        let shape = [1, temperatures.count, reducedTime.count]
        return UserLambda(lambda: Tensor(shape: shape, scalars: lambda),
                          errors: hasErrors ? Tensor(shape: shape, scalars: errors) : nil, interpolated: interpolated)
    }
}

/// A natural cubic spline through (x, y), x strictly increasing.
struct CubicSpline {
    let x: [Double], y: [Double], secondDerivatives: [Double]

    init(x: [Double], y: [Double]) {
        let n = x.count
        var m = [Double](repeating: 0, count: n)
        if n > 2 {
            var c = [Double](repeating: 0, count: n), d = [Double](repeating: 0, count: n)
            for i in 1..<(n - 1) {
                let h0 = x[i] - x[i - 1], h1 = x[i + 1] - x[i]
                let a = h0 / 6, b = (h0 + h1) / 3, r = (y[i + 1] - y[i]) / h1 - (y[i] - y[i - 1]) / h0
                let denominator = b - a * c[i - 1]
                c[i] = (h1 / 6) / denominator
                d[i] = (r - a * d[i - 1]) / denominator
            }
            for i in stride(from: n - 2, through: 1, by: -1) { m[i] = d[i] - c[i] * m[i + 1] }
        }
        self.x = x
        self.y = y
        secondDerivatives = m
    }

    func values(at points: [Double]) -> [Double] {
        points.map { p in
            var k = 0
            var high = x.count - 1
            while high - k > 1 { let mid = (k + high) / 2; if x[mid] > p { high = mid } else { k = mid } }
            let h = x[high] - x[k], a = (x[high] - p) / h, b = (p - x[k]) / h
            return a * y[k] + b * y[high] + ((a * a * a - a) * secondDerivatives[k] + (b * b * b - b) * secondDerivatives[high]) * h * h / 6
        }
    }
}
