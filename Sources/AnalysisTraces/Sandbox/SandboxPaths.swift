#if canImport(Glibc)
import Glibc
#endif
import Foundation

extension SandboxLaunch.Paths {
    /// Resolves and checks the paths a configuration names. `workingDirectory` is the unsafe
    /// mode's scratch directory.
    static func resolve(_ configuration: SandboxConfiguration, workingDirectory: String) throws(SandboxError) -> SandboxLaunch.Paths {
        let files = FileManager.default
        guard files.isExecutableFile(atPath: configuration.python) else {
            throw .missingFile(role: "Python interpreter (the venv's bin/python; run 'make setup')", path: configuration.python)
        }
        guard files.fileExists(atPath: configuration.csvPath) else { throw .missingFile(role: "dataset CSV", path: configuration.csvPath) }
        guard let folder = configuration.pythonFolder ?? SandboxLaunch.bundledPythonFolder(),
              files.fileExists(atPath: folder + "/" + SandboxLaunch.entryPoint)
        else {
            throw .missingFile(role: "sandbox's Python code", path: (configuration.pythonFolder ?? "<bundle>/Python") + "/" + SandboxLaunch.entryPoint)
        }
        let binDirectory = (configuration.python as NSString).deletingLastPathComponent
        let venv = realPath((binDirectory as NSString).deletingLastPathComponent)
        let python = venv + "/bin/" + (configuration.python as NSString).lastPathComponent
        var extra: [String] = []
        let interpreter = realPath(configuration.python)
        if !interpreter.hasPrefix("/usr/") && !interpreter.hasPrefix(venv + "/") {
            // A base interpreter outside /usr (pyenv, a custom build): bind its whole prefix.
            let prefix = ((interpreter as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent
            extra.append(prefix)
        }
        return SandboxLaunch.Paths(
            venv: venv, python: python, extraReadOnly: extra, pythonFolder: realPath(folder),
            csv: realPath(configuration.csvPath), unsafeWorkingDirectory: workingDirectory)
    }

    static func realPath(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

extension SandboxLaunch {
    /// The Python folder shipped as the library's SwiftPM resource `Sandbox/Python`.
    static func bundledPythonFolder() -> String? {
        Bundle.module.url(forResource: "Python", withExtension: nil)?.path
    }

    /// The bubblewrap executable: the configured one, else the first `bwrap` on `PATH`, else
    /// `/usr/bin/bwrap`.
    static func findBubblewrap(_ configured: String?) throws(SandboxError) -> String {
        var candidates: [String] = []
        if let configured {
            candidates = [configured]
        } else {
            let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
            candidates = path.split(separator: ":").map { "\($0)/bwrap" } + ["/usr/bin/bwrap"]
        }
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        var seen = Set<String>()
        throw .bubblewrapUnavailable(searched: candidates.filter { seen.insert($0).inserted })
    }
}
