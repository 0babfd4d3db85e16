import Foundation

/// Compares one run with the earlier runs of its history: a trend per phrase, category and
/// rule, and the candidates for emerging phrases.
///
/// The test is on calls (one caller repeating a phrase is one voice). Against the trailing
/// baseline of up to 7 runs, this run's calls are tested as a count whose mean is the
/// baseline's share of calls times this run's calls processed: an exact Poisson test, or,
/// when the baseline runs themselves vary more than Poisson counts do (three runs or more),
/// a normal test with the variance scaled by that over-dispersion, so big phrases that always
/// wobble do not raise alarms. A night where the history did not keep the phrase (below its
/// floor of calls) counts as half the most it could have had.
struct TrendAnalysis {
    /// Earlier runs the baseline averages over.
    static let baselineRuns = 7
    /// A move is `up` or `down` under this p-value.
    static let arrowLevel = 0.01
    /// A phrase emerges under this p-value: hundreds of phrases are tested each night, so the
    /// bar is higher than for one arrow.
    static let emergingLevel = 0.001
    /// Calls a phrase needs tonight to emerge.
    static let emergingMinimumCalls = 3

    let baseline: HistoryBaseline
    let runDate: String
    let callsRead: Int
    let callsProcessed: Int

    /// The trend of an item with `calls` tonight, given its calls in each baseline run (nil:
    /// the history kept none of them) and the floor below which a run did not keep it.
    /// Nil when the history has no earlier run.
    func trend(calls: Int, history: [Int?]?, floors: [Int]) -> Trend? {
        guard let previous = baseline.runs.last else { return nil }
        let nights = baseline.runs.count
        let recorded = history ?? Array(repeating: nil, count: nights)
        // Unknown nights: half the most the phrase could have had there.
        let estimated = recorded.enumerated().map { index, value in value.map(Double.init) ?? Double(max(floors[index] - 1, 0)) / 2 }
        let known = recorded.map { $0 ?? 0 }
        let baselineCalls = baseline.runs.reduce(0) { $0 + $1.callsProcessed }
        let estimatedTotal = estimated.reduce(0, +)
        let baselineShare = baselineCalls == 0 ? 0 : estimatedTotal / Double(baselineCalls)
        let expected = max(baselineShare * Double(callsProcessed), 0.5 * Double(callsProcessed) / Double(max(baselineCalls, 1)))
        let share = PhraseRows.share(calls, of: callsProcessed)
        let previousShare = PhraseRows.share(known.last ?? 0, of: previous.callsProcessed)
        let pValue = Self.pValue(observed: calls, expected: expected,
                                 dispersion: Self.dispersion(estimated, runs: baseline.runs, share: baselineShare))
        var series = zip(baseline.runs, known).map { TrendPoint(date: $0.date, calls: $1, callsProcessed: $0.callsProcessed) }
        series.append(TrendPoint(date: runDate, calls: calls, callsProcessed: callsProcessed))
        let currentShare = Double(calls) / Double(max(callsProcessed, 1))
        var direction = TrendDirection.flat
        if history == nil || recorded.allSatisfy({ $0 == nil }) {
            direction = .new
        } else if pValue < Self.arrowLevel {
            direction = currentShare > baselineShare ? .up : .down
        }
        let previousCalls = known.last ?? 0
        let knownTotal = known.reduce(0, +)
        let pValueVsPrevious = TrendStatistics.twoProportionPValue(calls, of: callsProcessed, versus: previousCalls, of: previous.callsProcessed)
        let meanCalls: Double = (Double(knownTotal) / Double(nights) * 100).rounded() / 100
        var ratio: Double? = nil
        if knownTotal > 0 && baselineShare > 0 { ratio = (currentShare / baselineShare * 100).rounded() / 100 }
        return Trend(
            direction: direction, previousDate: previous.date, previousCalls: previousCalls, previousShare: previousShare,
            changeVsPrevious: Self.rounded(share - previousShare),
            pValueVsPrevious: TrendStatistics.significant(pValueVsPrevious),
            baselineRuns: nights, baselineMeanCalls: meanCalls, baselineShare: Self.rounded(baselineShare),
            changeVsBaseline: Self.rounded(currentShare - baselineShare), ratioVsBaseline: ratio,
            pValue: TrendStatistics.significant(pValue), series: series)
    }

    /// Trends of items keyed in `history` (identity → calls per baseline run) with the same
    /// floor every night (categories and rules are always recorded: floor 0).
    func trends(_ items: [(identity: String, calls: Int)], history: [String: [Int]]) -> [Trend?] {
        let floors = Array(repeating: 0, count: baseline.runs.count)
        return items.map { item in
            trend(calls: item.calls, history: history[item.identity].map { $0.map(Optional.some) }, floors: floors)
        }
    }

    /// Over-dispersion of the baseline runs: their variance over the Poisson variance, at
    /// least 1; 1 with fewer than three runs (too few to tell).
    static func dispersion(_ calls: [Double], runs: [RunPoint], share: Double) -> Double {
        guard calls.count >= 3, share > 0 else { return 1 }
        var chiSquare = 0.0
        for (value, run) in zip(calls, runs) {
            let expected = share * Double(run.callsProcessed)
            guard expected > 0 else { continue }
            chiSquare += (value - expected) * (value - expected) / expected
        }
        return max(1, chiSquare / Double(calls.count - 1))
    }

    static func pValue(observed: Int, expected: Double, dispersion: Double) -> Double {
        guard dispersion > 1 else { return TrendStatistics.poissonPValue(observed: observed, expected: expected) }
        let z = (abs(Double(observed) - expected) - 0.5) / (expected * dispersion).squareRoot()
        return min(1, erfc(max(z, 0) / 2.0.squareRoot()))
    }

    /// The context written into the result: which runs the trends compare with.
    var context: HistoryContext {
        HistoryContext(previousDate: baseline.runs.last?.date, baselineDates: baseline.runs.map(\.date),
                       runs: baseline.runs + [RunPoint(date: runDate, callsRead: callsRead, callsProcessed: callsProcessed)])
    }

    /// Whether a trend makes its phrase emerge: up or new, with strong evidence and a few calls.
    static func emerges(_ trend: Trend, calls: Int) -> Bool {
        (trend.direction == .up || trend.direction == .new) && trend.changeVsBaseline > 0
            && trend.pValue < emergingLevel && calls >= emergingMinimumCalls
    }

    static func rounded(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }
}
