import Foundation
import Testing
@testable import MBPlot

/// The `d` attribute of the first path drawn with stroke `color`.
private func strokePath(_ elements: [ParsedElement], color: String) -> String? {
    elements.first { $0.name == "path" && $0.attributes["stroke"] == color }?.attributes["d"]
}

@Suite("Line plots")
struct LinePlotTests {
    @Test func svgIsWellFormedWithAxesTitleAndLegend() throws {
        var plot = LinePlot(title: "σ(ω) at T = 0.1", xAxis: PlotAxis(label: "ω"), yAxis: PlotAxis(label: "σ(ω)"))
        plot.series.append(PlotSeries(name: "truth", x: [0, 1, 2, 3], y: [0, 1, 0.5, 0.2]))
        plot.series.append(PlotSeries(name: "prediction", x: [0, 1, 2, 3], y: [0.1, 0.9, 0.6, 0.1], style: .dashed, markers: true))
        plot.series.append(PlotSeries(name: "", x: [0, 3], y: [0, 0]))
        plot.bands.append(PlotBand(name: "±1σ", x: [0, 1, 2, 3], lower: [0, 0.8, 0.4, 0], upper: [0.2, 1.1, 0.7, 0.3]))
        let svg = plot.svg()
        let elements = try #require(parseXML(svg))
        let root = try #require(elements.first)
        #expect(root.name == "svg" && root.attributes["xmlns"] == "http://www.w3.org/2000/svg")
        #expect(root.attributes["width"] == "420" && root.attributes["height"] == "300")
        let texts = elements.filter { $0.name == "text" }.map(\.text)
        for expected in ["σ(ω) at T = 0.1", "ω", "σ(ω)", "truth", "prediction", "±1σ", "0", "3"] {
            #expect(texts.contains(expected), "missing text \(expected) in \(texts)")
        }
        #expect(elements.filter { $0.name == "circle" }.count == 4 + 1)  // four data markers, one in the legend
        #expect(elements.contains { $0.attributes["fill"] == PlotPalette.categorical[0] && $0.attributes["fill-opacity"] == "0.25" })
        #expect(strokePath(elements, color: PlotPalette.categorical[1])?.isEmpty == false)

        plot.showsLegend = false
        let withoutLegend = try #require(parseXML(plot.svg())).filter { $0.name == "text" }.map(\.text)
        #expect(!withoutLegend.contains("truth") && !withoutLegend.contains("±1σ"))
    }

