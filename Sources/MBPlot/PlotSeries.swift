/// Stroke pattern of a plotted line.
public enum LineStyle: Sendable, CaseIterable {
    case solid
    case dashed
    case dotted

    /// SVG `stroke-dasharray` for a line of width `width`, nil for a solid line.
    func dashArray(width: Double) -> String? {
        switch self {
        case .solid: nil
        case .dashed: "\(Markup.coordinate(4 * width + 2)) \(Markup.coordinate(2 * width + 2))"
        case .dotted: "0 \(Markup.coordinate(2 * width + 1.5))"
        }
    }
}

/// Shape drawn at each data point of a series with markers.
public enum MarkerShape: Sendable, CaseIterable {
    case circle
    case square
    case triangle
    case diamond
}

/// One curve y(x) of a `LinePlot`.
///
/// Points are joined in the given order. A point whose x or y is NaN or ±∞, or non-positive on
/// a logarithmic axis, is dropped and breaks the line into separate pieces.
public struct PlotSeries: Sendable {
    /// Legend text; an empty name keeps the series out of the legend.
    public var name: String
    public var x: [Double]
    public var y: [Double]
    /// CSS colour; nil takes the plot's palette entry at this series' index.
    public var color: String?
    public var style: LineStyle
    /// Stroke width in px; zero or less draws no line (markers only).
    public var lineWidth: Double
    public var markers: Bool
    public var markerShape: MarkerShape

    public init(
        name: String, x: [Double], y: [Double], color: String? = nil, style: LineStyle = .solid,
        lineWidth: Double = 1.5, markers: Bool = false, markerShape: MarkerShape = .circle
    ) {
        precondition(x.count == y.count, "series '\(name)': x has \(x.count) points, y has \(y.count)")
        self.name = name
        self.x = x
        self.y = y
        self.color = color
        self.style = style
        self.lineWidth = lineWidth
        self.markers = markers
        self.markerShape = markerShape
    }
}

/// A filled region between `lower(x)` and `upper(x)`, e.g. a ±σ uncertainty band.
///
/// A point with any non-finite (or, on a logarithmic axis, non-positive) coordinate splits the
/// band into separate filled pieces.
public struct PlotBand: Sendable {
    /// Legend text; an empty name keeps the band out of the legend.
    public var name: String
    public var x: [Double]
    public var lower: [Double]
    public var upper: [Double]
    /// CSS colour; nil takes the plot's palette entry at this band's index, so band `i`
    /// matches series `i` by default.
    public var color: String?
    /// Fill opacity in [0, 1].
    public var opacity: Double

    public init(name: String = "", x: [Double], lower: [Double], upper: [Double], color: String? = nil, opacity: Double = 0.25) {
        precondition(
            x.count == lower.count && x.count == upper.count,
            "band '\(name)': x has \(x.count) points, lower \(lower.count), upper \(upper.count)")
        self.name = name
        self.x = x
        self.lower = lower
        self.upper = upper
        self.color = color
        self.opacity = opacity
    }
}
