import Foundation
import Testing
@testable import MBPlot

@Suite("HTML reports")
struct HTMLReportTests {
    private func samplePlot(_ title: String, scale: Double) -> LinePlot {
        let omega = (0..<50).map { Double($0) * 0.2 }
        var plot = LinePlot(title: title, xAxis: PlotAxis(label: "ω"), yAxis: PlotAxis(label: "σ(ω)"))
        plot.series.append(PlotSeries(name: "truth", x: omega, y: omega.map { scale * exp(-$0) }))
        plot.bands.append(PlotBand(name: "band", x: omega, lower: omega.map { 0.9 * scale * exp(-$0) }, upper: omega.map { 1.1 * scale * exp(-$0) }))
        return plot
    }

    @Test func reportIsWellFormedAndEscaped() throws {
        var report = HTMLReport(title: "Continuation <evaluation> & more")
        report.addHeading("Metrics & \"loss\"")
        report.addParagraph("Ratio σ/σ̂ < 1.2 for 'most' ω > 0 & all T.")
        report.addKeyValueTable([(key: "samples", value: "1000"), (key: "model <kind>", value: "mlp")])
        report.addTable(headers: ["T", "error", "note"], rows: [["0.1", "1.5e-3", "ok"], ["0.2", "2e-3"]])
        report.addFigures([ReportFigure(samplePlot("first", scale: 1), caption: "T = 0.1 <low>"),
                           ReportFigure(samplePlot("second", scale: 2), caption: "T = 0.2")], columns: 2)
        report.addPreformatted("mbml continuation evaluate --model a.safetensors\n<not a tag> & done")
        let html = report.html()
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        // No scripts and no external resources: the only URIs are the two SVG namespaces.
        #expect(!html.contains("<script"))
        #expect(html.components(separatedBy: "http").count - 1 == 2)
        let elements = try #require(parseXML(html))
        #expect(elements.first?.name == "html")
        let texts = elements.map(\.text)
        for expected in ["Continuation <evaluation> & more", "Metrics & \"loss\"", "Ratio σ/σ̂ < 1.2 for 'most' ω > 0 & all T.",
                         "model <kind>", "T = 0.1 <low>", "mbml continuation evaluate --model a.safetensors\n<not a tag> & done"] {
            #expect(texts.contains(expected), "missing \(expected)")
        }
        #expect(elements.filter { $0.name == "svg" }.count == 2)
        #expect(elements.filter { $0.name == "figure" }.count == 2)
        // Short rows are padded; numbers are right-aligned.
        let rows = elements.filter { $0.name == "tr" }.count
        #expect(rows == 1 + 2 + 1 + 2)
        #expect(elements.filter { $0.name == "td" }.count == 2 * 2 + 2 * 3)
        #expect(elements.filter { $0.name == "td" && $0.attributes["class"] == "number" }.map(\.text) == ["1000", "0.1", "1.5e-3", "0.2", "2e-3"])
        let grid = try #require(elements.first { $0.attributes["class"] == "figures" })
        #expect(grid.attributes["style"]?.contains("repeat(2,") == true)
    }

    @Test func clipIdentifiersAreUniqueAcrossPlots() throws {
        var report = HTMLReport(title: "many plots")
        let plots = (1...4).map { samplePlot("T = \($0)", scale: Double($0)) }
        report.addFigures(plots.map { ReportFigure($0) }, columns: 3)
        let elements = try #require(parseXML(report.html()))
        let identifiers = elements.compactMap { $0.attributes["id"] }
        #expect(identifiers.count == 4 && Set(identifiers).count == 4)
        let references = elements.compactMap { $0.attributes["clip-path"] }
        #expect(references.count == 4)
        #expect(Set(references) == Set(identifiers.map { "url(#\($0))" }))
        // Output is reproducible, and an explicit identifier is used as given.
        #expect(plots[0].svg() == plots[0].svg())
        var named = plots[0]
        named.identifier = "sigma-T1"
        #expect(named.svg().contains("id=\"sigma-T1-clip\"") && named.svg().contains("url(#sigma-T1-clip)"))
    }

    @Test func writesFile() throws {
        var report = HTMLReport(title: "file")
        report.addParagraph("hello")
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("mbplot-\(UUID().uuidString).html")
        defer { try? FileManager.default.removeItem(at: url) }
        try report.write(to: url)
        #expect(try String(contentsOf: url, encoding: .utf8) == report.html())
    }
}
