import AnalysisTraces
import Foundation
import Testing

@Suite("Download sources: entries, lists, ids, licences, credentials")
struct SourceListTests {
    @Test("entries parse as Kaggle refs, URLs and local paths by the documented rules")
    func entrySyntax() throws {
        #expect(try SourceEntry.parse("uciml/iris") == .kaggle(KaggleReference(owner: "uciml", slug: "iris")))
        #expect(try SourceEntry.parse("uciml/iris@3") == .kaggle(KaggleReference(owner: "uciml", slug: "iris", version: 3)))
        #expect(try SourceEntry.parse("uciml/iris/3") == .kaggle(KaggleReference(owner: "uciml", slug: "iris", version: 3)))
        #expect(try SourceEntry.parse("uciml/iris@2:data/Iris.csv") == .kaggle(KaggleReference(owner: "uciml", slug: "iris", version: 2, file: "data/Iris.csv")))
        #expect(try SourceEntry.parse("https://example.org/a.csv") == .url("https://example.org/a.csv"))
        #expect(try SourceEntry.parse("http://127.0.0.1:8080/a.csv") == .url("http://127.0.0.1:8080/a.csv"))
        #expect(try SourceEntry.parse("./t.csv") == .local("./t.csv"))
        #expect(try SourceEntry.parse("tables/t.csv") == .local("tables/t.csv"))
        #expect(try SourceEntry.parse("file:///data/t.zip") == .local("/data/t.zip"))
    }

    @Test("bad entries are refused with what is accepted", arguments: [
        "http://example.org/a.csv", "ftp://example.org/a.csv", "just-a-word", "owner/slug@x", "a/b/c/d", "",
    ])
    func badEntries(_ text: String) {
        #expect(throws: DownloadError.self) { try SourceEntry.parse(text) }
    }

    @Test("a source list skips comments and blank lines and names file and line of every bad entry")
    func listDiagnostics() throws {
        let text = "# header\n\nuciml/iris  # CC0\nftp://x/y.csv\n./a.csv\nuciml/iris\n"
        do {
            _ = try SourceList.parse(text, path: "list.txt")
            Issue.record("expected an error")
        } catch {
            let lines = error.diagnostics.map(\.description)
            #expect(lines.count == 2)
            #expect(lines[0].hasPrefix("list.txt:4: error: [source] 'ftp://x/y.csv'"))
            #expect(lines[1].hasPrefix("list.txt:6: error: [source] 'uciml/iris' is listed twice; first on line 3"))
        }
        let good = try SourceList.parse("# x\nuciml/iris  # CC0\n\n./a.csv\n", path: "list.txt")
        #expect(good.items.map(\.location) == ["list.txt:2", "list.txt:4"])
    }

    @Test("a JSON source list gives each entry the line it is on")
    func jsonList() throws {
        let list = try SourceList.parse("[\n  \"uciml/iris\",\n\n  \"https://example.org/t.csv\"\n]\n", path: "s.json")
        #expect(list.items.map(\.location) == ["s.json:2", "s.json:4"])
        #expect(throws: SourceListError.self) { try SourceList.parse("[\"uciml/iris\", 3]", path: "s.json") }
    }

