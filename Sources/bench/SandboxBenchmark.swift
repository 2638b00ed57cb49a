import AnalysisTraces
import Foundation
import Logging

/// `bench sandbox`: memory and latency of the zygote design against independent interpreters,
/// measured in one run on a generated CSV. Reports figures; asserts nothing.
struct SandboxBenchmark: Sendable {
    var python: String
    var baselineScript: String
    var workerCounts: [Int]
    var megabytes: Int
    var roundTrips: Int
    var isolation: SandboxIsolation

    /// The cells run twice in every worker (and every baseline process) for "after analysis".
    static let analysisCells = [
        "df.groupby('region')[['price', 'qty']].mean()",
        "df.describe()",
        "df['product'].value_counts()",
        "from sklearn.linear_model import LinearRegression\nLinearRegression().fit(df[['qty', 'discount', 'x1', 'x2']], df['price']).coef_",
    ]

    init(python: String, baselineScript: String, workerCounts: [Int] = [1, 4, 8, 16], megabytes: Int = 10, roundTrips: Int = 2000, isolation: SandboxIsolation = .bubblewrap) {
        self.python = python
        self.baselineScript = baselineScript
        self.workerCounts = workerCounts
        self.megabytes = megabytes
        self.roundTrips = roundTrips
        self.isolation = isolation
    }

    private struct MemoryRow {
        var workers: Int
        var forkIdle: Int
        var forkAfter: Int
        var independentIdle: Int
        var independentAfter: Int
    }

    /// Runs every measurement and returns the printed report.
    func run(logger: Logger) async throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bench-sandbox-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let csv = directory.appendingPathComponent("data.csv").path
        let rows = try Self.writeCSV(to: csv, bytes: megabytes << 20)
        logger.info("Generated the benchmark table.", metadata: ["rows": "\(rows)", "path": "\(csv)"])
        var configuration = SandboxConfiguration(csvPath: csv, python: python, isolation: isolation)
        configuration.workerPSSLimitBytes = Int.max

        var coldStarts: [Double] = []
        var spawns: [Double] = []
        var memory: [MemoryRow] = []
        var roundTripSamples: [Double] = []
        var respawns: [Double] = []
        let clock = ContinuousClock()

