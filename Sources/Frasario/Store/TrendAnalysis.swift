import Foundation

/// Compares one run with the earlier runs of its history: a trend per phrase, category and
/// rule, and the candidates for emerging phrases.
///
/// The test is on calls (one caller repeating a phrase is one voice). Against the trailing
/// baseline of up to 7 runs, this run's calls and the baseline's are compared as two Poisson
/// counts with their calls processed as exposure: the exact conditional (binomial) test, so a
/// baseline of a few calls, or none, is itself uncertain and 3 calls after a week of silence
/// are not news. When the baseline runs vary more than Poisson counts do (three runs or
/// more, 10 calls a night or more), both counts are divided by that over-dispersion, so big
/// phrases that always wobble do not raise alarms. A night where the history did not keep the
/// phrase (below its floor of calls) is unknown: an arrow up must hold if it had the most it
/// could have had, an arrow down if it had none; the figures shown are those of the test that
/// decided.
struct TrendAnalysis {
    /// Earlier runs the baseline averages over.
    static let baselineRuns = 7
    /// Earlier runs read for steady trends: with tonight, two weeks.
    static let steadyRuns = 13
    /// A move is `up` or `down` under this p-value.
    static let arrowLevel = 0.01
    /// A phrase emerges under this p-value: hundreds of phrases are tested each night, so the
    /// bar is higher than for one arrow.
    static let emergingLevel = 0.001
    /// Calls a phrase needs tonight to emerge.
    static let emergingMinimumCalls = 3
    /// Nights with a known figure (tonight included) a steady trend needs.
    static let steadyMinimumNights = 5

    /// Up to `steadyRuns` earlier runs, oldest first; the last `baselineRuns` are the baseline.
    let baseline: HistoryBaseline
    let runDate: String
    let callsRead: Int
    let callsProcessed: Int

    /// The runs tonight is compared with (the last `baselineRuns` read).
    var baselineWindow: ArraySlice<RunPoint> { baseline.runs.suffix(Self.baselineRuns) }

    /// The trend of an item with `calls` tonight, given its calls in each earlier run read
    /// (nil: unknown, the history does not hold that night's figure) and, per run, the floor
    /// of calls below which a figure may be missing. Nil when the history has no earlier run.
    /// An unknown night is never shown as 0: a rise is tested as if it had the most it could
    /// have had, a fall as if it had none (otherwise half the most); it is null in the series,
    /// and the item is «new» only when every baseline night is known to be 0.
    func trend(calls: Int, history: [Int?]?, floors: [Int]) -> Trend? {
        guard let previous = baseline.runs.last else { return nil }
        let all = history ?? Array(repeating: nil, count: baseline.runs.count)
        let window = baselineWindow
        let offset = baseline.runs.count - window.count
        let recorded = Array(all.suffix(window.count))
        let windowFloors = Array(floors.suffix(window.count))
        let nights = window.count
        let baselineCalls = window.reduce(0) { $0 + $1.callsProcessed }
        let currentShare = Double(calls) / Double(max(callsProcessed, 1))
        // The test against a baseline where each unknown night had `imputed(floor)` calls.
        func test(_ imputed: (Int) -> Double) -> (share: Double, pValue: Double) {
            let estimated = recorded.enumerated().map { index, value in value.map(Double.init) ?? imputed(windowFloors[index]) }
            let total = estimated.reduce(0, +)
            let share = baselineCalls == 0 ? 0 : total / Double(baselineCalls)
            let pValue = TrendStatistics.rateRatioPValue(
                observed: Double(calls), exposure: callsProcessed, baseline: total, baselineExposure: baselineCalls,
                dispersion: Self.dispersion(estimated, runs: Array(window), share: share))
            return (share, pValue)
        }
        // An arrow must hold whatever the unknown nights had: a rise is tested against the most
        // they could have had, a fall against none; a move between the two is no arrow.
        let middle = test { Double(max($0 - 1, 0)) / 2 }
        var chosen = middle
        var claimable = true
        if recorded.contains(where: { $0 == nil }) {
            let most = test { Double(max($0 - 1, 0)) }, least = test { _ in 0 }
            if currentShare > most.share {
                chosen = most
            } else if currentShare < least.share {
                chosen = least
            } else {
                claimable = false
            }
        }
        let baselineShare = chosen.share, pValue = chosen.pValue
        var series = zip(baseline.runs, all).map { TrendPoint(date: $0.date, calls: $1, callsProcessed: $0.callsProcessed) }
        series.append(TrendPoint(date: runDate, calls: calls, callsProcessed: callsProcessed))
        var direction = TrendDirection.flat
        if calls > 0 && recorded.allSatisfy({ $0 == 0 }) {
            direction = .new
        } else if claimable && pValue < Self.arrowLevel {
            direction = currentShare > baselineShare ? .up : .down
        }
        let steady = Self.steadyTrend(Array(series), runsOffset: offset)
        if direction == .flat, let steady { direction = steady.direction }
        let previousCalls = all.last ?? nil
        let known = recorded.compactMap { $0 }
        let meanCalls: Double? = known.count == nights ? (Double(known.reduce(0, +)) / Double(nights) * 100).rounded() / 100 : nil
        var ratio: Double? = nil
        if known.reduce(0, +) > 0 && baselineShare > 0 { ratio = (currentShare / baselineShare * 100).rounded() / 100 }
        let previousShare = previousCalls.map { Share.of($0, in: previous.callsProcessed) }
        let share = Share.of(calls, in: callsProcessed)
        return Trend(
            direction: direction, previousDate: previous.date, previousCalls: previousCalls, previousShare: previousShare,
            changeVsPrevious: previousShare.map { Self.rounded(share - $0) },
            pValueVsPrevious: previousCalls.map {
                TrendStatistics.significant(TrendStatistics.twoProportionPValue(calls, of: callsProcessed, versus: $0, of: previous.callsProcessed))
            },
            baselineRuns: nights, baselineMeanCalls: meanCalls, baselineShare: Self.rounded(baselineShare),
            changeVsBaseline: Self.rounded(currentShare - baselineShare), ratioVsBaseline: ratio,
            pValue: TrendStatistics.significant(pValue), steady: steady, series: series)
    }

