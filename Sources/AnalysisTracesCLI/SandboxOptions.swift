import AnalysisTraces
import ArgumentParser
import Foundation

/// The sandbox settings every stage that runs code shares (`@OptionGroup`).
public struct SandboxOptions: ParsableArguments {
    @Option(name: .long, help: "'bubblewrap' isolates the code from the host; 'none' runs without bubblewrap (seccomp and limits still apply) and lets the code read every file you can read.")
    public var isolation: SandboxIsolation = .bubblewrap

    @Option(name: .long, help: "The time limit of each cell, in seconds.")
    public var cellTimeout: Double = 30

    @Option(name: .long, help: "The venv interpreter. Defaults to 'ANALYSIS_TRACES_PYTHON', else '.venv/bin/python' in the current folder or the nearest one above it.")
    public var python: String?

    public init() {}

    public func validate() throws {
        guard cellTimeout > 0, cellTimeout.isFinite else {
            throw ValidationError("'--cell-timeout' must be a positive number of seconds; found '\(cellTimeout)'")
        }
    }

    /// The settings these options give.
    public var settings: SandboxSettings {
        SandboxSettings(isolation: isolation, cellTimeout: .milliseconds(Int64((cellTimeout * 1000).rounded())), python: python)
    }
}
