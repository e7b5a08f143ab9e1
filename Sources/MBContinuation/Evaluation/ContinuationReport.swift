import Foundation
import MBPlot
import MBTensor

/// The HTML report of an evaluation: the scores, and as in the paper the true σ, the
/// predicted σ and the fractional error σ/σ̂ at every temperature for the best, median and
/// worst examples (ranked by max |log σ/σ̂|), plus the training curves when given.
public enum ContinuationReport {
    public static func html(title: String, metrics: ContinuationMetrics, examples: ContinuationSplit, temperatures: [Double],
                            prediction: ContinuationPrediction, trainingLog: String?) -> String {
        var report = HTMLReport(title: title)
        report.addParagraph("Usable: σ/σ̂ within [0.8, 1.2] at all \(temperatures.count) temperatures on ω ∈ [0, 10] (201 points).")
        var rows: [(key: String, value: String)] = [
            ("examples", "\(metrics.examples)"),
            ("usable_fraction", String(format: "%.3f", metrics.usable_fraction)),
            ("sigma0_relative_error_median", String(format: "%.4g", metrics.sigma0_relative_error_median)),
            ("sigma0_relative_error_mean", String(format: "%.4g", metrics.sigma0_relative_error_mean)),
        ]
        if let a = metrics.alpha_mae { rows.append(("alpha_mae", String(format: "%.4f", a))) }
        if let g = metrics.gamma_mae { rows.append(("gamma_mae", String(format: "%.4f", g))) }
        if let s = metrics.alpha_prediction_std { rows.append(("spread of predicted α (std; 0 = collapsed)", String(format: "%.4f", s))) }
        if let s = metrics.seconds { rows.append(("seconds", String(format: "%.3f", s))) }
        report.addKeyValueTable(rows)
        report.addTable(headers: ["T"] + temperatures.map { String(format: "%.1f", $0) },
                        rows: [["usable at this T"] + metrics.usable_fraction_by_temperature.map { String(format: "%.2f", $0) }])

        let truth = ContinuationScoring.trueSigma(examples, temperatures: temperatures)
        let picks = metrics.representativeExamples
        for (name, index) in [("Best", picks.best), ("Median", picks.median), ("Worst", picks.worst)] {
            report.addHeading("\(name) example (#\(index), max |log σ/σ̂| = \(String(format: "%.3g", metrics.worst_log_ratio[index])))")
            report.addParagraph(labelText(examples.components(index), predicted: prediction.labels.map {
                DrudeComponents(label: $0.scalars[(index * 9)..<(index * 9 + 9)])
            }))
            report.addFigures(figures(truth: truth, predicted: prediction.sigma, index: index, temperatures: temperatures), columns: 3)
        }
        if let trainingLog, let curves = lossCurves(trainingLog) {
            report.addHeading("Training")
            report.addFigures(curves, columns: 2)
        }
        return report.html()
    }

    static func labelText(_ truth: DrudeComponents, predicted: DrudeComponents?) -> String {
        func describe(_ c: DrudeComponents) -> String {
            (0..<c.count).map { String(format: "(α %.3f, γ0 %.3f, γ1 %.3f)", c.alpha[$0], c.gamma0[$0], c.gamma1[$0]) }.joined(separator: " ")
        }
        var text = "True terms: " + describe(truth)
        if let predicted { text += ". Predicted: " + describe(predicted) }
        return text + "."
    }

    static func figures(truth: Tensor<Double>, predicted: Tensor<Double>, index: Int, temperatures: [Double]) -> [ReportFigure] {
        let omegas = ContinuationGrids.frequencies, nw = omegas.count, nT = temperatures.count
        let s = truth.scalars, p = predicted.scalars
        func curves(_ values: (Int) -> Double) -> [PlotSeries] {
            temperatures.enumerated().map { t, T in
                PlotSeries(name: String(format: "T = %.1f", T), x: omegas, y: (0..<nw).map { values((index * nT + t) * nw + $0) })
            }
        }
        let palette = PlotPalette.sequential(count: nT)
        let sigmaAxis = PlotAxis(label: "σ(ω)", scale: .logarithmic)
        let omegaAxis = PlotAxis(label: "ω", range: 0...10)
        let trueSigma = LinePlot(title: "true σ", xAxis: omegaAxis, yAxis: sigmaAxis, series: curves { s[$0] }, palette: palette)
        let predictedSigma = LinePlot(title: "predicted σ̂", xAxis: omegaAxis, yAxis: sigmaAxis, series: curves { p[$0] },
                                      showsLegend: false, palette: palette)
        let ratio = LinePlot(title: "fractional error σ/σ̂", xAxis: omegaAxis, yAxis: PlotAxis(label: "σ/σ̂", range: 0...2),
                             series: curves { s[$0] / p[$0] }, referenceLines: [0.8, 1, 1.2], showsLegend: false, palette: palette)
        return [ReportFigure(trueSigma), ReportFigure(predictedSigma), ReportFigure(ratio)]
    }

    /// Loss and usable-fraction curves from a training `metrics.csv`.
    static func lossCurves(_ csv: String) -> [ReportFigure]? {
        let lines = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        guard let header = lines.first, lines.count > 1,
              let e = header.firstIndex(of: "epoch"), let tl = header.firstIndex(of: "training_loss"),
              let vl = header.firstIndex(of: "validation_loss"), let vm = header.firstIndex(of: "validation_metric") else { return nil }
        let rows = lines.dropFirst().filter { $0.count == header.count }
        func column(_ i: Int) -> [Double] { rows.map { Double($0[i]) ?? .nan } }
        let epochs = column(e)
        let losses = LinePlot(title: "loss", xAxis: PlotAxis(label: "epoch"), yAxis: PlotAxis(label: "loss", scale: .logarithmic),
                              series: [PlotSeries(name: "training", x: epochs, y: column(tl)),
                                       PlotSeries(name: "validation", x: epochs, y: column(vl))])
        let usable = LinePlot(title: "validation usable fraction", xAxis: PlotAxis(label: "epoch"),
                              yAxis: PlotAxis(label: "usable fraction", range: 0...1),
                              series: [PlotSeries(name: "validation", x: epochs, y: column(vm).map { 1 - $0 })], showsLegend: false)
        return [ReportFigure(losses), ReportFigure(usable)]
    }
}
