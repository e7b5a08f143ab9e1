import Foundation

/// A figure of an HTML report: an SVG element (e.g. from `LinePlot.svg()`) and its caption.
public struct ReportFigure: Sendable {
    public var svg: String
    public var caption: String

    public init(svg: String, caption: String = "") {
        self.svg = svg
        self.caption = caption
    }

    public init(_ plot: LinePlot, caption: String = "") {
        self.init(svg: plot.svg(), caption: caption)
    }
}

/// A self-contained HTML5 report built block by block: headings, paragraphs, tables, grids of
/// SVG figures and preformatted text. The document has inline CSS and no scripts or external
/// resources, and is also well-formed XML. All text is escaped; SVG is embedded verbatim.
public struct HTMLReport: Sendable {
    private enum Block: Sendable {
        case heading(String, level: Int)
        case paragraph(String)
        case table(headers: [String], rows: [[String]])
        case figures([ReportFigure], columns: Int)
        case preformatted(String)
    }

    public var title: String
    private var blocks: [Block] = []

    /// An empty report; `title` is the page title and the top-level heading.
    public init(title: String) {
        self.title = title
    }

    /// A section heading; `level` 2…6 (level 1 is the report title).
    public mutating func addHeading(_ text: String, level: Int = 2) {
        precondition((1...6).contains(level), "heading level must be 1…6, got \(level)")
        blocks.append(.heading(text, level: level))
    }

    public mutating func addParagraph(_ text: String) {
        blocks.append(.paragraph(text))
    }

    /// A table with a header row; cells that read as numbers are right-aligned.
    /// Rows shorter than `headers` are padded with empty cells.
    public mutating func addTable(headers: [String], rows: [[String]]) {
        for (index, row) in rows.enumerated() {
            precondition(headers.isEmpty || row.count <= headers.count,
                         "table row \(index) has \(row.count) cells, headers have \(headers.count)")
        }
        blocks.append(.table(headers: headers, rows: rows))
    }

    /// A two-column table of names and values, in the given order.
    public mutating func addKeyValueTable(_ pairs: [(key: String, value: String)], headers: [String] = ["quantity", "value"]) {
        addTable(headers: headers, rows: pairs.map { [$0.key, $0.value] })
    }

    /// Figures laid out in a CSS grid of `columns` equal columns, filled row by row.
    public mutating func addFigures(_ figures: [ReportFigure], columns: Int = 2) {
        precondition(columns >= 1, "figure grid needs at least one column, got \(columns)")
        blocks.append(.figures(figures, columns: columns))
    }

    public mutating func addFigure(_ figure: ReportFigure) {
        addFigures([figure], columns: 1)
    }

    /// Text shown verbatim in a monospaced block (logs, configuration, command lines).
    public mutating func addPreformatted(_ text: String) {
        blocks.append(.preformatted(text))
    }

    private static let styleSheet = """
        body{font-family:system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:#222;\
        max-width:1280px;margin:1.5em auto;padding:0 1em;line-height:1.4}
        h1{font-size:1.6em;border-bottom:1px solid #ddd;padding-bottom:0.2em}
        h2{font-size:1.3em;margin-top:1.6em}h3{font-size:1.1em}
        table{border-collapse:collapse;margin:0.6em 0;font-size:0.92em}
        th,td{border:1px solid #d0d0d0;padding:0.2em 0.6em;text-align:left}
        th{background:#f2f2f2}td.number{text-align:right;font-variant-numeric:tabular-nums}
        .figures{display:grid;gap:1em;margin:0.8em 0}
        figure{margin:0;min-width:0}figure svg{width:100%;height:auto;display:block}
        figcaption{font-size:0.88em;color:#444;text-align:center;margin-top:0.2em}
        pre{background:#f6f6f6;border:1px solid #e2e2e2;padding:0.6em;overflow-x:auto;font-size:0.88em}
        """

    /// The complete HTML5 document.
    public func html() -> String {
        var html = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8"/>
            <meta name="viewport" content="width=device-width, initial-scale=1"/>
            <title>\(Markup.escaped(title))</title>
            <style>
            \(Self.styleSheet)
            </style>
            </head>
            <body>
            <h1>\(Markup.escaped(title))</h1>

            """
        for block in blocks {
            html += Self.render(block)
        }
        return html + "</body>\n</html>\n"
    }

    /// Writes `html()` as UTF-8 to `url`, replacing an existing file.
    public func write(to url: URL) throws {
        try Data(html().utf8).write(to: url, options: .atomic)
    }

    private static func render(_ block: Block) -> String {
        switch block {
        case .heading(let text, let level):
            return "<h\(level)>\(Markup.escaped(text))</h\(level)>\n"
        case .paragraph(let text):
            return "<p>\(Markup.escaped(text))</p>\n"
        case .preformatted(let text):
            return "<pre>\(Markup.escaped(text))</pre>\n"
        case .table(let headers, let rows):
            var html = "<table>\n"
            if !headers.isEmpty {
                html += "<thead><tr>" + headers.map { "<th>\(Markup.escaped($0))</th>" }.joined() + "</tr></thead>\n"
            }
            html += "<tbody>\n"
            for row in rows {
                let padded = row + Array(repeating: "", count: max(0, headers.count - row.count))
                html += "<tr>" + padded.map { cell in
                    let numeric = Double(cell.trimmingCharacters(in: .whitespaces)) != nil
                    return (numeric ? "<td class=\"number\">" : "<td>") + Markup.escaped(cell) + "</td>"
                }.joined() + "</tr>\n"
            }
            return html + "</tbody>\n</table>\n"
        case .figures(let figures, let columns):
            var html = "<div class=\"figures\" style=\"grid-template-columns:repeat(\(columns),minmax(0,1fr))\">\n"
            for figure in figures {
                html += "<figure>\n\(figure.svg)"
                if !figure.caption.isEmpty {
                    html += "<figcaption>\(Markup.escaped(figure.caption))</figcaption>\n"
                }
                html += "</figure>\n"
            }
            return html + "</div>\n"
        }
    }
}
