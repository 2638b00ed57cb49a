/// How strongly the zygote is isolated from the host.
public enum SandboxIsolation: String, Sendable, CaseIterable {
    /// bubblewrap around the zygote (namespaces, no capabilities, no network, read-only system,
    /// only this dataset's CSV), plus seccomp and rlimits in every worker. The default.
    case bubblewrap
    /// The same zygote without bubblewrap: seccomp and rlimits still apply, but the code can
    /// read every file the host user can read. Only behind an explicit flag, with a loud warning.
    case unsafeNone = "none"
}

/// Everything needed to start one zygote for one dataset.
public struct SandboxConfiguration: Sendable {
    /// The dataset's CSV on the host; inside the sandbox it is `/data/data.csv`.
    public var csvPath: String
    /// The canonical loader's settings, from the dataset's `dataset.json`.
    public var loader: LoaderSettings
    /// The venv interpreter (`<repo>/.venv/bin/python`), not a shim and not resolved past the
    /// venv (Python finds the venv from this path).
    public var python: String
    public var isolation: SandboxIsolation
    /// Default time limit of one cell; `SandboxWorker.run(_:timeout:)` may override it.
    public var cellTimeout: Duration
    /// How long past a cell's time limit the host waits before it kills the worker.
    public var watchdogGrace: Duration
    /// Address space a worker may add on top of the zygote's size (RLIMIT_AS).
    public var memoryBytes: Int
    /// A worker whose PSS is above this after a cell is replaced before the next cell.
    public var workerPSSLimitBytes: Int
    /// Size of the private `/tmp` (bubblewrap only).
    public var tmpfsBytes: Int
    /// The prefix of stdout and of stderr that a cell result keeps.
    public var maxOutputBytes: Int
    /// Output past this size aborts the cell with an `output_limit` error.
    public var abortOutputBytes: Int
    /// Largest file a worker may write (RLIMIT_FSIZE).
    public var fileSizeBytes: Int
    /// Most files a worker may have open (RLIMIT_NOFILE).
    public var openFiles: Int
    /// Longest repr of a trailing expression, in characters.
    public var reprMaxChars: Int
    /// Largest frame the host accepts from the zygote or a worker.
    public var maxFrameBytes: Int
    /// How long the zygote may take to import the libraries and load the table.
    public var startTimeout: Duration
    /// The bubblewrap executable; nil searches `PATH`, then `/usr/bin/bwrap`.
    public var bubblewrap: String?
    /// The folder holding the sandbox's Python code; nil uses the copy bundled with the library.
    public var pythonFolder: String?

    public init(
        csvPath: String,
        loader: LoaderSettings = LoaderSettings(),
        python: String,
        isolation: SandboxIsolation = .bubblewrap,
        cellTimeout: Duration = .seconds(30),
        watchdogGrace: Duration = .seconds(2),
        memoryBytes: Int = 2 << 30,
        workerPSSLimitBytes: Int = 1 << 30,
        tmpfsBytes: Int = 64 << 20,
        maxOutputBytes: Int = 64 << 10,
        abortOutputBytes: Int = 16 << 20,
        fileSizeBytes: Int = 64 << 20,
        openFiles: Int = 64,
        reprMaxChars: Int = 10_000,
        maxFrameBytes: Int = 64 << 20,
        startTimeout: Duration = .seconds(120),
        bubblewrap: String? = nil,
        pythonFolder: String? = nil
    ) {
        self.csvPath = csvPath
        self.loader = loader
        self.python = python
        self.isolation = isolation
        self.cellTimeout = cellTimeout
        self.watchdogGrace = watchdogGrace
        self.memoryBytes = memoryBytes
        self.workerPSSLimitBytes = workerPSSLimitBytes
        self.tmpfsBytes = tmpfsBytes
        self.maxOutputBytes = maxOutputBytes
        self.abortOutputBytes = abortOutputBytes
        self.fileSizeBytes = fileSizeBytes
        self.openFiles = openFiles
        self.reprMaxChars = reprMaxChars
        self.maxFrameBytes = maxFrameBytes
        self.startTimeout = startTimeout
        self.bubblewrap = bubblewrap
        self.pythonFolder = pythonFolder
    }
}
