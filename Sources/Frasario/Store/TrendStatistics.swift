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

    /// Two-sided exact Poisson test: is `observed` a plausible draw from a Poisson count with
    /// mean `expected`? Twice the smaller tail, capped at 1.
    static func poissonPValue(observed: Int, expected: Double) -> Double {
        guard expected > 0 else { return observed == 0 ? 1 : 0 }
        let upper = poissonUpperTail(observed, mean: expected)       // P(X ≥ observed)
        let lower = 1 - poissonUpperTail(observed + 1, mean: expected) // P(X ≤ observed)
        return min(1, 2 * min(upper, lower))
    }

    /// P(X ≥ k) for X ~ Poisson(mean): the regularized lower incomplete gamma P(k, mean).
    static func poissonUpperTail(_ k: Int, mean: Double) -> Double {
        guard k > 0 else { return 1 }
        return regularizedLowerGamma(Double(k), mean)
    }

    /// P(a, x) by its series for x < a + 1, by the continued fraction of Q otherwise
    /// (Numerical Recipes, 6.2); accurate to ~1e-12 for the counts we meet.
    static func regularizedLowerGamma(_ a: Double, _ x: Double) -> Double {
        guard x > 0 else { return 0 }
        let logPrefix = a * log(x) - x - lgamma(a)
        if x < a + 1 {
            var term = 1 / a, sum = term, denominator = a
            for _ in 0..<10_000 {
                denominator += 1
                term *= x / denominator
                sum += term
                if abs(term) < abs(sum) * 1e-15 { break }
            }
            return min(1, sum * exp(logPrefix))
        }
        // Lentz's method for the continued fraction of Q(a, x).
        let tiny = 1e-300
        var b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d
        for i in 1...10_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-15 { break }
        }
        return max(0, 1 - exp(logPrefix) * h)
    }

    /// Rounds to `digits` significant digits, so reports print stable, readable p-values.
    static func significant(_ value: Double, digits: Int = 3) -> Double {
        guard value != 0, value.isFinite else { return value }
        let magnitude = pow(10, Double(digits) - ceil(log10(abs(value))))
        return (value * magnitude).rounded() / magnitude
    }
}
