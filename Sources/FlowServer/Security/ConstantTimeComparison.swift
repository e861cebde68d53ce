/// Compares `candidate` with `secret` in time that depends only on the secret's length, so a caller cannot
/// learn how many leading bytes of a guess were right.
func constantTimeEquals(_ candidate: [UInt8], _ secret: [UInt8]) -> Bool {
    var difference: UInt8 = candidate.count == secret.count ? 0 : 1
    for index in secret.indices {
        let byte = index < candidate.count ? candidate[index] : ~secret[index]
        difference |= byte ^ secret[index]
    }
    return difference == 0
}
