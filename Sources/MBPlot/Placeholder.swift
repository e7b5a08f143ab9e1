// Replaced by the SVG plotting and HTML report code.
enum MBPlotPlaceholder {}
