import Foundation
import Testing
@testable import MBPlot

private func expectClose(_ actual: [Double], _ expected: [Double], relative: Double = 1e-12,
                         sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.count == expected.count, "\(actual) vs \(expected)", sourceLocation: sourceLocation)
    for (a, e) in zip(actual, expected) {
        #expect(abs(a - e) <= relative * max(abs(e), 1e-300) + 1e-15, "\(actual) vs \(expected)", sourceLocation: sourceLocation)
    }
}

@Suite("Axis ticks and ranges")
struct AxisTickTests {
    @Test func linearZeroToTen() {
        let axis = PlotAxis().resolved(for: [0, 3.3, 10], targetTickCount: 5)
        #expect(axis.range == 0...10)
        expectClose(axis.ticks, [0, 2, 4, 6, 8, 10])
        #expect(axis.labels == ["0", "2", "4", "6", "8", "10"])
        #expect(axis.minorTicks.isEmpty)
    }

    @Test func linearSmallNumbersWidenToNiceRange() {
        let axis = PlotAxis().resolved(for: [0.013, 0.05, 0.087], targetTickCount: 5)
        #expect(abs(axis.range.lowerBound) < 1e-15)
        #expect(abs(axis.range.upperBound - 0.1) < 1e-15)
        expectClose(axis.ticks, [0, 0.02, 0.04, 0.06, 0.08, 0.1])
        #expect(axis.labels == ["0.00", "0.02", "0.04", "0.06", "0.08", "0.10"])
    }

    @Test func linearNegativeDataUseMinusSign() {
        let axis = PlotAxis().resolved(for: [-3.7, 12.2], targetTickCount: 5)
        #expect(axis.range == -5...15)
        expectClose(axis.ticks, [-5, 0, 5, 10, 15])
        #expect(axis.labels.first == "\u{2212}5")
    }

    @Test func fixedRangeKeepsRangeAndTicksInside() {
        let axis = PlotAxis(range: 0.5...9.5).resolved(for: [-100, 100], targetTickCount: 5)
        #expect(axis.range == 0.5...9.5)
        expectClose(axis.ticks, [2, 4, 6, 8])
    }

    @Test func constantAndEmptyDataGiveUsableRanges() {
        let constant = PlotAxis().resolved(for: [3, 3, .nan])
        #expect(constant.range.contains(3) && constant.range.upperBound > constant.range.lowerBound)
        #expect(PlotAxis().resolved(for: []).range == 0...1)
        #expect(PlotAxis(scale: .logarithmic).resolved(for: [.infinity, -2]).range == 1...10)
    }

    @Test func tinyStepsUseScientificLabels() {
        let axis = PlotAxis().resolved(for: [0, 5e-5], targetTickCount: 6)
        expectClose(axis.ticks, [0, 1e-5, 2e-5, 3e-5, 4e-5, 5e-5])
        #expect(axis.labels == ["0", "10⁻⁵", "2×10⁻⁵", "3×10⁻⁵", "4×10⁻⁵", "5×10⁻⁵"])
    }

    @Test func logarithmicDecades() {
        let axis = PlotAxis(scale: .logarithmic).resolved(for: [1e-3, 0.5, 1e2])
        #expect(abs(axis.range.lowerBound / 1e-3 - 1) < 1e-12 && abs(axis.range.upperBound / 1e2 - 1) < 1e-12)
        expectClose(axis.ticks, [1e-3, 1e-2, 1e-1, 1, 10, 100])
        #expect(axis.labels == ["10⁻³", "10⁻²", "10⁻¹", "10⁰", "10¹", "10²"])
        #expect(axis.minorTicks.count == 5 * 8)
        #expect(axis.minorTicks.contains { abs($0 - 2e-3) < 1e-15 } && axis.minorTicks.contains { abs($0 - 90) < 1e-12 })
    }

    @Test func logarithmicModerateDecadesArePlainNumbers() {
        let axis = PlotAxis(scale: .logarithmic).resolved(for: [0.02, 700])
        expectClose(axis.ticks, [0.01, 0.1, 1, 10, 100, 1000])
        #expect(axis.labels == ["0.01", "0.1", "1", "10", "100", "1000"])
    }

    @Test func logarithmicIgnoresNonPositiveValues() {
        let axis = PlotAxis(scale: .logarithmic).resolved(for: [-5, 0, .nan, 0.03, 40])
        #expect(abs(axis.range.lowerBound - 0.01) < 1e-15 && abs(axis.range.upperBound - 100) < 1e-12)
    }

