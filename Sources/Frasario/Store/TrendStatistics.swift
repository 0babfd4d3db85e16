import Foundation

/// The significance tests behind trend arrows and emerging phrases. Calls are counts, so
/// tests are on counts: a change of 1 to 3 calls is noise, 10 to 30 is news.
enum TrendStatistics {
    /// Two-sided p-value of a two-proportion z-test (pooled): did the share of calls change
    /// between two runs? `x1` of `n1` calls against `x0` of `n0`.
    static func twoProportionPValue(_ x1: Int, of n1: Int, versus x0: Int, of n0: Int) -> Double {
        guard n1 > 0, n0 > 0 else { return 1 }
        let pooled = Double(x1 + x0) / Double(n1 + n0)
        guard pooled > 0, pooled < 1 else { return 1 }
        let standardError = (pooled * (1 - pooled) * (1 / Double(n1) + 1 / Double(n0))).squareRoot()
        let z = (Double(x1) / Double(n1) - Double(x0) / Double(n0)) / standardError
        return min(1, erfc(abs(z) / 2.0.squareRoot()))
    }

    /// Two-sided exact test of two Poisson rates (the conditional binomial test): `observed`
    /// calls of `exposure` calls processed tonight against `baseline` calls of
    /// `baselineExposure` on the baseline nights. Given their sum, tonight's calls are
    /// binomial with tonight's share of the exposure when the rates are equal; both counts are
    /// estimated, so a baseline of a few calls (or none) does not pass for a known rate.
    /// `dispersion` (at least 1) divides both counts, as a quasi-Poisson test does: nights that
    /// vary more than Poisson counts weigh less. Counts may be fractional (an unknown night
    /// imputed): the binomial tails are regularized incomplete beta functions.
    static func rateRatioPValue(
        observed: Double, exposure: Int, baseline: Double, baselineExposure: Int, dispersion: Double = 1
    ) -> Double {
        guard exposure > 0, baselineExposure > 0, observed >= 0, baseline >= 0 else { return 1 }
        let scale = max(1, dispersion.isFinite ? dispersion : 1)
        let tonight = observed / scale, total = (observed + baseline) / scale
        guard total > 0 else { return 1 }
        let share = Double(exposure) / Double(exposure + baselineExposure)
        // P(X ≥ tonight) and P(X ≤ tonight) for X ~ Binomial(total, share).
        let upper = tonight <= 0 ? 1 : regularizedBeta(share, tonight, total - tonight + 1)
        let lower = tonight >= total ? 1 : 1 - regularizedBeta(share, tonight + 1, total - tonight)
        let pValue = 2 * min(upper, lower)
        return pValue.isFinite ? min(1, max(0, pValue)) : 1
    }

    /// I_x(a, b), the regularized incomplete beta function, by its continued fraction
    /// (Numerical Recipes, 6.4, with the symmetry for x past the mean).
    static func regularizedBeta(_ x: Double, _ a: Double, _ b: Double) -> Double {
        guard x > 0 else { return 0 }
        guard x < 1 else { return 1 }
        let logGammas: Double = lgamma(a + b) - lgamma(a) - lgamma(b)
        let logPowers: Double = a * log(x) + b * log(1 - x)
        let logFront = logGammas + logPowers
        if x < (a + 1) / (a + b + 2) { return min(1, max(0, exp(logFront) * betaFraction(x, a, b) / a)) }
        return min(1, max(0, 1 - exp(logFront) * betaFraction(1 - x, b, a) / b))
    }

    /// The continued fraction of the incomplete beta function, by Lentz's method.
    private static func betaFraction(_ x: Double, _ a: Double, _ b: Double) -> Double {
        let tiny = 1e-300
        var c = 1.0, d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...10_000 {
            let step = Double(m)
            var term = step * (b - step) * x / ((a + 2 * step - 1) * (a + 2 * step))
            d = 1 + term * d
            if abs(d) < tiny { d = tiny }
            c = 1 + term / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            term = -(a + step) * (a + b + step) * x / ((a + 2 * step) * (a + 2 * step + 1))
            d = 1 + term * d
            if abs(d) < tiny { d = tiny }
            c = 1 + term / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-15 { break }
        }
        return h
    }

