extension LinePlot {
    /// One entry of the legend: a series (line and/or marker) or a band (filled swatch).
    private enum LegendEntry {
        case series(PlotSeries, color: String)
        case band(PlotBand, color: String)

        var name: String {
            switch self {
            case .series(let series, _): series.name
            case .band(let band, _): band.name
            }
        }
    }

    private var legendEntries: [LegendEntry] {
        let curves = series.enumerated().filter { !$0.element.name.isEmpty }.map {
            LegendEntry.series($0.element, color: $0.element.color ?? paletteColor($0.offset))
        }
        let fills = bands.enumerated().filter { !$0.element.name.isEmpty }.map {
            LegendEntry.band($0.element, color: $0.element.color ?? paletteColor($0.offset))
        }
        return curves + fills
    }

    /// Width and height of the legend box, nil when there is nothing to show.
    func legendSize() -> (width: Double, height: Double)? {
        let entries = legendEntries
        guard !entries.isEmpty else { return nil }
        let text = entries.map { Markup.estimatedWidth($0.name, fontSize: Style.legendFontSize) }.max() ?? 0
        return (18 + Style.legendSwatchWidth + text, 8 + Style.legendRowHeight * Double(entries.count))
    }

    /// The complete `<svg>` element (no XML declaration), ready to be written to a `.svg` file
    /// or embedded in HTML.
    public func svg() -> String {
        let layout = layout()
        let area = layout.plotArea
        let decorations = gridSVG(layout) + axesSVG(layout) + legendSVG(area)
        let curves = seriesSVG(layout)
        let data = bandsSVG(layout) + referenceLinesSVG(layout) + curves.lines
        let prefix = identifier.map(Markup.escaped)
            ?? "mbplot-" + String(Markup.fnv1a(title + decorations + data + curves.markers + "\(width)x\(height)"), radix: 16)
        let clipIdentifier = prefix + "-clip"
        let w = Markup.coordinate(width), h = Markup.coordinate(height)
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(w)" height="\(h)" viewBox="0 0 \(w) \(h)" \
            font-family="\(Style.fontFamily)" fill="\(Style.textColor)">
            <defs><clipPath id="\(clipIdentifier)">\(rectangle(area))</clipPath></defs>
            <rect x="0" y="0" width="\(w)" height="\(h)" fill="#ffffff"/>

            """
        if !title.isEmpty {
            svg += "<text x=\"\(Markup.coordinate(area.x + area.width / 2))\" y=\"\(Markup.coordinate(Style.titleFontSize + 6))\" "
                + "font-size=\"\(Markup.coordinate(Style.titleFontSize))\" font-weight=\"bold\" text-anchor=\"middle\">"
                + "\(Markup.escaped(title))</text>\n"
        }
        svg += "<g clip-path=\"url(#\(clipIdentifier))\">\n\(data)</g>\n\(curves.markers)\(decorations)</svg>\n"
        return svg
    }

    private func rectangle(_ area: PlotRectangle, attributes: String = "") -> String {
        "<rect x=\"\(Markup.coordinate(area.x))\" y=\"\(Markup.coordinate(area.y))\" width=\"\(Markup.coordinate(area.width))\" "
            + "height=\"\(Markup.coordinate(area.height))\"\(attributes.isEmpty ? "" : " " + attributes)/>"
    }

    private func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double) -> String {
        "M\(Markup.coordinate(x1)),\(Markup.coordinate(y1))L\(Markup.coordinate(x2)),\(Markup.coordinate(y2))"
    }

    private func gridSVG(_ layout: PlotLayout) -> String {
        guard showsGrid else { return "" }
        let area = layout.plotArea
        var path = ""
        for x in layout.xAxis.ticks.compactMap(layout.xMapping.pixel) { path += line(x, area.y, x, area.y + area.height) }
        for y in layout.yAxis.ticks.compactMap(layout.yMapping.pixel) { path += line(area.x, y, area.x + area.width, y) }
        return path.isEmpty ? "" : "<path d=\"\(path)\" stroke=\"\(Style.gridColor)\" stroke-width=\"1\" fill=\"none\"/>\n"
    }

    /// Frame, major and minor ticks, tick labels and axis labels.
    private func axesSVG(_ layout: PlotLayout) -> String {
        let area = layout.plotArea
        let bottom = area.y + area.height
        var ticks = ""
        for (values, length) in [(layout.xAxis.ticks, 5.0), (layout.xAxis.minorTicks, 3.0)] {
            for x in values.compactMap(layout.xMapping.pixel) { ticks += line(x, bottom, x, bottom - length) }
        }
        for (values, length) in [(layout.yAxis.ticks, 5.0), (layout.yAxis.minorTicks, 3.0)] {
            for y in values.compactMap(layout.yMapping.pixel) { ticks += line(area.x, y, area.x + length, y) }
        }
        var svg = rectangle(area, attributes: "fill=\"none\" stroke=\"\(Style.frameColor)\" stroke-width=\"1\"") + "\n"
        if !ticks.isEmpty { svg += "<path d=\"\(ticks)\" stroke=\"\(Style.frameColor)\" stroke-width=\"1\" fill=\"none\"/>\n" }
        svg += "<g font-size=\"\(Markup.coordinate(Style.tickFontSize))\">\n"
        let labelBaseline = Markup.coordinate(bottom + Style.tickFontSize + 4)
        for (tick, label) in zip(layout.xAxis.ticks, layout.xAxis.labels) {
            guard let x = layout.xMapping.pixel(for: tick) else { continue }
            svg += "<text x=\"\(Markup.coordinate(x))\" y=\"\(labelBaseline)\" text-anchor=\"middle\">\(Markup.escaped(label))</text>\n"
        }
        for (tick, label) in zip(layout.yAxis.ticks, layout.yAxis.labels) {
            guard let y = layout.yMapping.pixel(for: tick) else { continue }
            svg += "<text x=\"\(Markup.coordinate(area.x - 4))\" y=\"\(Markup.coordinate(y + Style.tickFontSize * 0.35))\" "
                + "text-anchor=\"end\">\(Markup.escaped(label))</text>\n"
        }
        svg += "</g>\n"
        let labelSize = Markup.coordinate(Style.axisLabelFontSize)
        if !xAxis.label.isEmpty {
            let y = bottom + Style.tickFontSize + 10 + Style.axisLabelFontSize
            svg += "<text x=\"\(Markup.coordinate(area.x + area.width / 2))\" y=\"\(Markup.coordinate(y))\" font-size=\"\(labelSize)\" "
                + "text-anchor=\"middle\">\(Markup.escaped(xAxis.label))</text>\n"
        }
        if !yAxis.label.isEmpty {
            let x = Markup.coordinate(4 + Style.axisLabelFontSize), y = Markup.coordinate(area.y + area.height / 2)
            svg += "<text x=\"\(x)\" y=\"\(y)\" transform=\"rotate(-90 \(x) \(y))\" font-size=\"\(labelSize)\" "
                + "text-anchor=\"middle\">\(Markup.escaped(yAxis.label))</text>\n"
        }
        return svg
    }

    /// Pixel points of `x[i], y[i]` split into runs at points that cannot be shown.
    private func runs(_ x: [Double], _ ys: [[Double]], _ layout: PlotLayout) -> [[(x: Double, y: [Double])]] {
        var runs: [[(x: Double, y: [Double])]] = []
        var current: [(x: Double, y: [Double])] = []
        for index in x.indices {
            if let px = layout.xMapping.pixel(for: x[index]) {
                let py = ys.compactMap { layout.yMapping.pixel(for: $0[index]) }
                if py.count == ys.count {
                    current.append((px, py))
                    continue
                }
            }
            if !current.isEmpty { runs.append(current) }
            current = []
        }
        if !current.isEmpty { runs.append(current) }
        return runs
    }

    private func bandsSVG(_ layout: PlotLayout) -> String {
        var svg = ""
        for (index, band) in bands.enumerated() {
            var path = ""
            for run in runs(band.x, [band.lower, band.upper], layout) where run.count >= 2 {
                let upper = run.map { "\(Markup.coordinate($0.x)),\(Markup.coordinate($0.y[1]))" }
                let lower = run.reversed().map { "\(Markup.coordinate($0.x)),\(Markup.coordinate($0.y[0]))" }
                path += "M" + (upper + lower).joined(separator: "L") + "Z"
            }
            guard !path.isEmpty else { continue }
            let color = Markup.escaped(band.color ?? paletteColor(index))
            svg += "<path d=\"\(path)\" fill=\"\(color)\" fill-opacity=\"\(Markup.coordinate(min(max(band.opacity, 0), 1)))\" stroke=\"none\"/>\n"
        }
        return svg
    }

    private func referenceLinesSVG(_ layout: PlotLayout) -> String {
        let area = layout.plotArea
        let path = referenceLines.compactMap(layout.yMapping.pixel).map { line(area.x, $0, area.x + area.width, $0) }.joined()
        guard !path.isEmpty else { return "" }
        return "<path d=\"\(path)\" stroke=\"\(Style.referenceColor)\" stroke-width=\"1\" stroke-dasharray=\"5 4\" fill=\"none\"/>\n"
    }

    private func strokeAttributes(_ curve: PlotSeries, color: String) -> String {
        var attributes = "fill=\"none\" stroke=\"\(color)\" stroke-width=\"\(Markup.coordinate(curve.lineWidth))\" stroke-linejoin=\"round\""
        if let dashes = curve.style.dashArray(width: curve.lineWidth) {
            attributes += " stroke-dasharray=\"\(dashes)\""
        }
        return attributes + (curve.style == .dotted ? " stroke-linecap=\"round\"" : "")
    }

    /// Lines (to be clipped) and markers. Markers are not clipped, so that points on the frame
    /// stay whole; those whose centre lies outside the plot area are left out instead.
    private func seriesSVG(_ layout: PlotLayout) -> (lines: String, markers: String) {
        let area = layout.plotArea
        let inside = { (point: (x: Double, y: [Double])) in
            point.x >= area.x - 0.5 && point.x <= area.x + area.width + 0.5
                && point.y[0] >= area.y - 0.5 && point.y[0] <= area.y + area.height + 0.5
        }
        var svg = "", markers = ""
        for (index, curve) in series.enumerated() {
            let color = Markup.escaped(curve.color ?? paletteColor(index))
            let pieces = runs(curve.x, [curve.y], layout)
            if curve.lineWidth > 0 {
                let path = pieces.filter { $0.count >= 2 }.map { run in
                    "M" + run.map { "\(Markup.coordinate($0.x)),\(Markup.coordinate($0.y[0]))" }.joined(separator: "L")
                }.joined()
                if !path.isEmpty { svg += "<path d=\"\(path)\" \(strokeAttributes(curve, color: color))/>\n" }
            }
            if curve.markers {
                let size = max(2.5, curve.lineWidth * 1.8)
                let shapes = pieces.joined().filter(inside).map { marker(curve.markerShape, x: $0.x, y: $0.y[0], size: size) }.joined()
                markers += "<g fill=\"\(color)\" stroke=\"none\">\(shapes)</g>\n"
            }
        }
        return (svg, markers)
    }

    /// A marker of half-width `size` centred at (x, y).
    private func marker(_ shape: MarkerShape, x: Double, y: Double, size: Double) -> String {
        let c = Markup.coordinate
        switch shape {
        case .circle:
            return "<circle cx=\"\(c(x))\" cy=\"\(c(y))\" r=\"\(c(size))\"/>"
        case .square:
            let half = size * 0.9
            return "<rect x=\"\(c(x - half))\" y=\"\(c(y - half))\" width=\"\(c(2 * half))\" height=\"\(c(2 * half))\"/>"
        case .triangle:
            let r = size * 1.25
            return "<path d=\"M\(c(x)),\(c(y - r))L\(c(x + r * 0.866)),\(c(y + r / 2))L\(c(x - r * 0.866)),\(c(y + r / 2))Z\"/>"
        case .diamond:
            let r = size * 1.25
            return "<path d=\"M\(c(x)),\(c(y - r))L\(c(x + r * 0.8)),\(c(y))L\(c(x)),\(c(y + r))L\(c(x - r * 0.8)),\(c(y))Z\"/>"
        }
    }

    private func legendSVG(_ area: PlotRectangle) -> String {
        guard showsLegend, let box = legendSize() else { return "" }
        let inset = 6.0
        let origin: (x: Double, y: Double) = switch legendPosition {
        case .topRight: (area.x + area.width - box.width - inset, area.y + inset)
        case .topLeft: (area.x + inset, area.y + inset)
        case .bottomRight: (area.x + area.width - box.width - inset, area.y + area.height - box.height - inset)
        case .bottomLeft: (area.x + inset, area.y + area.height - box.height - inset)
        case .outsideRight: (area.x + area.width + 10, area.y)
        }
        let c = Markup.coordinate
        var svg = "<g font-size=\"\(c(Style.legendFontSize))\">\n"
            + rectangle(PlotRectangle(x: origin.x, y: origin.y, width: box.width, height: box.height),
                        attributes: "fill=\"#ffffff\" fill-opacity=\"0.85\" stroke=\"#bbbbbb\" stroke-width=\"0.8\"") + "\n"
        for (row, entry) in legendEntries.enumerated() {
            let centre = origin.y + 4 + Style.legendRowHeight * (Double(row) + 0.5)
            let left = origin.x + 6, right = origin.x + 6 + Style.legendSwatchWidth
            switch entry {
            case .series(let curve, let color):
                let color = Markup.escaped(color)
                if curve.lineWidth > 0 {
                    svg += "<path d=\"\(line(left, centre, right, centre))\" \(strokeAttributes(curve, color: color))/>"
                }
                if curve.markers {
                    svg += "<g fill=\"\(color)\">\(marker(curve.markerShape, x: (left + right) / 2, y: centre, size: max(2.5, curve.lineWidth * 1.8)))</g>"
                }
            case .band(let band, let color):
                svg += rectangle(PlotRectangle(x: left, y: centre - 4.5, width: Style.legendSwatchWidth, height: 9),
                                 attributes: "fill=\"\(Markup.escaped(color))\" fill-opacity=\"\(c(min(max(band.opacity, 0), 1)))\"")
            }
            svg += "<text x=\"\(c(right + 6))\" y=\"\(c(centre + Style.legendFontSize * 0.35))\">\(Markup.escaped(entry.name))</text>\n"
        }
        return svg + "</g>\n"
    }
}
