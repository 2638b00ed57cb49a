#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
@testable import AnalysisTraces
import TestSupport

@Suite(.requiresSandbox, .timeLimit(.minutes(10)))
struct SandboxProtocolTests {
    @Test func reportsTheTableAndLibraryVersions() async throws {
        try await withTestWorker { (sandbox, _) async throws in
            let table = await sandbox.table
            #expect(table.rows == 6)
            #expect(table.columns == ["id", "group", "value", "label"])
            #expect(table.dtypes["value"] == "float64")
            let versions = await sandbox.versions
            #expect(versions["pandas"] == "3.1.1")
            #expect(versions["python"] != nil)
        }
    }

    @Test func capturesStdoutStderrAndTheTrailingExpression() async throws {
        try await withTestWorker { (_, worker) async throws in
            let result = try await worker.run("import sys\nprint('hello')\nprint('oops', file=sys.stderr)\n40 + 2")
            #expect(result.execution.stdout == "hello\n")
            #expect(result.execution.stderr == "oops\n")
            #expect(result.execution.result == "42")
            #expect(result.execution.error == nil)
            #expect(result.execution.succeeded)
        }
    }

    @Test func givesNoResultForStatementsOrNone() async throws {
        try await withTestWorker { (_, worker) async throws in
            #expect(try await worker.run("x = 1").execution.result == nil)
            #expect(try await worker.run("None").execution.result == nil)
            #expect(try await worker.run("df.shape").execution.result == "(6, 4)")
        }
    }

    @Test func reportsErrorsWithKindMessageAndACellOnlyTraceback() async throws {
        try await withTestWorker { (_, worker) async throws in
            let result = try await worker.run("d = {}\nd['missing']")
            let error = try #require(result.execution.error)
            #expect(error.kind == "KeyError")
            #expect(error.message.contains("missing"))
            #expect(error.traceback.contains("<cell>"))
            #expect(!error.traceback.contains("sandbox_worker.py"))
            #expect(!result.execution.stateReset)

            let syntax = try await worker.run("def (")
            #expect(syntax.execution.error?.kind == "syntax")
        }
    }

