import Foundation

// The history a report is compared with, and the trends it states.

/// The runs of the history a result was compared with.
public struct HistoryContext: Codable, Sendable, Equatable {
    /// The most recent earlier run, if any.
    public var previousDate: String?
    /// The earlier runs of the trailing baseline (up to 7), oldest first.
    public var baselineDates: [String]
    /// Volume of the baseline runs and of this one (last), oldest first.
    public var runs: [RunPoint]

    public init(previousDate: String?, baselineDates: [String], runs: [RunPoint]) {
        self.previousDate = previousDate
        self.baselineDates = baselineDates
        self.runs = runs
    }
}

public struct RunPoint: Codable, Sendable, Equatable {
    public var date: String
    public var callsRead: Int
    public var callsProcessed: Int

    public init(date: String, callsRead: Int, callsProcessed: Int) {
        self.date = date
        self.callsRead = callsRead
        self.callsProcessed = callsProcessed
    }
}

/// Which way a figure moved against its baseline.
public enum TrendDirection: String, Codable, Sendable {
    /// Significantly above the baseline (p < 0.01).
    case up
    /// Significantly below the baseline.
    case down
    /// Within what chance explains.
    case flat
    /// Absent from every earlier run of the baseline.
    case new
}

/// How a phrase, category or rule moved: against the previous run, against the trailing
/// mean of up to 7 earlier runs, and over up to 14 nights (steady rises and falls). Shares
/// are fractions of calls processed, so nights of different volume compare fairly. A figure
/// the history does not hold is null (unknown), never 0.
public struct Trend: Codable, Sendable, Equatable {
    /// `up`/`down`: tonight against the baseline (p < 0.01), or else a steady move (`steady`).
    public var direction: TrendDirection
    public var previousDate: String
    /// Nil when the history does not hold the previous night's figure.
    public var previousCalls: Int?
    public var previousShare: Double?
    /// Share now minus share in the previous run (0.05 = five points more).
    public var changeVsPrevious: Double?
    /// Two-proportion z-test against the previous run.
    public var pValueVsPrevious: Double?
    public var baselineRuns: Int
    /// Mean calls per baseline run; nil when a baseline night is unknown.
    public var baselineMeanCalls: Double?
    /// Calls over calls processed, across the baseline runs (an unknown night counts as half
    /// the most it could have had).
    public var baselineShare: Double
    public var changeVsBaseline: Double
    /// Share now over baseline share; nil when the baseline never saw it.
    public var ratioVsBaseline: Double?
    /// Test of this run's calls against the baseline share (exact Poisson, or scaled for
    /// over-dispersion): `up`/`down` under 0.01, emerging under 0.001.
    public var pValue: Double
    /// A steady rise or fall over the last nights, when both of its tests pass.
    public var steady: SteadyTrend?
    /// Calls per run, earlier runs (up to 13) then this one, for sparklines; null where unknown.
    public var series: [TrendPoint]
}

/// A move one way night after night: Mann–Kendall on the shares and a Poisson regression on
/// the calls, both under p < 0.01, over at least 5 nights with a known figure.
public struct SteadyTrend: Codable, Sendable, Equatable {
    public var direction: TrendDirection
    /// The first night of the series with a known figure.
    public var fromDate: String
    /// Nights from `fromDate` to tonight, both included.
    public var nights: Int
    public var fromShare: Double
    public var toShare: Double
    /// The fitted change per night (-0.2 = a fifth fewer calls each night).
    public var changePerNight: Double
    /// The larger of the two tests' p-values.
    public var pValue: Double
}

public struct TrendPoint: Codable, Sendable, Equatable {
    public var date: String
    /// Nil when the history does not hold that night's figure.
    public var calls: Int?
    public var callsProcessed: Int
}
