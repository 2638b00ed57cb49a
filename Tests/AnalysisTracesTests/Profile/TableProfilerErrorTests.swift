import Foundation
import Testing
@testable import AnalysisTraces
import TestSupport

@Suite struct TableProfilerErrorTests {
    static func result(error: ExecutionError? = nil, timedOut: Bool = false, events: [SandboxEvent] = []) -> CellResult {
        let execution = Execution(stdout: "", stdoutDropped: 0, stderr: "", stderrDropped: 0, result: nil,
                                  error: error, timedOut: timedOut, stateReset: false)
        return CellResult(execution: execution, events: events, seconds: 0)
    }

    @Test func aFailedCellIsACellFailedErrorNamingTheException() throws {
        let failed = Self.result(error: ExecutionError(kind: "KeyError", message: "'x'", traceback: ""))
        #expect(throws: TableProfilerError.cellFailed(cell: "profile", kind: "KeyError", message: "'x'")) {
            try TableProfiler.submittedValue(failed, cell: "profile")
        }
    }

    @Test func aTimedOutCellIsACellFailedError() throws {
        let error = #expect(throws: TableProfilerError.self) {
            try TableProfiler.submittedValue(Self.result(timedOut: true), cell: "profile")
        }
        guard case .cellFailed(_, let kind, _) = error else {
            Issue.record("expected cellFailed, found \(String(describing: error))")
            return
        }
        #expect(kind == "timeout")
    }

    @Test func aCellWithoutSubmitIsANoSubmissionError() throws {
        #expect(throws: TableProfilerError.noSubmission(cell: "head")) {
            try TableProfiler.submittedValue(Self.result(), cell: "head")
        }
    }

    @Test func theFirstSubmissionIsTheValue() throws {
        let value = try TableProfiler.submittedValue(Self.result(events: [.submit(.int(1)), .submit(.int(2))]), cell: "profile")
        #expect(value == .int(1))
    }

    @Test func aProfileMissingAKeyIsInvalidAndNamesTheKey() throws {
        let column: JSONValue = .object([
            ("name", .string("a")), ("dtype", .string("int64")), ("role", .string("measure")),
            ("reason", .string("a numeric quantity")), ("related", .null), ("missing", .int(0)), ("missing_share", .double(0)), ("unique", .int(3)), ("numeric", .null),
            ("top_values", .null),
        ])
        let value: JSONValue = .object([("rows", .int(3)), ("columns", .array([column]))])
        let error = try #require(#expect(throws: TableProfilerError.self) { try TableProfiler.decodeProfile(value) })
        #expect(error.description.contains("'columns[0].date_range': missing key"))
        #expect(error.description.hasPrefix("table profiler: error:"))
    }

    @Test func anUnknownRoleIsInvalid() throws {
        let column: JSONValue = .object([
            ("name", .string("a")), ("dtype", .string("int64")), ("role", .string("number")),
            ("reason", .string("")), ("related", .null), ("missing", .int(0)), ("missing_share", .double(0)), ("unique", .int(3)), ("numeric", .null),
            ("top_values", .null), ("date_range", .null),
        ])
        let value: JSONValue = .object([("rows", .int(3)), ("columns", .array([column]))])
        #expect(throws: TableProfilerError.self) { try TableProfiler.decodeProfile(value) }
    }

    @Test(.requiresSandbox, .timeLimit(.minutes(10)))
    func aSandboxWithoutTheProfilerModuleFailsWithATypedError() async throws {
        let source = SandboxTestEnvironment.repositoryRoot.appendingPathComponent("Sources/AnalysisTraces/Sandbox/Python")
        let directory = try TemporaryDirectory()
        let folder = directory.url.appendingPathComponent("Python")
        try FileManager.default.copyItem(at: source, to: folder)
        try FileManager.default.removeItem(at: folder.appendingPathComponent("table_profile.py"))
        let outcome: Result<TableProfile, TableProfilerError> = try await ProfileTestSandbox.withWorker(
            csv: "a,b\n1,x\n2,y\n", pythonFolder: folder.path
        ) { worker in
            do {
                return .success(try await TableProfiler.profile(on: worker))
            } catch let error as TableProfilerError {
                return .failure(error)
            }
        }
        guard case .failure(.cellFailed(let cell, let kind, _)) = outcome else {
            Issue.record("expected a cellFailed error, found \(outcome)")
            return
        }
        #expect(cell == "profile")
        #expect(kind == "ModuleNotFoundError")
    }
}