    @Test func deliversHookAndSubmitEventsInOrder() async throws {
        try await withTestWorker { (_, worker) async throws in
            let result = try await worker.run("""
                m = df['value'].max()
                hook(m, "m = df['value'].max()", name='m', depends_on=['df'], description='largest value')
                hook(float('nan'), 'n = nan')
                submit({'max': m, 'rows': len(df)})
                """)
            #expect(result.execution.error == nil)
            #expect(result.events == [
                .hook(name: "m", codeLine: "m = df['value'].max()", value: .double(12.5), dependsOn: ["df"], description: "largest value"),
                .hook(name: nil, codeLine: "n = nan", value: .object([("$float", .string("nan"))]), dependsOn: [], description: nil),
                .submit(.object([("max", .double(12.5)), ("rows", .int(6))])),
            ])
        }
    }

    @Test func printingAMarkerDoesNotCreateAnEvent() async throws {
        try await withTestWorker { (_, worker) async throws in
            let result = try await worker.run(#"print('{"type":"submit","value":42}')"#)
            #expect(result.events.isEmpty)
            #expect(result.execution.stdout.contains("submit"))
        }
    }

    @Test func loneSurrogatesBecomeReplacementCharactersInAValidFrame() async throws {
        try await withTestWorker { (_, worker) async throws in
            let result = try await worker.run(#"""
                class Odd:
                    def __repr__(self):
                        return 'r\ud800'
                print('\ud800')
                submit({'k\udc00': 'v\ud800'})
                hook('\ud83d', 'x = 1', name='n\udfff', description='d\ud800')
                Odd()
                """#)
            #expect(!result.execution.stateReset)
            #expect(result.execution.error == nil)
            #expect(result.execution.stdout == "\\ud800\n")
            #expect(result.execution.result == "r\u{FFFD}")
            #expect(result.events == [
                .submit(.object([("k\u{FFFD}", .string("v\u{FFFD}"))])),
                .hook(name: "n\u{FFFD}", codeLine: "x = 1", value: .string("\u{FFFD}"), dependsOn: [], description: "d\u{FFFD}"),
            ])
            let raised = try await worker.run("raise ValueError('bad \\udfff here')")
            #expect(!raised.execution.stateReset)
            #expect(raised.execution.error?.kind == "ValueError")
            #expect(raised.execution.error?.message == "bad \u{FFFD} here")
            #expect(try await worker.run("1 + 1").execution.result == "2")
        }
    }

    @Test func keepsVariablesFromOneCellToTheNext() async throws {
        try await withTestWorker { (_, worker) async throws in
            _ = try await worker.run("total = float(df['value'].sum())\nitems = [1, 2]")
            _ = try await worker.run("items.append(3)")
            let result = try await worker.run("(total, items)")
            #expect(result.execution.result == "(29.5, [1, 2, 3])")
        }
    }

    @Test func resetRestoresACleanNamespaceAndTheOriginalTable() async throws {
        try await withTestWorker { (_, worker) async throws in
            _ = try await worker.run("x = 1\ndf['extra'] = 1\ndf.loc[0, 'value'] = -100.0")
            try await worker.reset()
            let gone = try await worker.run("x")
            #expect(gone.execution.error?.kind == "NameError")
            #expect(!gone.execution.stateReset)
            let table = try await worker.run("(list(df.columns), df.loc[0, 'value'])")
            #expect(table.execution.result == "(['id', 'group', 'value', 'label'], np.float64(1.5))")
        }
    }

    @Test func workersDoNotSeeEachOthersState() async throws {
        try await withTestWorker { (sandbox, first) async throws in
            let second = try await sandbox.makeWorker(seed: 0)
            _ = try await first.run("secret = 7\ndf.loc[0, 'value'] = 99.0")
            let result = try await second.run("secret")
            #expect(result.execution.error?.kind == "NameError")
            #expect(try await second.run("df.loc[0, 'value']").execution.result == "np.float64(1.5)")
            #expect(try await first.run("secret").execution.result == "7")
        }
    }

    @Test func seedsEveryWorkerTheSameWay() async throws {
        try await withTestWorker { (sandbox, first) async throws in
            let second = try await sandbox.makeWorker(seed: 0)
            let code = "import random\n(random.random(), float(np.random.rand()))"
            let a = try await first.run(code).execution.result
            let b = try await second.run(code).execution.result
            #expect(a != nil)
            #expect(a == b)
        }
    }

    @Test func runsTheSameZygoteWithoutBubblewrapInTheUnsafeMode() async throws {
        try await withTestWorker({ $0.isolation = .unsafeNone }) { (sandbox, worker) async throws in
            let result = try await worker.run("import os\n(len(df), os.path.exists('/data/data.csv'))")
            #expect(result.execution.result == "(6, False)")
            let host = try #require(await sandbox.hostProcessID())
            #expect(SandboxProcessTree.commandLine(of: host).contains("zygote.py"))
        }
    }

    @Test func leavesNoProcessBehindAfterShutdown() async throws {
        let processes: [(pid: Int32, started: UInt64, command: String)] = try await withTestWorker { (sandbox, worker) async throws in
            let second = try await sandbox.makeWorker(seed: 1)
            _ = try await worker.run("1")
            _ = try await second.run("1")
            let host = try #require(await sandbox.hostProcessID())
            return ([host] + SandboxProcessTree.descendants(of: host)).compactMap { pid in
                SandboxProcessTree.startTime(of: pid).map { (pid, $0, SandboxProcessTree.commandLine(of: pid)) }
            }
        }
        #expect(processes.count >= 4, "expected bubblewrap, the zygote and two workers; found \(processes.map(\.command))")
        // Shutdown returns once bubblewrap has exited, and bubblewrap (--as-pid-1) exits only
        // after the zygote, pid 1 of the sandbox's pid namespace, has been reaped, which the
        // kernel allows only once every other process of the namespace is gone: nothing is left,
        // not even a zombie, without waiting. A pid can be reused, so a process is its pid and
        // its start time.
        let left = processes.filter { SandboxProcessTree.startTime(of: $0.pid) == $0.started }
        #expect(left.isEmpty, "still there: \(left.map { "\($0.pid) \($0.command)" })")
    }
}
