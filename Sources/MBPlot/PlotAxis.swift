import Foundation

/// How data values map to distance along an axis.
public enum AxisScale: Sendable {
    case linear
    /// Base-10 logarithmic; non-positive values are not shown.
    case logarithmic
}

/// One axis of a `LinePlot`: its label, scale and (optionally) a fixed range.
public struct PlotAxis: Sendable {
    public var label: String
    public var scale: AxisScale
    /// Fixed data range; nil chooses one from the data: a linear axis is widened to the
    /// enclosing multiples of a 1-2-5 tick step, a logarithmic one to whole decades.
    public var range: ClosedRange<Double>?

    public init(label: String = "", scale: AxisScale = .linear, range: ClosedRange<Double>? = nil) {
        self.label = label
        self.scale = scale
        self.range = range
    }

    /// The axis range, major ticks with labels, and minor ticks for the given data values.
    ///
    /// Non-finite values are ignored, and so are non-positive ones on a logarithmic axis. With no
    /// usable data the range is 0…1 (linear) or 1…10 (logarithmic). `targetTickCount` is the
    /// desired number of major ticks; the result has about that many.
    public func resolved(for values: [Double], targetTickCount: Int = 5) -> ResolvedAxis {
        switch scale {
        case .linear: resolvedLinear(values, targetTickCount: max(2, targetTickCount))
        case .logarithmic: resolvedLogarithmic(values, targetTickCount: max(2, targetTickCount))
        }
    }

    /// The 1-2-5 step (1, 2 or 5 × 10^k) nearest to `span / (targetCount - 1)`
    /// (Heckbert, "Nice numbers for graph labels", Graphics Gems, 1990).
    static func niceStep(span: Double, targetCount: Int) -> Double {
        precondition(span > 0 && span.isFinite, "span must be positive and finite, got \(span)")
        let raw = span / Double(max(1, targetCount - 1))
        let exponent = floor(log10(raw))
        let power = pow(10, exponent)
        let mantissa = raw / power
        let nice: Double = mantissa < 1.5 ? 1 : mantissa < 3 ? 2 : mantissa < 7 ? 5 : 10
        return nice * power
    }

    /// Multiples of `step` inside `range` (with a tolerance of 10⁻⁹ step at the ends), each
    /// computed as an integer times the step so that no rounding error accumulates.
    static func multiples(of step: Double, in range: ClosedRange<Double>) -> [Double] {
        let first = Int((range.lowerBound / step - 1e-9).rounded(.up))
        let last = Int((range.upperBound / step + 1e-9).rounded(.down))
        guard first <= last else { return [] }
        return (first...last).map { index in index == 0 ? 0 : Double(index) * step }
    }

    private func resolvedLinear(_ values: [Double], targetTickCount: Int) -> ResolvedAxis {
        let span: ClosedRange<Double>
        if let range {
            span = range
        } else {
            let finite = values.filter(\.isFinite)
            var low = finite.min() ?? 0
            var high = finite.max() ?? 1
            if low == high {
                let half = low == 0 ? 1 : abs(low) * 0.5
                low -= half
                high += half
            }
            let step = Self.niceStep(span: high - low, targetCount: targetTickCount)
            low = (low / step + 1e-9).rounded(.down) * step
            high = (high / step - 1e-9).rounded(.up) * step
            span = low...high
        }
        precondition(span.upperBound > span.lowerBound && span.lowerBound.isFinite && span.upperBound.isFinite,
                     "axis '\(label)': range must be finite with upper > lower, got \(span)")
        let step = Self.niceStep(span: span.upperBound - span.lowerBound, targetCount: targetTickCount)
        let ticks = Self.multiples(of: step, in: span)
        return ResolvedAxis(scale: .linear, range: span, ticks: ticks, labels: TickFormat.linearLabels(ticks, step: step), minorTicks: [])
    }

