import AnalysisTraces
import ArgumentParser
import Foundation

/// `bench jsonl`: Swift's gzip JSON Lines against Python's json + gzip on the same records.
struct JSONLinesBenchmark {
    let records: Int
    let level: Int
    let python: String?
    let script: String

    struct Side {
        var name: String
        var writeSeconds: Double
        var writeBytes: Int
        var readSeconds: Double
        var readBytes: Int
        var fileBytes: Int
        /// Swift only: seconds of the parts, each measured in a pass of its own.
        var parts: [(name: String, seconds: Double)] = []

        var writeMBps: Double { Double(writeBytes) / 1e6 / writeSeconds }
        var readMBps: Double { Double(readBytes) / 1e6 / readSeconds }
    }

    struct Report {
        var records: Int
        var level: Int
        var swift: Side
        var python: Side?

        var table: String {
            func row(_ name: String, _ a: String, _ b: String, _ c: String) -> String {
                name.padding(toLength: 22, withPad: " ", startingAt: 0)
                    + a.leftPadded(14) + b.leftPadded(20) + c.leftPadded(14)
            }
            let average = swift.writeBytes / max(records, 1)
            var lines = [
                "bench jsonl: \(records) episode records, \(format(Double(swift.writeBytes) / 1e6, 1)) MB of JSON "
                    + "(\(average) B a record), gzip level \(level); MB/s of uncompressed JSON, wall clock",
                row("", "write MB/s", "read+decode MB/s", "file MB"),
            ]
            for side in [swift] + (python.map { [$0] } ?? []) {
                lines.append(row(side.name, format(side.writeMBps, 1), format(side.readMBps, 1), format(Double(side.fileBytes) / 1e6, 1)))
            }
            if !swift.parts.isEmpty {
                let parts = swift.parts.map { "\($0.name) \(format(Double(swift.readBytes) / 1e6 / $0.seconds, 1))" }
                lines.append("swift parts, MB/s: " + parts.joined(separator: ", "))
            }
            if let python {
                // Same records on both sides, so the ratio of times is the ratio of record throughput.
                lines.append(row("ratio swift/python", format(python.writeSeconds / swift.writeSeconds, 2) + "x",
                                 format(python.readSeconds / swift.readSeconds, 2) + "x", ""))
                lines.append("targets: read+decode >= 1.5x, write >= 1.0x")
            }
            return lines.joined(separator: "\n")
        }
    }

    /// The first `python3` on PATH that is not a pyenv shim (a bash script that adds ~90 ms a start).
    static func findPython() throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") where !directory.contains("shims") {
            let candidate = "\(directory)/python3"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw ValidationError("no python3 on PATH outside pyenv shims; pass '--python PATH' or '--swift-only'")
    }

    func run(directory: String?) throws -> Report {
        let workDirectory = directory ?? FileManager.default.temporaryDirectory.path + "/bench-jsonl-\(getpid())"
        try FileManager.default.createDirectory(atPath: workDirectory, withIntermediateDirectories: true)
        defer { if directory == nil { try? FileManager.default.removeItem(atPath: workDirectory) } }
        let swiftPath = workDirectory + "/swift.jsonl.gz"
        let pythonPath = workDirectory + "/python.jsonl.gz"

        var swift = try measureSwift(path: swiftPath)
        swift.fileBytes = try fileSize(swiftPath)
        var report = Report(records: records, level: level, swift: swift, python: nil)
        if let python {
            report.python = try measurePython(python, input: swiftPath, output: pythonPath)
        }
        return report
    }

    private func measureSwift(path: String) throws -> Side {
        let clock = ContinuousClock()
        var side = Side(name: "swift", writeSeconds: 0, writeBytes: 0, readSeconds: 0, readBytes: 0, fileBytes: 0)
        let first: Episode
        do {
            var samples = EpisodeSamples(seed: 2026)
            let episodes = (0..<records).map { samples.episode($0) }
            first = episodes[0]
            let started = clock.now
            try AtomicFile.writeGzip(to: path, level: level) { gzip in
                let writer = JSONLinesWriter<Episode>(gzip: gzip)
                for episode in episodes { try writer.write(episode) }
                try gzip.close()
                side.writeBytes = gzip.uncompressedBytes
            }
            side.writeSeconds = (clock.now - started).seconds

            let encoder = RecordEncoder()
            var buffer: [UInt8] = []
            buffer.reserveCapacity(1 << 16)
            let encodeStarted = clock.now
            for episode in episodes {
                buffer.removeAll(keepingCapacity: true)
                try encoder.append(episode, to: &buffer)
            }
            side.parts.append(("encode", (clock.now - encodeStarted).seconds))
        }

        let inflateStarted = clock.now
        var lineCount = 0
        try GzipLineReader(path: path).forEachLine { _, _ in lineCount += 1 }
        side.parts.append(("inflate+split", (clock.now - inflateStarted).seconds))

        let parseStarted = clock.now
        try GzipLineReader(path: path).forEachLine { bytes, _ in
            if case .object(let members) = try JSONParser.parse(bytes) { lineCount += members.count }
        }
        side.parts.append(("inflate+parse", (clock.now - parseStarted).seconds))

        var count = 0
        var decodedFirst: Episode?
        let started = clock.now
        let summary = try JSONLinesReader<Episode>(path: path).forEach { episode, line in
            count += 1
            if line == 1 { decodedFirst = episode }
        }
        side.readSeconds = (clock.now - started).seconds
        side.readBytes = summary.uncompressedBytes
        guard count == records, decodedFirst == first else {
            throw ValidationError("the records read back differ from those written (\(count) of \(records))")
        }
        return side
    }

    private struct PythonFigures: Codable {
        var python: String
        var records: Int
        var writeSeconds: Double
        var writeBytes: Int
        var readSeconds: Double
        var readBytes: Int

        enum CodingKeys: String, CodingKey, CaseIterable {
            case python, records, writeSeconds = "write_seconds", writeBytes = "write_bytes"
            case readSeconds = "read_seconds", readBytes = "read_bytes"
        }
    }

    private func measurePython(_ interpreter: String, input: String, output: String) throws -> Side {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: interpreter)
        process.arguments = [script, input, output, String(level)]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            throw ValidationError("\(interpreter) \(script) failed with status \(process.terminationStatus)")
        }
        let line = Array(data).split(separator: 0x0A).first.map(Array.init) ?? []
        let figures = try RecordDecoder().decode(PythonFigures.self, from: line)
        guard figures.records == records else {
            throw ValidationError("Python read \(figures.records) records; expected \(records)")
        }
        return Side(
            name: "python \(figures.python)", writeSeconds: figures.writeSeconds, writeBytes: figures.writeBytes,
            readSeconds: figures.readSeconds, readBytes: figures.readBytes, fileBytes: try fileSize(output))
    }

    private func fileSize(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.size] as? NSNumber)?.intValue ?? 0
    }
}

private func format(_ value: Double, _ decimals: Int) -> String {
    String(format: "%.\(decimals)f", value)
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}

extension Duration {
    fileprivate var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