    @Test func dataLandAtMappedPixels() throws {
        var plot = LinePlot(xAxis: PlotAxis(range: 0...10), yAxis: PlotAxis(range: -1...1))
        plot.series.append(PlotSeries(name: "line", x: [0, 5, 10], y: [-1, 0.5, 1], color: "#123456"))
        let layout = plot.layout()
        let area = layout.plotArea
        #expect(layout.xMapping.pixel(for: 0) == area.x)
        #expect(layout.xMapping.pixel(for: 10) == area.x + area.width)
        #expect(layout.yMapping.pixel(for: -1) == area.y + area.height)
        #expect(layout.yMapping.pixel(for: 1) == area.y)
        #expect(try abs(#require(layout.yMapping.pixel(for: 0.5)) - (area.y + area.height / 4)) < 1e-9)
        #expect(area.x > 0 && area.y > 0 && area.x + area.width < 420 && area.y + area.height < 300)

        let elements = try #require(parseXML(plot.svg()))
        let pieces = subpaths(try #require(strokePath(elements, color: "#123456")))
        #expect(pieces.count == 1 && pieces[0].count == 3)
        let expected = [(area.x, area.y + area.height), (area.x + area.width / 2, area.y + area.height / 4), (area.x + area.width, area.y)]
        for (point, target) in zip(pieces[0], expected) {
            #expect(abs(point.x - target.0) <= 0.005 && abs(point.y - target.1) <= 0.005, "\(point) vs \(target)")
        }
        let clip = try #require(elements.first { $0.name == "clipPath" })
        let clipRectangle = try #require(elements.first { $0.name == "rect" })
        #expect(clip.attributes["id"] != nil)
        #expect(Double(clipRectangle.attributes["x"]!)! == area.x && Double(clipRectangle.attributes["width"]!)! == area.width)
    }

    @Test func nonFiniteValuesBreakTheLineAndNeverReachTheSVG() throws {
        var plot = LinePlot(title: "gaps")
        let x: [Double] = [0, 1, 2, 3, 4, 5, 6, 7, .nan, 9]
        let y: [Double] = [1, 2, .nan, 3, 4, .infinity, 5, 6, 7, -.infinity]
        plot.series.append(PlotSeries(name: "gappy", x: x, y: y, color: "#123456", markers: true))
        plot.bands.append(PlotBand(name: "band", x: [0, 1, 2, 3, 4], lower: [0, 0, .nan, 0, 0], upper: [1, 1, 1, 1, 1], color: "#abcdef"))
        let svg = plot.svg()
        let lowered = svg.lowercased()
        #expect(!lowered.contains("nan") && !lowered.contains("inf"))
        let elements = try #require(parseXML(svg))
        let pieces = subpaths(try #require(strokePath(elements, color: "#123456")))
        #expect(pieces.map(\.count) == [2, 2, 2])
        #expect(elements.filter { $0.name == "circle" }.count == 6 + 1)
        let band = try #require(elements.first { $0.attributes["fill"] == "#abcdef" && $0.name == "path" })
        #expect(band.attributes["d"]!.filter { $0 == "Z" }.count == 2)
        // Infinite data do not blow up the automatic range.
        #expect(plot.layout().yAxis.range == 0...6)
    }

    @Test func logarithmicAxisDropsNonPositiveData() throws {
        var plot = LinePlot(xAxis: PlotAxis(scale: .logarithmic), yAxis: PlotAxis(scale: .logarithmic))
        plot.series.append(PlotSeries(name: "decay", x: [-1, 0, 0.01, 0.1, 1, 10], y: [5, 5, 100, 10, 1, 0.1], color: "#123456"))
        let layout = plot.layout()
        #expect(abs(layout.xAxis.range.lowerBound - 0.01) < 1e-15 && abs(layout.xAxis.range.upperBound - 10) < 1e-12)
        #expect(abs(layout.yAxis.range.lowerBound - 0.1) < 1e-15 && abs(layout.yAxis.range.upperBound - 100) < 1e-12)
        let svg = plot.svg()
        #expect(!svg.lowercased().contains("nan") && !svg.lowercased().contains("inf"))
        let elements = try #require(parseXML(svg))
        let pieces = subpaths(try #require(strokePath(elements, color: "#123456")))
        #expect(pieces.map(\.count) == [4])
        // Equal ratios are equal distances: a straight line in log-log for y = 1/x.
        let steps = zip(pieces[0], pieces[0].dropFirst()).map { ($1.x - $0.x, $1.y - $0.y) }
        for step in steps {
            #expect(abs(step.0 - steps[0].0) < 0.02 && abs(step.1 - steps[0].1) < 0.02)
        }
    }

    @Test func titlesAndLabelsAreEscaped() throws {
        let title = "a <b> & \"c\" 'd' </svg>"
        var plot = LinePlot(title: title, xAxis: PlotAxis(label: "x<y"), yAxis: PlotAxis(label: "&amp;"))
        plot.series.append(PlotSeries(name: "<script>", x: [0, 1], y: [0, 1], color: "red\" onload=\"x"))
        let svg = plot.svg()
        #expect(svg.contains("a &lt;b&gt; &amp; &quot;c&quot; &#39;d&#39; &lt;/svg&gt;"))
        #expect(!svg.contains("<script>") && !svg.contains("onload=\"x"))
        let texts = try #require(parseXML(svg)).filter { $0.name == "text" }.map(\.text)
        for expected in [title, "x<y", "&amp;", "<script>"] {
            #expect(texts.contains(expected))
        }
    }

    @Test func referenceLinesAndSequentialPalette() throws {
        var plot = LinePlot(yAxis: PlotAxis(label: "σ/σ̂"), referenceLines: [0.8, 1.0, 1.2], legendPosition: .outsideRight)
        plot.palette = PlotPalette.sequential(count: 10)
        for index in 0..<10 {
            plot.series.append(PlotSeries(name: "T = \(index)", x: [0, 1], y: [0.95, 1.05]))
        }
        let layout = plot.layout()
        #expect(layout.yAxis.range.lowerBound <= 0.8 && layout.yAxis.range.upperBound >= 1.2)
        let elements = try #require(parseXML(plot.svg()))
        let dashed = try #require(elements.first { $0.attributes["stroke-dasharray"] == "5 4" })
        let lines = subpaths(dashed.attributes["d"]!)
        #expect(lines.count == 3)
        for (line, value) in zip(lines, [0.8, 1.0, 1.2]) {
            #expect(abs(line[0].y - layout.yMapping.pixel(for: value)!) < 0.006)
            #expect(abs(line[0].x - layout.plotArea.x) < 0.006)
        }
        let strokes = Set(elements.compactMap { $0.name == "path" ? $0.attributes["stroke"] : nil })
        #expect(Set(PlotPalette.sequential(count: 10)).isSubset(of: strokes))
        // The legend sits right of the plot area.
        let legendText = try #require(elements.first { $0.name == "text" && $0.text == "T = 0" })
        #expect(Double(legendText.attributes["x"]!)! > layout.plotArea.x + layout.plotArea.width)
    }
}
