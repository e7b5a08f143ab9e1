/// One row of the comparison table, keyed like the `summary` rows of `shared/perf/results.json`.
public struct BenchmarkRecord: Codable, Sendable {
    public let bench: String
    public let model: String
    public let metric: String
    public let unit: String
    public let value: Double
    public var params: Int?
    /// Every timed repetition, for the reader who wants the spread.
    public var all: [Double]?

    public init(bench: String, model: String, metric: String, unit: String, value: Double, params: Int? = nil,
                all: [Double]? = nil) {
        self.bench = bench
        self.model = model
        self.metric = metric
        self.unit = unit
        self.value = value
        self.params = params
        self.all = all
    }
}