    /// Mann–Kendall test for a monotonic trend in `values` (in time order): S, the number of
    /// rising pairs minus falling pairs, and its two-sided p-value from the normal
    /// approximation with continuity and tie corrections. A single spike moves S little.
    static func mannKendallPValue(_ values: [Double]) -> (statistic: Int, pValue: Double) {
        let n = values.count
        guard n >= 3 else { return (0, 1) }
        var statistic = 0
        for i in 0..<(n - 1) {
            for j in (i + 1)..<n where values[j] != values[i] { statistic += values[j] > values[i] ? 1 : -1 }
        }
        var tieGroups: [Double: Int] = [:]
        for value in values { tieGroups[value, default: 0] += 1 }
        let ties = tieGroups.values.reduce(0.0) { total, size in
            let t = Double(size)
            return total + t * (t - 1) * (2 * t + 5)
        }
        let count = Double(n)
        let variance = (count * (count - 1) * (2 * count + 5) - ties) / 18
        guard variance > 0, statistic != 0 else { return (statistic, 1) }
        let z = (Double(abs(statistic)) - 1) / variance.squareRoot()
        return (statistic, min(1, erfc(max(z, 0) / 2.0.squareRoot())))
    }

    /// Poisson regression of counts on time with exposure: log E[calls] = log(exposure) + a +
    /// slope × night, fitted by Newton's method. The p-value is the likelihood-ratio test of
    /// slope = 0, divided by the Pearson over-dispersion (at least 1) when there are four or
    /// more points. Nil when there is nothing to fit (no calls at all).
    static func poissonSlope(_ points: [(night: Double, calls: Int, exposure: Int)]) -> (slope: Double, pValue: Double)? {
        let totalCalls = points.reduce(0) { $0 + $1.calls }, totalExposure = points.reduce(0) { $0 + $1.exposure }
        guard points.count >= 3, totalCalls > 0, totalExposure > 0 else { return nil }
        // Centre time so the two parameters are nearly independent.
        let meanNight = points.reduce(0.0) { $0 + $1.night } / Double(points.count)
        let x = points.map { $0.night - meanNight }, y = points.map { Double($0.calls) }
        let logExposure = points.map { log(Double($0.exposure)) }
        let nullIntercept = log(Double(totalCalls) / Double(totalExposure))
        func logLikelihood(_ intercept: Double, _ slope: Double) -> Double {
            var total = 0.0
            for index in points.indices {
                let eta = logExposure[index] + intercept + slope * x[index]
                total += y[index] * eta - exp(eta)
            }
            return total
        }
        var intercept = nullIntercept, slope = 0.0
        for _ in 0..<100 {
            var gradient = (0.0, 0.0), information = (0.0, 0.0, 0.0)
            for index in points.indices {
                let mean = exp(logExposure[index] + intercept + slope * x[index])
                gradient.0 += y[index] - mean
                gradient.1 += x[index] * (y[index] - mean)
                information.0 += mean
                information.1 += x[index] * mean
                information.2 += x[index] * x[index] * mean
            }
            let determinant = information.0 * information.2 - information.1 * information.1
            guard determinant > 1e-12 else { break }
            let stepIntercept = (information.2 * gradient.0 - information.1 * gradient.1) / determinant
            let stepSlope = (information.0 * gradient.1 - information.1 * gradient.0) / determinant
            intercept += stepIntercept
            // Counts that fall to zero push the slope to infinity: bound it (×e⁵ a night is plenty).
            slope = min(5, max(-5, slope + stepSlope))
            if abs(stepIntercept) < 1e-10 && abs(stepSlope) < 1e-10 { break }
        }
        let ratio = max(0, 2 * (logLikelihood(intercept, slope) - logLikelihood(nullIntercept, 0)))
        var dispersion = 1.0
        if points.count >= 4 {
            var pearson = 0.0
            for index in points.indices {
                let mean = exp(logExposure[index] + intercept + slope * x[index])
                if mean > 0 { pearson += (y[index] - mean) * (y[index] - mean) / mean }
            }
            dispersion = max(1, pearson / Double(points.count - 2))
        }
        return (slope, min(1, erfc((ratio / dispersion).squareRoot() / 2.0.squareRoot())))
    }

    /// Rounds to `digits` significant digits, so reports print stable, readable p-values: the
    /// double nearest the rounded decimal, which prints as that decimal («3.09e-54», not
    /// «3.0899999999999997e-54»).
    static func significant(_ value: Double, digits: Int = 3) -> Double {
        guard value != 0, value.isFinite else { return value }
        guard let rounded = Double(String(format: "%.\(max(1, digits))g", value)), rounded.isFinite else { return value }
        return rounded
    }
}
