/// A share of calls as every report states it: rounded to 0.01 %, 0 of nothing is 0.
enum Share {
    static func of(_ part: Int, in whole: Int) -> Double {
        whole == 0 ? 0 : (Double(part) / Double(whole) * 10_000).rounded() / 10_000
    }
}
