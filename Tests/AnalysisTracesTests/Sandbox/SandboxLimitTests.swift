#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
@testable import AnalysisTraces
import TestSupport

@Suite(.requiresSandbox, .timeLimit(.minutes(10)))
struct SandboxLimitTests {
    @Test func inWorkerAlarmStopsASlowCellAndKeepsTheNamespace() async throws {
        try await withTestWorker { (_, worker) async throws in
            _ = try await worker.run("kept = 'yes'")
            let result = try await worker.run("while True:\n    pass", timeout: .seconds(1))
            #expect(result.execution.timedOut)
            #expect(result.execution.error?.kind == "timeout")
            #expect(!result.execution.stateReset)
            #expect(try await worker.run("kept").execution.result == "'yes'")
        }
    }

    @Test(arguments: [
        "while True:\n    try:\n        while True:\n            x = 1\n    except BaseException:\n        pass",
        "import signal\nsignal.signal(signal.SIGALRM, signal.SIG_IGN)\nwhile True:\n    pass",
        "import signal, time\nsignal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGALRM])\ntime.sleep(60)",
    ])
    func watchdogKillsACellTheAlarmCannotStopAndResetsState(code: String) async throws {
        try await withTestWorker { (_, worker) async throws in
            _ = try await worker.run("kept = 'yes'")
            let result = try await worker.run(code, timeout: .seconds(1))
            #expect(result.execution.timedOut)
            #expect(result.execution.stateReset)
            #expect(result.execution.error?.kind == "timeout")
            #expect(result.execution.error?.message.contains("state was reset") == true)
            let after = try await worker.run("kept")
            #expect(after.execution.error?.kind == "NameError")
            #expect(!after.execution.stateReset)
            #expect(try await worker.run("len(df)").execution.result == "6")
        }
    }

    @Test(arguments: ["import os\nos._exit(1)", "import os\nos.kill(os.getpid(), 9)"])
    func replacesAWorkerThatDiesInACell(code: String) async throws {
        try await withTestWorker { (_, worker) async throws in
            _ = try await worker.run("kept = 1")
            let result = try await worker.run(code)
            #expect(result.execution.error?.kind == "crashed")
            #expect(result.execution.stateReset)
            #expect(!result.execution.timedOut)
            #expect(try await worker.run("kept").execution.error?.kind == "NameError")
            #expect(try await worker.run("1 + 1").execution.result == "2")
        }
    }

    @Test func memoryBombRaisesMemoryErrorAndTheWorkerSurvives() async throws {
        try await withTestWorker { (_, worker) async throws in
            _ = try await worker.run("kept = 1")
            let result = try await worker.run("block = bytearray(64 * 2**30)")
            #expect(result.execution.error?.kind == "memory")
            #expect(!result.execution.stateReset)
            #expect(try await worker.run("kept").execution.result == "1")
        }
    }

    @Test func keepsAnOutputPrefixAndCountsTheRest() async throws {
        try await withTestWorker({ $0.maxOutputBytes = 1000 }) { (_, worker) async throws in
            let result = try await worker.run("print('y' * 5000)")
            #expect(result.execution.error == nil)
            #expect(result.execution.stdout.utf8.count == 1000)
            #expect(result.execution.stdoutDropped == 4001)
        }
    }

    @Test func abortsAnOutputFlood() async throws {
        try await withTestWorker { (_, worker) async throws in
            let result = try await worker.run("while True:\n    print('x' * 1000)")
            #expect(result.execution.error?.kind == "output_limit")
            #expect(result.execution.stdout.utf8.count <= 64 << 10)
            #expect(result.execution.stdoutDropped > 0)
            #expect(!result.execution.stateReset)
        }
    }

    @Test func capsTheSizeOfWrittenFiles() async throws {
        try await withTestWorker({ $0.fileSizeBytes = 1 << 20 }) { (_, worker) async throws in
            let result = try await worker.run("open('/tmp/big', 'wb').write(b'x' * (4 << 20))")
            #expect(result.execution.error?.kind == "OSError")
            #expect(result.execution.error?.message.contains("File too large") == true)
        }
    }

    @Test func recyclesAWorkerAboveItsMemoryLimitBeforeTheNextCell() async throws {
        try await withTestWorker({ $0.workerPSSLimitBytes = 1 << 20 }) { (_, worker) async throws in
            let first = try await worker.run("kept = 1")
            #expect(first.execution.error == nil)
            #expect(!first.execution.stateReset)
            let next = try await worker.run("kept")
            #expect(next.execution.stateReset)
            #expect(next.execution.error?.kind == "NameError")
        }
    }

    @Test func restartsAZygoteThatDied() async throws {
        try await withTestWorker { (sandbox, worker) async throws in
            let host = try #require(await sandbox.hostProcessID())
            let zygotes = SandboxProcessTree.descendants(of: host).filter { SandboxProcessTree.commandLine(of: $0).contains("zygote.py") }
            // The zygote is the zygote.py process whose parent is not one (workers are its children).
            let zygote = try #require(zygotes.first { !zygotes.contains(SandboxProcessTree.parent(of: $0) ?? -1) })
            let started = try #require(SandboxProcessTree.startTime(of: zygote))
            #expect(kill(zygote, SIGKILL) == 0)
            // kill() only queues the signal. Once the zygote (pid 1 of the sandbox's namespace)
            // has stopped running, the kernel has already sent SIGKILL to every worker, so none
            // can answer; until then the worker may still answer the next cell.
            for _ in 0..<1000 where SandboxProcessTree.isRunning(zygote, startedAt: started) {
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(!SandboxProcessTree.isRunning(zygote, startedAt: started))
            let result = try await worker.run("1 + 1")
            #expect(result.execution.stateReset)
            #expect(result.execution.error?.kind == "crashed")
            #expect(try await worker.run("1 + 1").execution.result == "2")
            let another = try await sandbox.makeWorker(seed: 1)
            #expect(try await another.run("len(df)").execution.result == "6")
        }
    }

    @Test func replacesAWorkerThatForgesFramesOnItsSocket() async throws {
        let forgeries = [
            "b'\\xff\\xff\\xff\\xffjunk'",
            "b'\\x00\\x00\\x00\\x05hello'",
            "(lambda body: len(body).to_bytes(4, 'big') + body)(b'{\"id\":999,\"type\":\"result\"}')",
        ]
        try await withTestWorker { (_, worker) async throws in
            for forgery in forgeries {
                let code = """
                    import os, stat
                    for fd in range(3, 256):
                        try:
                            if stat.S_ISSOCK(os.fstat(fd).st_mode):
                                os.write(fd, \(forgery))
                        except OSError:
                            pass
                    import time
                    time.sleep(0.5)
                    """
                let result = try await worker.run(code)
                #expect(result.execution.error?.kind == "crashed", "\(forgery)")
                #expect(result.execution.stateReset)
                #expect(try await worker.run("2 + 2").execution.result == "4")
            }
        }
    }

    @Test func cancellingARunKillsTheCellAndTheNextResultSaysStateWasReset() async throws {
        try await withTestWorker { (_, worker) async throws in
            _ = try await worker.run("kept = 1")
            let task = Task { try await worker.run("import time\ntime.sleep(30)", timeout: .seconds(60)) }
            try await Task.sleep(for: .milliseconds(300))
            task.cancel()
            await #expect(throws: CancellationError.self) { try await task.value }
            let next = try await worker.run("kept")
            #expect(next.execution.stateReset)
            #expect(next.execution.error?.kind == "NameError")
        }
    }
}