    /// A steady rise or fall over the known nights of `series` (tonight last): both a
    /// Mann–Kendall test on the shares (the nights move one way, not one spike) and a Poisson
    /// regression of calls on the night with calls processed as exposure (the move is larger
    /// than counting noise, over-dispersion allowed) under `arrowLevel`.
    static func steadyTrend(_ series: [TrendPoint], runsOffset: Int = 0) -> SteadyTrend? {
        let known = series.enumerated().compactMap { index, point -> (night: Double, calls: Int, exposure: Int, date: String)? in
            guard let calls = point.calls, point.callsProcessed > 0 else { return nil }
            return (Double(index), calls, point.callsProcessed, point.date)
        }
        guard known.count >= steadyMinimumNights, let first = known.first, let last = known.last,
            last.date == series.last?.date, known.contains(where: { $0.calls > 0 })
        else { return nil }
        let kendall = TrendStatistics.mannKendallPValue(known.map { Double($0.calls) / Double($0.exposure) })
        guard kendall.pValue < arrowLevel else { return nil }
        guard let regression = TrendStatistics.poissonSlope(known.map { ($0.night, $0.calls, $0.exposure) }),
            regression.pValue < arrowLevel, (regression.slope > 0) == (kendall.statistic > 0),
            exp(regression.slope).isFinite  // a report states only numbers
        else { return nil }
        return SteadyTrend(
            direction: regression.slope > 0 ? .up : .down, fromDate: first.date, nights: series.count - Int(first.night),
            fromShare: rounded(Double(first.calls) / Double(first.exposure)),
            toShare: rounded(Double(last.calls) / Double(last.exposure)),
            changePerNight: rounded(exp(regression.slope) - 1),
            pValue: TrendStatistics.significant(max(kendall.pValue, regression.pValue)))
    }

    /// Trends of items keyed in `history` (identity → calls per baseline run) with the same
    /// floor every night (categories and rules are always recorded: floor 0).
    func trends(_ items: [(identity: String, calls: Int)], history: [String: [Int]]) -> [Trend?] {
        let floors = Array(repeating: 0, count: baseline.runs.count)
        return items.map { item in
            trend(calls: item.calls, history: history[item.identity].map { $0.map(Optional.some) }, floors: floors)
        }
    }

    /// Baseline calls a night, on average, from which the runs' over-dispersion is estimated:
    /// below it one lively night (a phrase that appeared yesterday) would pass for a phrase that
    /// always wobbles and hide today's rise.
    static let dispersionMinimumMeanCalls = 10.0

    /// Over-dispersion of the baseline runs: their variance over the Poisson variance, at
    /// least 1; 1 with fewer than three runs or fewer than `dispersionMinimumMeanCalls` a
    /// night (too few to tell).
    static func dispersion(_ calls: [Double], runs: [RunPoint], share: Double) -> Double {
        guard calls.count >= 3, share > 0, calls.reduce(0, +) / Double(calls.count) >= dispersionMinimumMeanCalls else { return 1 }
        var chiSquare = 0.0
        for (value, run) in zip(calls, runs) {
            let expected = share * Double(run.callsProcessed)
            guard expected > 0 else { continue }
            chiSquare += (value - expected) * (value - expected) / expected
        }
        return max(1, chiSquare / Double(calls.count - 1))
    }

    /// The context written into the result: which runs the trends compare with.
    var context: HistoryContext {
        HistoryContext(
            previousDate: baseline.runs.last?.date, baselineDates: baselineWindow.map(\.date),
            runs: baseline.runs + [RunPoint(date: runDate, callsRead: callsRead, callsProcessed: callsProcessed)])
    }

    /// Whether a trend makes its phrase emerge: up or new, with strong evidence and a few calls.
    static func emerges(_ trend: Trend, calls: Int) -> Bool {
        (trend.direction == .up || trend.direction == .new) && trend.changeVsBaseline > 0
            && trend.pValue < emergingLevel && calls >= emergingMinimumCalls
    }

    static func rounded(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }
}
