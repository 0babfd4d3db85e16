import Foundation
import Testing

@testable import Frasario

/// The significance tests on every size of figure a night can bring: a p-value is a number in
/// [0, 1], never NaN (a NaN stops report.json from being written at all).
@Suite("Trend statistics: p-values are numbers for any figures")
struct TrendStatisticsTests {
    static let observed: [Double] = [0, 1, 2, 3, 10, 99, 1_000, 9_999, 20_000, 150_000, 2_000_000, 0.5, 2.75]
    static let exposures = [1, 7, 100, 19_646, 2_000_000]

    @Test("rate-ratio p-values lie in [0, 1] for calls from 0 to millions, over-dispersed or not")
    func pValuesAreNumbers() {
        var bad: [String] = []
        for observed in Self.observed {
            for baseline in Self.observed {
                for exposure in Self.exposures {
                    for dispersion in [1.0, 1.5, 40, .infinity, .nan] {
                        let p = TrendStatistics.rateRatioPValue(
                            observed: observed, exposure: exposure, baseline: baseline, baselineExposure: 7 * exposure, dispersion: dispersion)
                        if !(p.isFinite && p >= 0 && p <= 1) { bad.append("\(observed) vs \(baseline), exposure \(exposure), dispersion \(dispersion): \(p)") }
                    }
                }
            }
        }
        #expect(bad.isEmpty, "\(bad.prefix(10).joined(separator: "\n"))")
    }

    @Test("the rate-ratio test is the exact binomial test of tonight's calls given both nights' sum")
    func rateRatioIsTheExactBinomialTest() {
        // The binomial tails summed term by term, for small counts.
        func binomialTwoSided(_ k: Int, of n: Int, share: Double) -> Double {
            func probability(_ i: Int) -> Double {
                let ways: Double = lgamma(Double(n + 1)) - lgamma(Double(i + 1)) - lgamma(Double(n - i + 1))
                let powers: Double = Double(i) * log(share) + Double(n - i) * log(1 - share)
                return exp(ways + powers)
            }
            let upper = (k...n).reduce(0.0) { $0 + probability($1) }
            let lower = (0...k).reduce(0.0) { $0 + probability($1) }
            return min(1, 2 * min(upper, lower))
        }
        for (tonight, baseline, exposure, baselineExposure) in [(2, 1, 110, 550), (3, 0, 100, 600), (40, 30, 120, 700), (0, 25, 90, 630), (7, 7, 100, 100), (1, 60, 5, 4_000)] {
            let p = TrendStatistics.rateRatioPValue(
                observed: Double(tonight), exposure: exposure, baseline: Double(baseline), baselineExposure: baselineExposure)
            let share = Double(exposure) / Double(exposure + baselineExposure)
            let reference = binomialTwoSided(tonight, of: tonight + baseline, share: share)
            #expect(abs(p - reference) < 1e-9 * max(1, reference) + 1e-12, "\(tonight) vs \(baseline): \(p) against \(reference)")
        }
        // Over-dispersion weakens the evidence, never strengthens it.
        let plain = TrendStatistics.rateRatioPValue(observed: 40, exposure: 120, baseline: 30, baselineExposure: 700)
        let wobbly = TrendStatistics.rateRatioPValue(observed: 40, exposure: 120, baseline: 30, baselineExposure: 700, dispersion: 3)
        #expect(wobbly > plain)
    }

    @Test("the two-proportion test is a number even when a night processed no call")
    func twoProportionIsANumber() {
        for (calls, total, other, otherTotal) in [(0, 0, 0, 0), (5, 10, 0, 0), (0, 0, 3, 7), (19_000, 19_646, 1, 1), (7, 7, 7, 7)] {
            let p = TrendStatistics.twoProportionPValue(calls, of: total, versus: other, of: otherTotal)
            #expect(p.isFinite && p >= 0 && p <= 1, "\(calls)/\(total) vs \(other)/\(otherTotal): \(p)")
        }
    }

    @Test("rounding to significant digits keeps the tiniest p-values a number (a huge move gives 1e-320)")
    func significantDigitsOfTinyValues() {
        for value in [1e-320, 4.9e-324, 1e-300, 0.000123456, 0.5, 1] {
            let rounded = TrendStatistics.significant(value)
            #expect(rounded.isFinite && rounded >= 0 && rounded <= 1, "\(value) → \(rounded)")
        }
        #expect(TrendStatistics.significant(0.000123456) == 0.000123)
        #expect(TrendStatistics.significant(1e-320) == 1e-320)
    }
}
