import Foundation

/// Helpers of the `sandbox` command that are worth testing on their own.
public enum SandboxScript {
    /// Splits a script into cells at lines that hold only `# %%` (surrounding spaces allowed),
    /// dropping cells that are blank.
    public static func cells(in text: String) -> [String] {
        var cells: [String] = []
        var current: [Substring] = []
        func finish() {
            let cell = current.joined(separator: "\n")
            if !cell.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { cells.append(cell) }
            current = []
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.trimmingCharacters(in: .whitespaces) == "# %%" {
                finish()
            } else {
                current.append(line)
            }
        }
        finish()
        return cells
    }

    /// The venv interpreter to use: `explicit` (`--python`), else `ANALYSIS_TRACES_PYTHON`,
    /// else `.venv/bin/python` in `directory` or the nearest folder above it that has one.
    public static func python(explicit: String?, environment: [String: String], directory: String) -> String? {
        if let explicit { return explicit }
        if let configured = environment["ANALYSIS_TRACES_PYTHON"], !configured.isEmpty { return configured }
        var folder = URL(fileURLWithPath: directory).standardizedFileURL
        while true {
            let candidate = folder.appendingPathComponent(".venv/bin/python").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { return nil }
            folder = parent
        }
    }
}
