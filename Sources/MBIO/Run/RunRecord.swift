import Foundation
import MBTensor

/// What a run was and how long it took, written as `run.json` into every output directory:
/// the command line, the resolved configuration, seed, thread count, software versions,
/// start and end time (ISO 8601, UTC, milliseconds) and named durations in seconds.
///
///     var record = try RunRecord(configuration: options, seed: 7, version: "0.1.0")
///     let model = try record.measure("training") { try train() }
///     record.finish()
///     try record.write(to: output)
public struct RunRecord: Codable, Sendable, Equatable {
    public static let fileName = "run.json"

    public var commandLine: [String]
    /// The configuration after defaults and validation, as JSON.
    public var configuration: JSONValue
    public var seed: UInt64?
    public var threadCount: Int
    public var versions: SoftwareVersions
    public var startTime: Date
    public var endTime: Date?
    /// Seconds from `startTime` to `endTime`.
    public var wallTimeSeconds: Double?
    /// Seconds spent in named phases ("training", "evaluation", ...).
    public var durations: [String: Double]

    /// Starts a record now.
    /// - Parameters:
    ///   - configuration: any `Encodable` (a struct of options, a dictionary).
    ///   - version: ManyBodyML's version string.
    public init<Configuration: Encodable>(
        configuration: Configuration, seed: UInt64?, threadCount: Int = ComputeThreads.count, version: String,
        commandLine: [String] = CommandLine.arguments, startTime: Date = Date()
    ) throws {
        self.commandLine = commandLine
        self.configuration = try JSONValue(encoding: configuration)
        self.seed = seed
        self.threadCount = threadCount
        self.versions = SoftwareVersions.current(manyBodyML: version)
        self.startTime = startTime
        self.durations = [:]
    }

    /// Adds `seconds` to the duration of phase `name`.
    public mutating func recordDuration(_ name: String, seconds: Double) {
        durations[name, default: 0] += seconds
    }

    /// Runs `body` and adds its wall-clock time to phase `name` (also when it throws).
    public mutating func measure<Result>(_ name: String, _ body: () throws -> Result) rethrows -> Result {
        let clock = ContinuousClock()
        let start = clock.now
        defer { recordDuration(name, seconds: RunRecord.seconds(clock.now - start)) }
        return try body()
    }

    /// Sets the end time and total wall time.
    public mutating func finish(at time: Date = Date()) {
        endTime = time
        wallTimeSeconds = time.timeIntervalSince(startTime)
    }

    /// Pretty-printed JSON with sorted keys.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.formatted(RunRecord.timestampStyle))
        }
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        var data = try encoder.encode(self)
        data.append(UInt8(ascii: "\n"))
        return data
    }

    /// Writes `run.json` into `directory`, atomically.
    public func write(to directory: OutputDirectory) throws {
        try write(toFile: directory.path(for: RunRecord.fileName))
    }

    /// Writes the record to `path`, atomically.
    public func write(toFile path: String) throws {
        try AtomicFile.write(jsonData(), to: path)
    }

    /// Reads a record written by `write`.
    public static func read(from path: String) throws -> RunRecord {
        let data = try FileContents.bytes(at: path)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            if let date = try? Date(text, strategy: timestampStyle) ?? Date(text, strategy: .iso8601) { return date }
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "'\(text)' is not an ISO 8601 time"))
        }
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            return try decoder.decode(RunRecord.self, from: data)
        } catch {
            throw FileSystemError.cannotRead(path: path, reason: "not a run record (\(error))")
        }
    }

    /// ISO 8601 in UTC with milliseconds: "2026-11-21T07:33:42.125Z".
    static let timestampStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }
}
