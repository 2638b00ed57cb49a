import AnalysisTraces
import Testing

@Suite struct DatasetSplitTests {
    static let defaultRatios: [Split: Double] = [.train: 0.8, .val: 0.1, .test: 0.1]
    static let ids = (1...20).map { "dataset_\($0)" }

    @Test func everyDatasetGetsExactlyOneSplit() {
        let assignment = DatasetSplit(ratios: Self.defaultRatios, seed: 7).assign(Self.ids + Self.ids)
        #expect(Set(assignment.keys) == Set(Self.ids))
        #expect(assignment.values.filter { $0 == .train }.count == 16)
        #expect(assignment.values.filter { $0 == .val }.count == 2)
        #expect(assignment.values.filter { $0 == .test }.count == 2)
    }

    @Test func theSameIdsAndSeedGiveTheSameAssignmentInAnyOrder() {
        let split = DatasetSplit(ratios: Self.defaultRatios, seed: 3)
        #expect(split.assign(Self.ids) == split.assign(Self.ids.reversed()))
    }

    @Test func anotherSeedGivesAnotherAssignment() {
        let one = DatasetSplit(ratios: Self.defaultRatios, seed: 1).assign(Self.ids)
        let two = DatasetSplit(ratios: Self.defaultRatios, seed: 2).assign(Self.ids)
        #expect(one != two)
    }

    @Test(arguments: [(1, [1, 0, 0]), (2, [2, 0, 0]), (4, [3, 1, 0]), (8, [6, 1, 1]), (10, [8, 1, 1])])
    func fewDatasetsAreApportionedWithTrainFirst(count: Int, expected: [Int]) {
        let counts = DatasetSplit(ratios: Self.defaultRatios, seed: 0).counts(for: count)
        #expect(Split.allCases.map { counts[$0] ?? -1 } == expected)
    }

    @Test func trainGetsADatasetEvenWhenItsShareRoundsToNone() {
        let counts = DatasetSplit(ratios: [.train: 0.1, .val: 0.45, .test: 0.45], seed: 0).counts(for: 2)
        #expect(counts[.train] == 1)
        #expect(counts.values.reduce(0, +) == 2)
    }

    @Test(arguments: ["0.8,0.1,0.1", "1,0,0", " 0.5 , 0.25 , 0.25 "])
    func validRatiosParse(text: String) {
        #expect(DatasetSplit.parseRatios(text) != nil)
    }

    @Test(arguments: ["0.8,0.2", "0.5,0.5,0.5", "0,0.5,0.5", "a,b,c", "0.9,-0.1,0.2", ""])
    func invalidRatiosAreRejected(text: String) {
        #expect(DatasetSplit.parseRatios(text) == nil)
    }
}