    @Test("the committed curated list parses")
    func curatedList() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("data/sources/kaggle-curated.txt").path
        let list = try SourceList.load(path: path)
        #expect(list.items.count >= 15)
        #expect(list.items.allSatisfy { if case .kaggle = $0.entry { true } else { false } })
    }

    @Test("ids are stable, filesystem-safe and follow the documented rules")
    func identifiers() throws {
        #expect(DatasetIdentifier.make(for: try SourceEntry.parse("UCIML/Iris@3")) == "uciml__iris")
        #expect(DatasetIdentifier.make(for: try SourceEntry.parse("uciml/student-alcohol-consumption:student-mat.csv")) == "uciml__student-alcohol-consumption__student-mat")
        #expect(DatasetIdentifier.make(for: .url("https://example.org/data/Sales%202024.csv.gz")) == "sales_2024")
        #expect(DatasetIdentifier.make(for: .url("https://example.org/")) == "example_org")
        #expect(DatasetIdentifier.make(for: .local("/tmp/My Table (v2).zip")) == "my_table_v2")
        #expect(DatasetIdentifier.make(for: .local("../x")) == "x")
    }

    @Test("licences keep the stated name and get an SPDX id only when known; unknown ones are flagged")
    func licences() {
        #expect(LicenseCatalog.license(stated: "CC0: Public Domain").spdx == "CC0-1.0")
        #expect(LicenseCatalog.license(stated: "CC0: Public Domain").name == "CC0: Public Domain")
        #expect(LicenseCatalog.license(stated: "Attribution 4.0 International (CC BY 4.0)").spdx == "CC-BY-4.0")
        #expect(LicenseCatalog.license(stated: "ODbL-1.0").spdx == "ODbL-1.0")
        let other = LicenseCatalog.license(stated: "Other (specified in description)")
        #expect(other.spdx == nil && other.name == "Other (specified in description)")
        #expect(LicenseCatalog.license(stated: nil) == DatasetLicense(spdx: nil, name: "unknown", url: nil))
        #expect(LicenseCatalog.license(stated: "unknown").name == "unknown")
    }

    @Test("sizes parse with units and format like Kaggle's")
    func sizes() {
        #expect(ByteSize.parse("50MB") == 50_000_000)
        #expect(ByteSize.parse("1048576") == 1_048_576)
        #expect(ByteSize.parse("2 GiB") == 2 << 30)
        #expect(ByteSize.parse("lots") == nil)
        #expect(ByteSize.format(61194) == "61 KB")
        #expect(ByteSize.format(2_345_678) == "2.3 MB")
    }
}

@Suite("Kaggle credentials")
struct KaggleCredentialsTests {
    private func withHome(_ body: (String) throws -> Void) throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("kaggle-home-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: home + "/.kaggle", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        try body(home)
    }

    private func writeKey(_ home: String, mode: Int, text: String = #"{"username": "example-user", "key": "0123"}"#) throws {
        let path = home + "/.kaggle/kaggle.json"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
    }

    @Test("no variables and no file means no credentials")
    func missing() throws {
        try withHome { home in
            let found = try KaggleCredentials.find(environment: [:], home: home)
            #expect(found == nil)
        }
    }

    @Test("KAGGLE_USERNAME and KAGGLE_KEY give HTTP Basic credentials")
    func environment() throws {
        try withHome { home in
            let found = try KaggleCredentials.find(environment: ["KAGGLE_USERNAME": "u", "KAGGLE_KEY": "k"], home: home)
            #expect(found?.authorization == "Basic " + Data("u:k".utf8).base64EncodedString())
        }
    }

    @Test("kaggle.json with mode 600 is used; KAGGLE_CONFIG_DIR moves it")
    func keyFile() throws {
        try withHome { home in
            try writeKey(home, mode: 0o600)
            #expect(try KaggleCredentials.find(environment: [:], home: home)?.scheme == .basic(username: "example-user", key: "0123"))
            let other = home + "/elsewhere"
            try FileManager.default.createDirectory(atPath: other, withIntermediateDirectories: true)
            #expect(try KaggleCredentials.find(environment: ["KAGGLE_CONFIG_DIR": other], home: home) == nil)
        }
    }

    @Test("a key file readable by group or others is refused with the official client's advice")
    func readableKeyFile() throws {
        try withHome { home in
            try writeKey(home, mode: 0o644)
            do {
                _ = try KaggleCredentials.find(environment: [:], home: home)
                Issue.record("expected a refusal")
            } catch let error as DownloadError {
                #expect(error.kind == .credentials)
                #expect(error.message.contains("readable by other users") && error.message.contains("chmod 600"))
            }
        }
    }

    @Test("a malformed key file is an error, not silently ignored")
    func malformed() throws {
        try withHome { home in
            try writeKey(home, mode: 0o600, text: "username=x")
            #expect(throws: DownloadError.self) { try KaggleCredentials.find(environment: [:], home: home) }
        }
    }

    @Test("an access token in KAGGLE_API_TOKEN is sent as Bearer")
    func token() throws {
        try withHome { home in
            let found = try KaggleCredentials.find(environment: ["KAGGLE_API_TOKEN": "KGAT_x"], home: home)
            #expect(found?.authorization == "Bearer KGAT_x")
        }
    }
}