    @Test func logarithmicWithinOneDecadeLabelsOneTwoFive() {
        let axis = PlotAxis(scale: .logarithmic).resolved(for: [2, 8])
        #expect(axis.range == 1...10)
        expectClose(axis.ticks, [1, 2, 5, 10])
        #expect(axis.labels == ["1", "2", "5", "10"])
    }

    @Test func logarithmicNarrowFixedRangeFallsBackToLinearTicks() {
        let axis = PlotAxis(scale: .logarithmic, range: 2.2...4.1).resolved(for: [], targetTickCount: 5)
        expectClose(axis.ticks, [2.5, 3, 3.5, 4])
        #expect(axis.labels == ["2.5", "3", "3.5", "4"])
        #expect(axis.minorTicks.isEmpty)
    }

    @Test func logarithmicWideRangeThinsDecades() {
        let axis = PlotAxis(scale: .logarithmic).resolved(for: [1e-10, 1e10], targetTickCount: 5)
        #expect(axis.ticks.count >= 4 && axis.ticks.count <= 8)
        #expect(axis.minorTicks.isEmpty)
        let exponents = axis.ticks.map { log10($0).rounded() }
        #expect(Set(zip(exponents, exponents.dropFirst()).map { $1 - $0 }).count == 1)
    }

    @Test func labelFormatting() {
        #expect(TickFormat.scientificLabel(2.5e-7) == "2.5×10⁻⁷")
        #expect(TickFormat.scientificLabel(-1e12) == "\u{2212}10¹²")
        #expect(TickFormat.scientificLabel(9.9999999999e5) == "10⁶")
        #expect(TickFormat.plainLabel(0.06000000000000001) == "0.06")
        #expect(TickFormat.plainLabel(-2.5) == "\u{2212}2.5")
        #expect(Markup.coordinate(3) == "3")
        #expect(Markup.coordinate(-0.5) == "-0.5")
        #expect(Markup.coordinate(0.07) == "0.07")
        #expect(Markup.coordinate(-0.001) == "0")
        #expect(Markup.coordinate(123.456) == "123.46")
        #expect(Markup.coordinate(1e300) == "1000000")
    }
}

@Suite("Axis mapping")
struct AxisMappingTests {
    @Test func linearMappingIsAffine() {
        let mapping = AxisMapping(scale: .linear, range: -2...8, start: 100, end: 300)
        #expect(mapping.pixel(for: -2) == 100)
        #expect(mapping.pixel(for: 8) == 300)
        #expect(mapping.pixel(for: 3) == 200)
        #expect(mapping.pixel(for: 18) == 500)
        #expect(mapping.pixel(for: .nan) == nil)
        #expect(mapping.pixel(for: -.infinity) == nil)
    }

    @Test func logarithmicMappingIsAffineInLogarithm() throws {
        let mapping = AxisMapping(scale: .logarithmic, range: 1...1000, start: 250, end: 10)
        #expect(try abs(#require(mapping.pixel(for: 1)) - 250) < 1e-9)
        #expect(try abs(#require(mapping.pixel(for: 10)) - 170) < 1e-9)
        #expect(try abs(#require(mapping.pixel(for: 1000)) - 10) < 1e-9)
        #expect(mapping.pixel(for: 0) == nil)
        #expect(mapping.pixel(for: -3) == nil)
    }
}

@Suite("Palettes")
struct PlotPaletteTests {
    @Test func sequentialPalettes() {
        let viridis = PlotPalette.sequential(count: 10)
        #expect(viridis.count == 10 && Set(viridis).count == 10)
        #expect(viridis.first == "#440154")
        #expect(PlotPalette.color(at: 0.5, in: .viridis) == "#21918c")
        #expect(PlotPalette.sequential(count: 3, scheme: .coolWarm) == ["#3b4cc0", "#dddddd", "#b40426"])
        #expect(PlotPalette.sequential(count: 1) == ["#440154"])
        #expect(PlotPalette.sequential(count: 0).isEmpty)
        let hex = Set("0123456789abcdef")
        for scheme in PlotPalette.SequentialScheme.allCases {
            for color in PlotPalette.sequential(count: 7, scheme: scheme) {
                #expect(color.count == 7 && color.first == "#" && color.dropFirst().allSatisfy(hex.contains))
            }
        }
        #expect(PlotPalette.categorical.count == 10 && Set(PlotPalette.categorical).count == 10)
    }
}
