/// The order every list of the reports uses: most calls first, ties in the order given (which
/// is itself a total order), so no two renderings can disagree.
extension Sequence {
    func mostCallsFirst(_ calls: (Element) -> Int) -> [Element] {
        enumerated().sorted { left, right in
            let (leftCalls, rightCalls) = (calls(left.element), calls(right.element))
            return leftCalls != rightCalls ? leftCalls > rightCalls : left.offset < right.offset
        }.map(\.element)
    }
}
