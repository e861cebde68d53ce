import Testing

@testable import FlowPostgres

@Suite struct LeaseRenewalsTests {
    let start = ContinuousClock.now
    let lease = Duration.seconds(30)

    @Test func leasesAreFreshFromTheStoreStartForFiveSixthsOfALease() {
        let renewals = LeaseRenewals()
        #expect(!renewals.fresh(at: start, lease: lease), "nothing is held before the store starts")
        renewals.started(at: start)
        #expect(renewals.fresh(at: start + .seconds(24), lease: lease))
        #expect(!renewals.fresh(at: start + .seconds(25), lease: lease))
    }

    @Test func aRenewalCountsOnlyOnceAnotherFollowsIt() {
        let renewals = LeaseRenewals()
        renewals.started(at: start)
        renewals.renewed(at: start + .seconds(10))
        // The renewal at 10 s may have skipped a locked row, whose lease still dates from the start.
        #expect(!renewals.fresh(at: start + .seconds(26), lease: lease))
        renewals.renewed(at: start + .seconds(20))
        #expect(renewals.fresh(at: start + .seconds(26), lease: lease))
        #expect(!renewals.fresh(at: start + .seconds(35), lease: lease))
    }

    @Test func anInstanceWokenAfterAPausePastItsLeaseIsStaleUntilTwoRenewalsLater() {
        let renewals = LeaseRenewals()
        renewals.started(at: start)
        renewals.renewed(at: start + .seconds(10))
        let woken = start + .seconds(90)
        #expect(!renewals.fresh(at: woken, lease: lease))
        renewals.renewed(at: woken)
        #expect(!renewals.fresh(at: woken + .milliseconds(10), lease: lease))
        renewals.renewed(at: woken + .seconds(10))
        #expect(renewals.fresh(at: woken + .seconds(10), lease: lease))
    }

    @Test func aLeaseOfZeroIsNeverFresh() {
        let renewals = LeaseRenewals()
        renewals.started(at: start)
        #expect(!renewals.fresh(at: start, lease: .zero))
    }
}
