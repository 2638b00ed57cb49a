import Foundation

/// Reads the host's `/proc` to find a sandbox's processes and their memory, for tests,
/// benchmarks and diagnostics (Linux only; every function returns empty or nil elsewhere).
public enum SandboxProcessTree {
    /// Every live descendant of `pid` (children, grandchildren, ...), not `pid` itself.
    public static func descendants(of pid: Int32) -> [Int32] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        var children: [Int32: [Int32]] = [:]
        for entry in entries {
            guard let child = Int32(entry), let parent = parent(of: child) else { continue }
            children[parent, default: []].append(child)
        }
        var found: [Int32] = []
        var queue = children[pid] ?? []
        while let next = queue.popLast() {
            found.append(next)
            queue.append(contentsOf: children[next] ?? [])
        }
        return found.sorted()
    }

    /// The parent pid from `/proc/<pid>/stat`.
    public static func parent(of pid: Int32) -> Int32? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")")
        else { return nil }
        // After the command name in parentheses: " S PPID ..."
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 1 ? Int32(fields[1]) : nil
    }

    /// When the process started, in clock ticks since boot (field 22 of `/proc/<pid>/stat`).
    /// A pid can be reused; the pid and its start time together name one process.
    public static func startTime(of pid: Int32) -> UInt64? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")")
        else { return nil }
        // After the command name: state (field 3) ... starttime (field 22).
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 19 ? UInt64(fields[19]) : nil
    }

    /// True while the process `pid` that started at `startTime` exists and is not a zombie.
    public static func isRunning(_ pid: Int32, startedAt startTime: UInt64) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")")
        else { return false }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 19, UInt64(fields[19]) == startTime else { return false }
        return fields[0] != "Z" && fields[0] != "X"
    }

    /// Proportional set size of one process, from `/proc/<pid>/smaps_rollup`, in bytes.
    public static func pssBytes(of pid: Int32) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/smaps_rollup", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("Pss:") {
            let fields = line.split(separator: " ")
            if fields.count >= 2, let kilobytes = Int(fields[1]) { return kilobytes * 1024 }
        }
        return nil
    }

    /// Total PSS of `pid` and all its descendants, in bytes.
    public static func totalPSSBytes(of pid: Int32) -> Int {
        ([pid] + descendants(of: pid)).compactMap(pssBytes(of:)).reduce(0, +)
    }
}
