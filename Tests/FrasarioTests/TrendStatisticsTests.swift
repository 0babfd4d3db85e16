import Foundation
import Testing

@testable import Frasario

/// The significance tests on every size of figure a night can bring: a p-value is a number in
/// [0, 1], never NaN (a NaN stops report.json from being written at all).
@Suite("Trend statistics: p-values are numbers for any figures")
struct TrendStatisticsTests {
    static let observed = [0, 1, 2, 3, 10, 99, 1_000, 9_999, 20_000, 150_000, 2_000_000]
    static let expected = [0.0, 1e-9, 0.001, 0.5, 1, 2.5, 10, 99.5, 1_000, 19_999.5, 20_000.5, 150_000, 1e6, 3e7]

    @Test("Poisson and over-dispersed p-values lie in [0, 1] for calls from 0 to millions")
    func pValuesAreNumbers() {
        var bad: [String] = []
        for observed in Self.observed {
            for expected in Self.expected {
                for dispersion in [1.0, 1.5, 40] {
                    let p = TrendAnalysis.pValue(observed: observed, expected: expected, dispersion: dispersion)
                    if !(p.isFinite && p >= 0 && p <= 1) { bad.append("observed \(observed), expected \(expected), dispersion \(dispersion): \(p)") }
                }
                let tail = TrendStatistics.poissonUpperTail(observed, mean: expected)
                if !(tail.isFinite && tail >= 0 && tail <= 1) { bad.append("upper tail \(observed), \(expected): \(tail)") }
            }
        }
        #expect(bad.isEmpty, "\(bad.prefix(10).joined(separator: "\n"))")
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
