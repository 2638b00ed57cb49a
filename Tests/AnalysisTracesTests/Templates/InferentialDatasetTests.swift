import Foundation
import Testing
@testable import AnalysisTraces
import TestSupport

/// Every inferential template on every bundled dataset where it applies: the program must run,
/// submit, hook every step with grounded lines, and rebuild from its parameters.
@Suite(.serialized, .requiresSandbox, .timeLimit(.minutes(10)))
struct InferentialDatasetTests {
    @Test(arguments: BundledDatasets.ids)
    func everyApplicableTemplateRunsOnABundledDataset(id: String) async throws {
        let profile = try await BundledProfiles.shared.profile(id)
        let dataset = try BundledProfiles.dataset(id)
        let csv = BundledDatasets.folder(id).appendingPathComponent("data.csv").path
        let instances = try (InferentialTemplates.all + AnalystTemplates.all).flatMap { template in
            try template.parameterSets(for: profile).map { try template.instantiate($0) }
        }
        let failures = try await ProfileTestSandbox.withWorker(csvPath: csv, loader: dataset.loader) { worker in
            var failures: [String] = []
            for instance in instances {
                let run = try await TemplateExecution.run(instance, on: worker)
                if run.rejection != nil { continue }  // its validity check said no: nothing to check
                if let failure = run.failure {
                    failures.append(failure)
                    continue
                }
                failures += InferentialChecks.problems(of: run, instance: instance)
            }
            return failures
        }
        InferentialChecks.report("\(id): \(instances.count - failures.count)/\(instances.count) inferential instances executed")
        for failure in failures { Issue.record("\(id): \(failure)") }
        #expect(Double(instances.count - failures.count) >= 0.9 * Double(instances.count))
    }
}