        for count in workerCounts {
            let started = clock.now
            let sandbox = try await Sandbox.start(configuration, logger: logger)
            coldStarts.append((clock.now - started).seconds)
            do {
                let host = await sandbox.hostProcessID() ?? 0
                var workers: [SandboxWorker] = []
                for seed in 0..<count {
                    let before = clock.now
                    workers.append(try await sandbox.makeWorker(seed: seed))
                    spawns.append((clock.now - before).seconds)
                }
                for worker in workers { _ = try await worker.run("None") }
                let idle = SandboxProcessTree.totalPSSBytes(of: host)
                for worker in workers {
                    for _ in 0..<2 { for cell in Self.analysisCells { _ = try await worker.run(cell) } }
                }
                let after = SandboxProcessTree.totalPSSBytes(of: host)
                if count == workerCounts.first, let worker = workers.first {
                    for _ in 0..<200 { _ = try await worker.run("1 + 1") }
                    for _ in 0..<roundTrips {
                        let before = clock.now
                        _ = try await worker.run("1 + 1")
                        roundTripSamples.append((clock.now - before).seconds)
                    }
                    for _ in 0..<20 {
                        let before = clock.now
                        _ = try await worker.run("import os\nos._exit(1)")
                        _ = try await worker.run("1 + 1")
                        respawns.append((clock.now - before).seconds)
                    }
                }
                workers.removeAll()
                await sandbox.shutdown()
                let baseline = try await independentProcesses(count: count, csv: csv)
                memory.append(MemoryRow(workers: count, forkIdle: idle, forkAfter: after, independentIdle: baseline.idle, independentAfter: baseline.after))
            } catch {
                await sandbox.shutdown()
                throw error
            }
        }
        return report(rows: rows, coldStarts: coldStarts, spawns: spawns, memory: memory, roundTrips: roundTripSamples, respawns: respawns)
    }

    /// Starts `count` interpreters running the baseline script; returns their total PSS idle
    /// and after the analysis cells.
    private func independentProcesses(count: Int, csv: String) async throws -> (idle: Int, after: Int) {
        var processes: [(Process, Pipe, FileHandle)] = []
        defer {
            for (process, input, _) in processes {
                try? input.fileHandleForWriting.close()
                if process.isRunning { process.terminate() }
                process.waitUntilExit()
            }
        }
        for _ in 0..<count {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: python)
            process.arguments = ["-s", baselineScript, csv]
            process.environment = ["OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "PYTHONHASHSEED": "0", "LANG": "C.UTF-8"]
            let input = Pipe()
            let output = Pipe()
            process.standardInput = input
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            processes.append((process, input, output.fileHandleForReading))
        }
        for (_, _, output) in processes { try await Self.waitForLine("ready", on: output) }
        let idle = processes.compactMap { SandboxProcessTree.pssBytes(of: $0.0.processIdentifier) }.reduce(0, +)
        for (_, input, output) in processes {
            input.fileHandleForWriting.write(Data("cells\n".utf8))
            try await Self.waitForLine("done", on: output)
        }
        let after = processes.compactMap { SandboxProcessTree.pssBytes(of: $0.0.processIdentifier) }.reduce(0, +)
        return (idle, after)
    }

    private static func waitForLine(_ expected: String, on handle: FileHandle) async throws {
        // The read blocks, so it runs on a thread of its own, never on the cooperative pool.
        let line = await withCheckedContinuation { (continuation: CheckedContinuation<String, Never>) in
            Thread {
                var bytes: [UInt8] = []
                while true {
                    let chunk = handle.readData(ofLength: 1)
                    guard let byte = chunk.first else { break }
                    if byte == UInt8(ascii: "\n") { break }
                    bytes.append(byte)
                }
                continuation.resume(returning: String(decoding: bytes, as: UTF8.self))
            }.start()
        }
        guard line == expected else { throw SandboxError.workerDidNotStart(reason: "a baseline process wrote '\(line)'; expected '\(expected)'") }
    }

    /// Writes a deterministic CSV of at least `bytes` bytes with the columns id, date, region,
    /// product, qty, price, discount, x1, x2, flag, comment; returns the number of rows.
    static func writeCSV(to path: String, bytes: Int) throws -> Int {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
        let regions = ["north", "south", "east", "west", "central"]
        let words = ["late", "delivery", "good", "damaged", "refund", "repeat", "customer", "gift", "bulk", "promo"]
        var text = "id,date,region,product,qty,price,discount,x1,x2,flag,comment\n"
        text.reserveCapacity(bytes + 256)
        var row = 0
        while text.utf8.count < bytes {
            row += 1
            let day = Int(next() % 1096)
            let year = 2020 + day / 365
            let month = 1 + (day % 365) / 31 % 12
            let dayOfMonth = 1 + day % 28
            let date = "\(year)-\(month < 10 ? "0" : "")\(month)-\(dayOfMonth < 10 ? "0" : "")\(dayOfMonth)"
            let region = regions[Int(next() % UInt64(regions.count))]
            let product = "P\(Int(next() % 200))"
            let qty = 1 + Int(next() % 50)
            let price = (unit() * 500 * 100).rounded() / 100
            let discount = (unit() * 0.3 * 1000).rounded() / 1000
            let x1 = (unit() * 2 - 1).formatted(.number.precision(.fractionLength(4)))
            let x2 = (unit() * 100).formatted(.number.precision(.fractionLength(3)))
            let flag = next() % 2 == 0 ? "true" : "false"
            let comment = (0..<3).map { _ in words[Int(next() % UInt64(words.count))] }.joined(separator: " ")
            text += "\(row),\(date),\(region),\(product),\(qty),\(price),\(discount),\(x1),\(x2),\(flag),\(comment)\n"
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return row
    }

    private func report(rows: Int, coldStarts: [Double], spawns: [Double], memory: [MemoryRow], roundTrips: [Double], respawns: [Double]) -> String {
        func mb(_ bytes: Int) -> String { String(format: "%.0f", Double(bytes) / 1_048_576) }
        func ms(_ seconds: Double) -> String { String(format: "%.2f", seconds * 1000) }
        func us(_ seconds: Double) -> String { String(format: "%.0f", seconds * 1_000_000) }
        func ratio(_ a: Int, _ b: Int) -> String { b > 0 ? String(format: "%.2fx", Double(a) / Double(b)) : "-" }
        var lines = [
            "sandbox benchmark: \(megabytes) MB CSV, \(rows) rows, isolation \(isolation.rawValue)",
            "",
            "memory (total PSS, MB)     | fork idle | fork after | indep. idle | indep. after | ratio idle | ratio after",
            "---------------------------|-----------|------------|-------------|--------------|------------|------------",
        ]
        for row in memory {
            lines.append(
                "N = \(row.workers)".padding(toLength: 27, withPad: " ", startingAt: 0)
                    + "| \(mb(row.forkIdle).padding(toLength: 10, withPad: " ", startingAt: 0))| \(mb(row.forkAfter).padding(toLength: 11, withPad: " ", startingAt: 0))| \(mb(row.independentIdle).padding(toLength: 12, withPad: " ", startingAt: 0))| \(mb(row.independentAfter).padding(toLength: 13, withPad: " ", startingAt: 0))| \(ratio(row.independentIdle, row.forkIdle).padding(toLength: 11, withPad: " ", startingAt: 0))| \(ratio(row.independentAfter, row.forkAfter))")
        }
        lines.append("")
        lines.append("zygote cold start (start → ready): median \(ms(Self.percentile(coldStarts, 0.5))) ms, max \(ms(coldStarts.max() ?? 0)) ms over \(coldStarts.count) starts")
        lines.append("worker spawn (request → ready):     p50 \(ms(Self.percentile(spawns, 0.5))) ms, p99 \(ms(Self.percentile(spawns, 0.99))) ms over \(spawns.count)")
        lines.append("cell round trip '1 + 1' from Swift: p50 \(us(Self.percentile(roundTrips, 0.5))) µs, p99 \(us(Self.percentile(roundTrips, 0.99))) µs over \(roundTrips.count)")
        lines.append("respawn (crash → new worker → '1 + 1' answered): p50 \(ms(Self.percentile(respawns, 0.5))) ms, p99 \(ms(Self.percentile(respawns, 0.99))) ms over \(respawns.count)")
        lines.append("targets: N = 8 at least 5x less memory idle and 2.5x after analysis; round trip p50 under 500 µs; spawn under 30 ms")
        return lines.joined(separator: "\n")
    }

    static func percentile(_ samples: [Double], _ fraction: Double) -> Double {
        guard !samples.isEmpty else { return 0 }
        let sorted = samples.sorted()
        let index = min(sorted.count - 1, Int((Double(sorted.count - 1) * fraction).rounded()))
        return sorted[index]
    }
}
