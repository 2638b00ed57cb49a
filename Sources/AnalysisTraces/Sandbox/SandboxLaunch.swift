/// The command line and environment that start a zygote: a pure function of the configuration
/// and resolved paths, so that the bubblewrap invocation can be read and tested.
public struct SandboxLaunch: Sendable, Equatable {
    /// Resolved host paths the launch needs.
    public struct Paths: Sendable, Equatable {
        /// The venv directory, resolved (it is bound read-only at this same path).
        public var venv: String
        /// The interpreter inside the venv (`<venv>/bin/python`).
        public var python: String
        /// Prefixes outside `/usr` that the venv's base interpreter lives in (a pyenv build, ...).
        public var extraReadOnly: [String]
        /// The folder of the sandbox's Python code.
        public var pythonFolder: String
        /// The dataset's CSV, resolved.
        public var csv: String
        /// The zygote's working directory in the unsafe mode (bubblewrap uses its private /tmp).
        public var unsafeWorkingDirectory: String

        public init(venv: String, python: String, extraReadOnly: [String] = [], pythonFolder: String, csv: String, unsafeWorkingDirectory: String) {
            self.venv = venv
            self.python = python
            self.extraReadOnly = extraReadOnly
            self.pythonFolder = pythonFolder
            self.csv = csv
            self.unsafeWorkingDirectory = unsafeWorkingDirectory
        }
    }

    /// The descriptor number the control socket has in the zygote (`SANDBOX_CONTROL_FD`).
    public static let controlDescriptor: Int32 = 3
    /// The zygote's entry point inside the Python folder.
    public static let entryPoint = "zygote.py"
    /// Where the Python folder and the CSV appear inside bubblewrap.
    public static let sandboxFolder = "/sandbox"
    public static let sandboxCSV = "/data/data.csv"

    /// The program to spawn (bwrap, or the interpreter in the unsafe mode).
    public var executable: String
    /// The full argument vector, `argv[0]` first.
    public var arguments: [String]
    /// The spawned process's environment as `KEY=VALUE` (bwrap's own is nearly empty; the
    /// zygote's is set with `--setenv` after `--clearenv`).
    public var environment: [String]
    /// The directory the spawned process starts in, when it must be set by the host.
    public var workingDirectory: String?

    /// Builds the launch. `bubblewrap` is the bwrap executable (ignored by the unsafe mode).
    public static func make(configuration: SandboxConfiguration, paths: Paths, bubblewrap: String) -> SandboxLaunch {
        let inside = configuration.isolation == .bubblewrap
        let folder = inside ? sandboxFolder : paths.pythonFolder
        let csv = inside ? sandboxCSV : paths.csv
        let home = inside ? "/tmp" : paths.unsafeWorkingDirectory
        // `-I` would also ignore PYTHONHASHSEED; the environment is fully ours, so `-s -P`
        // (no user site, no script directory on sys.path) gives the same isolation.
        let interpreter = [paths.python, "-s", "-P", "-B", folder + "/" + entryPoint]
        let variables: [(String, String)] = [
            ("PYTHONHASHSEED", "0"),
            ("OPENBLAS_NUM_THREADS", "1"),
            ("OMP_NUM_THREADS", "1"),
            ("MKL_NUM_THREADS", "1"),
            ("HOME", home),
            ("TMPDIR", home),
            ("LANG", "C.UTF-8"),
            ("SANDBOX_CONTROL_FD", String(controlDescriptor)),
            ("SANDBOX_CSV", csv),
            ("SANDBOX_LOADER", loaderJSON(configuration.loader)),
            ("SANDBOX_LIMITS", limitsJSON(configuration)),
        ]
        guard inside else {
            return SandboxLaunch(
                executable: paths.python, arguments: interpreter,
                environment: variables.map { "\($0.0)=\($0.1)" }, workingDirectory: paths.unsafeWorkingDirectory)
        }
        // `--as-pid-1`: the zygote itself is pid 1 of the sandbox's pid namespace, with no
        // bubblewrap monitor inside it, so /proc/1/cmdline shows the zygote's own command line
        // instead of every bwrap argument (the host paths of the CSV and the Python folder);
        // when the zygote dies the kernel kills every worker with it. `--die-with-parent` still
        // holds: bubblewrap outside the namespace passes its parent-death signal on to pid 1.
        var arguments = [
            "bwrap",
            "--unshare-all", "--unshare-user", "--uid", "65534", "--gid", "65534", "--cap-drop", "ALL",
            "--clearenv", "--die-with-parent", "--new-session", "--as-pid-1",
            "--ro-bind", "/usr", "/usr",
            "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64",
            "--symlink", "usr/bin", "/bin", "--symlink", "usr/sbin", "/sbin",
            // The private /tmp, /proc and /dev come before the host paths: a checkout under
            // /tmp (CI clones, temporary test folders) must stay visible, not be hidden by them.
            "--size", String(configuration.tmpfsBytes), "--tmpfs", "/tmp",
            "--proc", "/proc", "--dev", "/dev",
        ]
        for prefix in paths.extraReadOnly { arguments += ["--ro-bind", prefix, prefix] }
        arguments += [
            "--ro-bind", paths.venv, paths.venv,
            "--ro-bind", paths.pythonFolder, sandboxFolder,
            "--ro-bind", paths.csv, sandboxCSV,
            // After every mount point exists: the root and /dev tmpfs that bubblewrap creates
            // become read-only (they have no size limit; Landlock also denies writing there).
            // Not recursive, so /tmp, /proc and the device nodes keep their own flags.
            "--remount-ro", "/", "--remount-ro", "/dev",
            "--chdir", "/tmp",
        ]
        for (key, value) in variables { arguments += ["--setenv", key, value] }
        arguments.append("--")
        arguments += interpreter
        return SandboxLaunch(executable: bubblewrap, arguments: arguments, environment: ["LANG=C.UTF-8"], workingDirectory: nil)
    }

    static func loaderJSON(_ loader: LoaderSettings) -> String {
        let value = JSONValue.object([
            ("delimiter", .string(loader.delimiter)),
            ("encoding", .string(loader.encoding)),
            ("na_values", .array(loader.naValues.map { .string($0) })),
        ])
        return String(decoding: JSONWriter.bytes(value), as: UTF8.self)
    }

    static func limitsJSON(_ configuration: SandboxConfiguration) -> String {
        let value = JSONValue.object([
            ("cell_timeout_s", .double(configuration.cellTimeout.seconds)),
            ("memory_bytes", .int(Int64(configuration.memoryBytes))),
            ("file_size_bytes", .int(Int64(configuration.fileSizeBytes))),
            ("open_files", .int(Int64(configuration.openFiles))),
            ("max_output_bytes", .int(Int64(configuration.maxOutputBytes))),
            ("abort_output_bytes", .int(Int64(configuration.abortOutputBytes))),
            ("repr_max_chars", .int(Int64(configuration.reprMaxChars))),
        ])
        return String(decoding: JSONWriter.bytes(value), as: UTF8.self)
    }
}
