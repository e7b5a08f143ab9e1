/// Where the legend box sits.
public enum LegendPosition: Sendable, CaseIterable {
    case topRight
    case topLeft
    case bottomRight
    case bottomLeft
    /// To the right of the plot area, which shrinks to make room (the overall size is kept).
    case outsideRight
}

/// A 2-D line plot rendered as a self-contained SVG element: curves, filled bands, horizontal
/// reference lines, axes with 1-2-5 (linear) or decade (logarithmic) ticks, title and legend.
///
/// ```swift
/// var plot = LinePlot(title: "σ(ω)", xAxis: PlotAxis(label: "ω"), yAxis: PlotAxis(label: "σ"))
/// plot.series.append(PlotSeries(name: "truth", x: omega, y: sigma))
/// let svg = plot.svg()
/// ```
public struct LinePlot: Sendable {
    public var title: String
    public var xAxis: PlotAxis
    public var yAxis: PlotAxis
    public var series: [PlotSeries]
    public var bands: [PlotBand]
    /// y-values of horizontal dashed grey lines across the plot (e.g. 0.8, 1, 1.2 for a ratio);
    /// they are included when the y range is chosen automatically.
    public var referenceLines: [Double]
    public var showsLegend: Bool
    public var legendPosition: LegendPosition
    public var showsGrid: Bool
    /// Overall size in px (CSS pixels; the SVG scales with its `viewBox`).
    public var width: Double
    public var height: Double
    /// Colours for series and bands without one, used cyclically by index. Use
    /// `PlotPalette.sequential(count:)` for curves ordered by a parameter.
    public var palette: [String]
    /// Prefix of element ids (the clip path). Nil derives one from a hash of the content, so
    /// different plots in one HTML page get different ids and output is reproducible.
    public var identifier: String?

    public init(
        title: String = "", xAxis: PlotAxis = PlotAxis(), yAxis: PlotAxis = PlotAxis(),
        series: [PlotSeries] = [], bands: [PlotBand] = [], referenceLines: [Double] = [],
        showsLegend: Bool = true, legendPosition: LegendPosition = .topRight, showsGrid: Bool = true,
        width: Double = 420, height: Double = 300, palette: [String] = PlotPalette.categorical,
        identifier: String? = nil
    ) {
        precondition(width > 0 && height > 0, "plot size must be positive, got \(width)×\(height)")
        self.title = title
        self.xAxis = xAxis
        self.yAxis = yAxis
        self.series = series
        self.bands = bands
        self.referenceLines = referenceLines
        self.showsLegend = showsLegend
        self.legendPosition = legendPosition
        self.showsGrid = showsGrid
        self.width = width
        self.height = height
        self.palette = palette
        self.identifier = identifier
    }

    /// The colour of series or band number `index` when it has none of its own.
    func paletteColor(_ index: Int) -> String {
        palette.isEmpty ? "#000000" : palette[index % palette.count]
    }

    /// Data values that decide the automatic ranges: only points that are shown, i.e. whose
    /// partner coordinate(s) are usable on their axes too.
    private func rangeData() -> (x: [Double], y: [Double]) {
        func usable(_ value: Double, on axis: PlotAxis) -> Bool {
            value.isFinite && (axis.scale == .linear || value > 0)
        }
        var xs: [Double] = []
        var ys: [Double] = referenceLines
        for curve in series {
            precondition(curve.x.count == curve.y.count, "series '\(curve.name)': x has \(curve.x.count) points, y has \(curve.y.count)")
            for (x, y) in zip(curve.x, curve.y) where usable(x, on: xAxis) && usable(y, on: yAxis) {
                xs.append(x)
                ys.append(y)
            }
        }
        for band in bands {
            precondition(band.x.count == band.lower.count && band.x.count == band.upper.count,
                         "band '\(band.name)': x has \(band.x.count) points, lower \(band.lower.count), upper \(band.upper.count)")
            for index in band.x.indices
            where usable(band.x[index], on: xAxis) && usable(band.lower[index], on: yAxis) && usable(band.upper[index], on: yAxis) {
                xs.append(band.x[index])
                ys.append(band.lower[index])
                ys.append(band.upper[index])
            }
        }
        return (xs, ys)
    }

    /// Axis ranges, ticks, the plot area inside the margins and the data → pixel mappings.
    public func layout() -> PlotLayout {
        let data = rangeData()
        let resolvedX = xAxis.resolved(for: data.x, targetTickCount: min(8, max(3, Int(width / 80))))
        let resolvedY = yAxis.resolved(for: data.y, targetTickCount: min(8, max(3, Int(height / 55))))
        let widestYLabel = resolvedY.labels.map { Markup.estimatedWidth($0, fontSize: Style.tickFontSize) }.max() ?? 0
        let left = 10 + widestYLabel + (yAxis.label.isEmpty ? 0 : Style.axisLabelFontSize + 8)
        let top = title.isEmpty ? 12 : Style.titleFontSize + 18
        let bottom = Style.tickFontSize + 14 + (xAxis.label.isEmpty ? 0 : Style.axisLabelFontSize + 8)
        // Room for half of the last x tick label, which is centred on the right edge.
        let lastXLabel = resolvedX.labels.last.map { Markup.estimatedWidth($0, fontSize: Style.tickFontSize) } ?? 0
        var right = max(16, lastXLabel / 2 + 10)
        if showsLegend && legendPosition == .outsideRight, let box = legendSize() {
            right += box.width + 4
        }
        let area = PlotRectangle(
            x: left, y: top, width: max(10, width - left - right), height: max(10, height - top - bottom))
        return PlotLayout(
            plotArea: area, xAxis: resolvedX, yAxis: resolvedY,
            xMapping: resolvedX.mapping(from: area.x, to: area.x + area.width),
            yMapping: resolvedY.mapping(from: area.y + area.height, to: area.y))
    }
}

/// A rectangle in SVG pixel coordinates (y grows downwards).
public struct PlotRectangle: Sendable, Equatable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double
}

/// The geometry of a rendered `LinePlot`.
public struct PlotLayout: Sendable {
    /// The region inside the axes frame; data are clipped to it.
    public let plotArea: PlotRectangle
    public let xAxis: ResolvedAxis
    public let yAxis: ResolvedAxis
    /// x data → horizontal pixel, lower bound at the left edge of `plotArea`.
    public let xMapping: AxisMapping
    /// y data → vertical pixel, lower bound at the bottom edge of `plotArea`.
    public let yMapping: AxisMapping
}

/// Sizes and colours of the plot decorations.
enum Style {
    static let fontFamily = "Helvetica, Arial, sans-serif"
    static let tickFontSize = 10.0
    static let axisLabelFontSize = 11.0
    static let titleFontSize = 12.0
    static let legendFontSize = 10.0
    static let legendRowHeight = 14.0
    static let legendSwatchWidth = 22.0
    static let frameColor = "#444444"
    static let gridColor = "#e6e6e6"
    static let referenceColor = "#888888"
    static let textColor = "#222222"
}