    private func resolvedLogarithmic(_ values: [Double], targetTickCount: Int) -> ResolvedAxis {
        let span: ClosedRange<Double>
        if let range {
            span = range
        } else {
            let positive = values.filter { $0.isFinite && $0 > 0 }
            let lowDecade = floor(log10(positive.min() ?? 1) + 1e-9)
            var highDecade = ceil(log10(positive.max() ?? 10) - 1e-9)
            if highDecade <= lowDecade { highDecade = lowDecade + 1 }
            span = pow(10, lowDecade)...pow(10, highDecade)
        }
        precondition(span.lowerBound > 0 && span.upperBound > span.lowerBound && span.upperBound.isFinite,
                     "axis '\(label)': logarithmic range must be positive and finite with upper > lower, got \(span)")
        let lowDecade = Int(ceil(log10(span.lowerBound) - 1e-9))
        let highDecade = Int(floor(log10(span.upperBound) + 1e-9))
        let decadeCount = highDecade - lowDecade + 1
        let inside = { (value: Double) in
            value >= span.lowerBound * (1 - 1e-9) && value <= span.upperBound * (1 + 1e-9)
        }
        // A wide range labels every n-th decade; a narrow one also labels 2× and 5× a decade.
        if decadeCount >= 3 || (decadeCount == 2 && log10(span.upperBound / span.lowerBound) > 1.5) {
            let stride = max(1, Int((Double(decadeCount - 1) / Double(targetTickCount + 2)).rounded(.up)))
            let exponents = Swift.stride(from: lowDecade, through: highDecade, by: stride).map { $0 }
            let minor: [Double] = stride > 1 ? [] : (lowDecade - 1...highDecade).flatMap { exponent in
                (2...9).map { Double($0) * pow(10, Double(exponent)) }
            }.filter(inside)
            return ResolvedAxis(
                scale: .logarithmic, range: span, ticks: exponents.map { pow(10, Double($0)) },
                labels: TickFormat.decadeLabels(exponents), minorTicks: minor)
        }
        let candidates = (lowDecade - 1...highDecade).flatMap { exponent in
            [1.0, 2, 5].map { $0 * pow(10, Double(exponent)) }
        }
        let ticks = candidates.filter(inside)
        if ticks.count < 2 {
            // Less than a factor 2.5 between the ends: linear 1-2-5 ticks read better.
            let step = Self.niceStep(span: span.upperBound - span.lowerBound, targetCount: targetTickCount)
            let linear = Self.multiples(of: step, in: span).filter { $0 > 0 }
            return ResolvedAxis(scale: .logarithmic, range: span, ticks: linear, labels: linear.map(TickFormat.plainLabel), minorTicks: [])
        }
        let minor = (lowDecade - 1...highDecade).flatMap { exponent in
            [3.0, 4, 6, 7, 8, 9].map { $0 * pow(10, Double(exponent)) }
        }.filter(inside)
        return ResolvedAxis(scale: .logarithmic, range: span, ticks: ticks, labels: ticks.map(TickFormat.plainLabel), minorTicks: minor)
    }
}

/// An axis after its range and ticks have been chosen for concrete data.
public struct ResolvedAxis: Sendable, Equatable {
    public let scale: AxisScale
    public let range: ClosedRange<Double>
    /// Major tick positions in data units, ascending.
    public let ticks: [Double]
    /// Text of each major tick, same order as `ticks`.
    public let labels: [String]
    /// Unlabelled minor ticks (logarithmic axes: 2…9 × 10^k).
    public let minorTicks: [Double]

    /// The mapping of this axis' range onto the pixel interval from `start` (at the lower
    /// bound) to `end` (at the upper bound); `end < start` for a y axis pointing up.
    public func mapping(from start: Double, to end: Double) -> AxisMapping {
        AxisMapping(scale: scale, range: range, start: start, end: end)
    }
}

/// Affine map from data to pixels, in log10 of the value on a logarithmic axis:
/// `pixel = start + (t(v) − t(lower)) / (t(upper) − t(lower)) · (end − start)`.
public struct AxisMapping: Sendable, Equatable {
    public let scale: AxisScale
    public let range: ClosedRange<Double>
    public let start: Double
    public let end: Double

    public init(scale: AxisScale, range: ClosedRange<Double>, start: Double, end: Double) {
        self.scale = scale
        self.range = range
        self.start = start
        self.end = end
    }

    /// The pixel coordinate of `value`, or nil if it cannot be shown (NaN, ±∞, or ≤ 0 on a
    /// logarithmic axis). Values outside the range map outside the pixel interval.
    public func pixel(for value: Double) -> Double? {
        guard value.isFinite else { return nil }
        let fraction: Double
        switch scale {
        case .linear:
            fraction = (value - range.lowerBound) / (range.upperBound - range.lowerBound)
        case .logarithmic:
            guard value > 0 else { return nil }
            fraction = log10(value / range.lowerBound) / log10(range.upperBound / range.lowerBound)
        }
        let pixel = start + fraction * (end - start)
        return pixel.isFinite ? pixel : nil
    }
}
