@testable import KubeControllerManager
import KubeModel
import Testing

@Suite struct JobIndexIntervalsTests {
    struct SucceededCase: Sendable, CustomTestStringConvertible {
        var label: String
        var previous: String
        var succeeded: [Int]
        var completions: Int
        var wantPrevious: String
        var want: String
        var testDescription: String { label }
    }

    // upstream indexed_job_utils_test.go TestCalculateSucceededIndexes (indexes of succeeded
    // pods below completions).
    static let succeededCases: [SucceededCase] = [
        SucceededCase(label: "one index", previous: "", succeeded: [1], completions: 2, wantPrevious: "", want: "1"),
        SucceededCase(label: "two separate", previous: "", succeeded: [5, 10], completions: 11, wantPrevious: "", want: "5,10"),
        SucceededCase(label: "two intervals", previous: "", succeeded: [2, 3, 5, 6, 7], completions: 8, wantPrevious: "", want: "2,3,5-7"),
        SucceededCase(label: "one index and one interval", previous: "", succeeded: [0, 2, 3, 4, 5], completions: 6,
                      wantPrevious: "", want: "0,2-5"),
        SucceededCase(label: "prev interval out of range", previous: "0-5,8-10", succeeded: [], completions: 8,
                      wantPrevious: "0-5", want: "0-5"),
        SucceededCase(label: "prev interval partially out of range", previous: "0-5,8-10", succeeded: [], completions: 10,
                      wantPrevious: "0-5,8,9", want: "0-5,8,9"),
        SucceededCase(label: "prev and new separate", previous: "0,4,5,10-12", succeeded: [2, 7, 8], completions: 13,
                      wantPrevious: "0,4,5,10-12", want: "0,2,4,5,7,8,10-12"),
        SucceededCase(label: "prev between new", previous: "3,4,6", succeeded: [2, 7, 8], completions: 9,
                      wantPrevious: "3,4,6", want: "2-4,6-8"),
        SucceededCase(label: "new between prev", previous: "2,7,8", succeeded: [3, 4, 6], completions: 9,
                      wantPrevious: "2,7,8", want: "2-4,6-8"),
        SucceededCase(label: "new within prev", previous: "2-7", succeeded: [0, 3, 5, 9], completions: 10,
                      wantPrevious: "2-7", want: "0,2-7,9"),
        SucceededCase(label: "corrupted interval", previous: "0,1-foo,bar", succeeded: [3], completions: 4,
                      wantPrevious: "0", want: "0,3"),
    ]

    @Test(arguments: succeededCases)
    func succeededIndexes(_ testCase: SucceededCase) {
        let previous = JobIndexIntervals.parse(testCase.previous, completions: testCase.completions)
        #expect(previous.description == testCase.wantPrevious)
        #expect(previous.adding(testCase.succeeded).description == testCase.want)
    }

    @Test func totalAndContains() {
        let intervals = JobIndexIntervals.parse("1,3-5,9", completions: 10)
        #expect(intervals.total == 5)
        #expect([0, 1, 2, 3, 4, 5, 6, 9].map(intervals.contains) == [false, true, false, true, true, true, false, true])
    }

    struct PendingCase: Sendable, CustomTestStringConvertible {
        var label: String
        var completions: Int
        var count: Int
        var active: [Int] = []
        var succeeded = ""
        var failed: String?
        var terminating: [Int] = []
        var onlyReplaceFailed = false
        var want: [Int]
        var testDescription: String { label }
    }

    // upstream TestFirstPendingIndexes.
    static let pendingCases: [PendingCase] = [
        PendingCase(label: "cnt greater than completions", completions: 5, count: 10, want: [0, 1, 2, 3, 4]),
        PendingCase(label: "cnt less than completions", completions: 20, count: 2, want: [0, 1]),
        PendingCase(label: "first pods active", completions: 10, count: 3, active: [0, 1], want: [2, 3, 4]),
        PendingCase(label: "last pods active or succeeded", completions: 6, count: 6, active: [4, 5], succeeded: "3",
                    want: [0, 1, 2]),
        PendingCase(label: "mixed", completions: 15, count: 5, active: [1, 5, 9], succeeded: "3,4,6-8", want: [0, 2, 10, 11, 12]),
        PendingCase(label: "with failed indexes", completions: 9, count: 5, active: [3], succeeded: "0", failed: "1,2,5-7",
                    want: [4, 8]),
        PendingCase(label: "with terminating pods and only failed pods replaced", completions: 9, count: 5, active: [3],
                    succeeded: "0", terminating: [1, 2], onlyReplaceFailed: true, want: [4, 5, 6, 7, 8]),
        PendingCase(label: "terminating pods are replaced otherwise", completions: 9, count: 5, active: [3],
                    succeeded: "0", terminating: [1, 2], want: [1, 2, 4, 5, 6]),
    ]

    @Test(arguments: pendingCases)
    func firstPendingIndexes(_ testCase: PendingCase) {
        var job = JobFixtures.job(parallelism: Int32(testCase.count), completions: Int32(testCase.completions), indexed: true)
        if testCase.onlyReplaceFailed { job.spec.podReplacementPolicy = "Failed" }
        let active = testCase.active.map { JobFixtures.pod("active-\($0)", of: job, phase: "Running", index: String($0)) }
        let terminating = testCase.terminating.map {
            JobFixtures.pod("terminating-\($0)", of: job, phase: "Running", index: String($0), deleting: true)
        }
        var state = JobSyncState(job: job, pods: active + terminating, activePods: active, expectedRemovedFinalizers: [],
                                 uncountedSucceeded: [], uncountedFailed: [], terminating: Int32(terminating.count), ready: 0)
        state.succeededIndexes = JobIndexIntervals.parse(testCase.succeeded, completions: testCase.completions)
        state.failedIndexes = testCase.failed.map { JobIndexIntervals.parse($0, completions: testCase.completions) }
        #expect(JobController.firstPendingIndexes(state, count: testCase.count) == testCase.want)
    }

    @Test func successPolicyRules() {
        let policy = BatchV1.SuccessPolicy(rules: [
            BatchV1.SuccessPolicyRule(succeededIndexes: "0-2"),
            BatchV1.SuccessPolicyRule(succeededCount: 2, succeededIndexes: "5-9"),
        ])
        let some = JobIndexIntervals.parse("0,1", completions: 10)
        #expect(JobController.matchSuccessPolicy(policy, completions: 10, succeeded: some) == nil)
        #expect(JobController.matchSuccessPolicy(policy, completions: 10, succeeded: some.adding([2])) == "Matched rules at index 0")
        #expect(JobController.matchSuccessPolicy(policy, completions: 10, succeeded: JobIndexIntervals.parse("6,8", completions: 10))
                == "Matched rules at index 1")
    }
}
