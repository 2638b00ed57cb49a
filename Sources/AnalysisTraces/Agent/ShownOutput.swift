/// Caps what a cell printed to what the model is shown, and records exactly that.
///
/// The sandbox already keeps only a prefix of very long output; the loop cuts further, to
/// ``AgentLoopConfiguration/maxShownBytes`` per section, so that one cell cannot flood the
/// conversation (and the training data made from it). stdout and stderr keep a prefix, ending on
/// a line break when one falls in the last quarter of the allowance, and the bytes cut are added
/// to `stdoutDropped` / `stderrDropped`, which the feedback states in its truncation marker.
/// The trailing-expression repr keeps a prefix and the traceback keeps its end (where the error
/// is), each with the marker written into the text, since those fields have no counter.
public enum ShownOutput {
    /// `execution` as the model is shown it.
    public static func cap(_ execution: Execution, maxBytes: Int) -> Execution {
        var shown = execution
        let (stdout, stdoutCut) = head(execution.stdout, maxBytes: maxBytes)
        shown.stdout = stdout
        shown.stdoutDropped += stdoutCut
        let (stderr, stderrCut) = head(execution.stderr, maxBytes: maxBytes)
        shown.stderr = stderr
        shown.stderrDropped += stderrCut
        if let result = execution.result {
            let (text, cut) = head(result, maxBytes: maxBytes)
            shown.result = cut > 0 ? text + (text.hasSuffix("\n") ? "" : "\n") + marker(cut, of: "the result") : text
        }
        if var error = execution.error {
            let (message, messageCut) = head(error.message, maxBytes: maxBytes)
            if messageCut > 0 { error.message = message + " " + marker(messageCut, of: "the message") }
            let (traceback, tracebackCut) = tail(error.traceback, maxBytes: maxBytes)
            if tracebackCut > 0 { error.traceback = marker(tracebackCut, of: "the traceback", before: true) + "\n" + traceback }
            shown.error = error
        }
        return shown
    }

    /// The marker the model reads where output was cut.
    public static func marker(_ bytes: Int, of what: String, before: Bool = false) -> String {
        "[... \(bytes) \(before ? "earlier" : "more") \(bytes == 1 ? "byte" : "bytes") of \(what) not shown]"
    }

    /// A prefix of at most `maxBytes` UTF-8 bytes and the number of bytes cut.
    static func head(_ text: String, maxBytes: Int) -> (String, Int) {
        let total = text.utf8.count
        guard total > maxBytes else { return (text, 0) }
        var end = text.utf8.index(text.utf8.startIndex, offsetBy: max(maxBytes, 0))
        while end.samePosition(in: text.unicodeScalars) == nil {
            end = text.utf8.index(before: end)
        }
        var kept = text[..<end]
        if let newline = kept.lastIndex(of: "\n"), kept.utf8.distance(from: newline, to: kept.endIndex) <= maxBytes / 4 {
            kept = kept[...newline]
        }
        return (String(kept), total - kept.utf8.count)
    }

    /// A suffix of at most `maxBytes` UTF-8 bytes, starting on a line when it can, and the number
    /// of bytes cut.
    static func tail(_ text: String, maxBytes: Int) -> (String, Int) {
        let total = text.utf8.count
        guard total > maxBytes else { return (text, 0) }
        var start = text.utf8.index(text.utf8.endIndex, offsetBy: -max(maxBytes, 0))
        while start.samePosition(in: text.unicodeScalars) == nil {
            start = text.utf8.index(after: start)
        }
        var kept = text[start...]
        if let newline = kept.firstIndex(of: "\n"), kept.utf8.distance(from: kept.startIndex, to: newline) < maxBytes / 4 {
            kept = kept[kept.index(after: newline)...]
        }
        return (String(kept), total - kept.utf8.count)
    }
}
