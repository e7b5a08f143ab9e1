import Foundation

/// Progress of a training run on standard error: one line rewritten in place on a terminal
/// (epoch, running loss, examples per second, time left), a plain line per epoch otherwise.
final class TrainingProgress {
    enum Style { case terminal, lines, quiet }

    let style: Style
    let totalEpochs: Int
    private let start = ContinuousClock.now
    private var lastDraw: ContinuousClock.Instant?
    private var stepsDone = 0
    private var examplesDone = 0
    private var lineOpen = false

    init(mode: ProgressMode, totalEpochs: Int) {
        switch mode {
        case .quiet: style = .quiet
        case .lines: style = .lines
        case .automatic: style = isatty(STDERR_FILENO) != 0 ? .terminal : .lines
        }
        self.totalEpochs = totalEpochs
    }

    /// After each optimizer step: redraws the terminal line at most ten times a second.
    func stepDone(epoch: Int, step: Int, stepsPerEpoch: Int, remainingSteps: Int, examples: Int, runningLoss: Double) {
        stepsDone += 1
        examplesDone += examples
        guard style == .terminal else { return }
        let now = ContinuousClock.now
        if let last = lastDraw, now - last < .milliseconds(100), remainingSteps > 0 { return }
        lastDraw = now
        let elapsed = seconds(now - start)
        let rate = Double(examplesDone) / max(elapsed, 1e-9)
        let eta = elapsed / Double(stepsDone) * Double(remainingSteps)
        let line = String(format: "epoch %d/%d  step %d/%d  loss %.6g  %.0f examples/s  ETA %@",
                          epoch, totalEpochs, step, stepsPerEpoch, runningLoss, rate, TrainingProgress.clock(eta))
        write("\r\u{1B}[2K" + line)
        lineOpen = true
    }

    /// After each epoch: a log line (line style) or the epoch summary on the live line
    /// (redrawn at most ten times a second).
    func epochDone(_ record: EpochRecord, remainingSteps: Int, note: String?) {
        guard style != .quiet else { return }
        var line = String(format: "epoch %d/%d  loss %.6g", record.epoch, totalEpochs, record.trainingLoss)
        if let v = record.validationLoss { line += String(format: "  validation %.6g", v) }
        if let m = record.validationMetric { line += String(format: "  metric %.6g", m) }
        line += String(format: "  lr %.3g  %.2f s", record.learningRate, record.seconds)
        if record.skippedSteps > 0 { line += "  skipped \(record.skippedSteps)" }
        if let note { line += "  " + note }
        switch style {
        case .terminal:
            let now = ContinuousClock.now
            if let last = lastDraw, now - last < .milliseconds(100), remainingSteps > 0 { return }
            lastDraw = now
            let elapsed = seconds(now - start)
            let eta = stepsDone > 0 ? elapsed / Double(stepsDone) * Double(remainingSteps) : 0
            write("\r\u{1B}[2K" + line + "  ETA " + TrainingProgress.clock(eta))
            lineOpen = true
        case .lines:
            write(line + "\n")
        case .quiet:
            break
        }
    }

    /// A message on its own line (early stop, restored weights).
    func message(_ text: String) {
        guard style != .quiet else { return }
        finishLine()
        write(text + "\n")
    }

    func finish() { finishLine() }

    private func finishLine() {
        if lineOpen {
            write("\n")
            lineOpen = false
        }
    }

    private func write(_ text: String) { FileHandle.standardError.write(Data(text.utf8)) }

    private func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    /// m:ss or h:mm:ss.
    static func clock(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "--:--" }
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}

/// The per-epoch metrics as CSV: `epoch,training_loss,validation_loss,validation_metric,
/// learning_rate,seconds,skipped_steps`, missing values as empty fields, numbers in Swift's
/// shortest round-trip form.
public enum MetricsCSV {
    public static let header = "epoch,training_loss,validation_loss,validation_metric,learning_rate,seconds,skipped_steps"

    public static func row(_ r: EpochRecord) -> String {
        func field(_ x: Double?) -> String { x.map { "\($0)" } ?? "" }
        return [String(r.epoch), field(r.trainingLoss), field(r.validationLoss), field(r.validationMetric),
                field(r.learningRate), field(r.seconds), String(r.skippedSteps)].joined(separator: ",")
    }

    public static func text(_ records: [EpochRecord]) -> String {
        ([header] + records.map(row)).joined(separator: "\n") + "\n"
    }

    /// Writes the whole table to `path` through a temporary file and a rename.
    public static func write(_ records: [EpochRecord], to path: String) throws(TrainingError) {
        do {
            try Data(text(records).utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw .metricsLog(path: path, reason: "\(error.localizedDescription)")
        }
    }
}
