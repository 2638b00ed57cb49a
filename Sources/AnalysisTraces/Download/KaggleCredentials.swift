#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// How requests to Kaggle's API authenticate, found the way the official `kaggle` client finds
/// them:
/// 1. an access token: `KAGGLE_API_TOKEN` (the token, or the path of a file holding it), else
///    `~/.kaggle/access_token` — sent as `Authorization: Bearer <token>`;
/// 2. a legacy API key: `username` and `key` from `kaggle.json`, each overridden by
///    `KAGGLE_USERNAME` / `KAGGLE_KEY` — sent as HTTP Basic. The file is
///    `$KAGGLE_CONFIG_DIR/kaggle.json`, else `~/.kaggle/kaggle.json`, else (when `~/.kaggle`
///    does not exist) `${XDG_CONFIG_HOME:-~/.config}/kaggle/kaggle.json`.
///
/// A key file readable by group or others is refused (the official client only prints "Your
/// Kaggle API key is readable by other users on this system!"; we do not send a key that may
/// have leaked). A malformed file is an error, not silently ignored as the official client does.
public struct KaggleCredentials: Sendable, Equatable {
    public enum Scheme: Sendable, Equatable {
        case basic(username: String, key: String)
        case bearer(token: String)
    }

    public var scheme: Scheme
    /// Where they came from (`environment`, a file path), for messages; never the secret.
    public var origin: String

    public init(scheme: Scheme, origin: String) {
        self.scheme = scheme
        self.origin = origin
    }

    /// The `Authorization` header value.
    public var authorization: String {
        switch scheme {
        case .basic(let username, let key): "Basic " + Data("\(username):\(key)".utf8).base64EncodedString()
        case .bearer(let token): "Bearer " + token
        }
    }

    /// Finds credentials; nil when there are none. Throws when a key file exists but is
    /// readable by others or malformed.
    public static func find(environment: [String: String], home: String = NSHomeDirectory()) throws(DownloadError) -> KaggleCredentials? {
        if let value = environment["KAGGLE_API_TOKEN"], !value.isEmpty {
            if FileManager.default.fileExists(atPath: value) {
                let token = try readToken(at: value)
                return KaggleCredentials(scheme: .bearer(token: token), origin: value)
            }
            return KaggleCredentials(scheme: .bearer(token: value), origin: "KAGGLE_API_TOKEN")
        }
        let tokenFile = home + "/.kaggle/access_token"
        if FileManager.default.fileExists(atPath: tokenFile) {
            return KaggleCredentials(scheme: .bearer(token: try readToken(at: tokenFile)), origin: tokenFile)
        }
        if let name = environment["KAGGLE_USERNAME"], let secret = environment["KAGGLE_KEY"], !name.isEmpty, !secret.isEmpty {
            return KaggleCredentials(scheme: .basic(username: name, key: secret), origin: "environment")
        }
        var username: String?
        var key: String?
        var origin = "environment"
        let file = configFile(environment: environment, home: home)
        if FileManager.default.fileExists(atPath: file) {
            try checkPermissions(file)
            guard let data = FileManager.default.contents(atPath: file), let value = try? JSONParser.parse([UInt8](data)),
                  case .object = value else {
                throw DownloadError(.credentials, source: file, "not a JSON object like {\"username\": \"...\", \"key\": \"...\"}")
            }
            if case .string(let name)? = value["username"] { username = name }
            if case .string(let secret)? = value["key"] { key = secret }
            origin = file
        }
        if let name = environment["KAGGLE_USERNAME"], !name.isEmpty { username = name }
        if let secret = environment["KAGGLE_KEY"], !secret.isEmpty { key = secret }
        guard let username, let key, !username.isEmpty, !key.isEmpty else {
            if origin != "environment" {
                throw DownloadError(.credentials, source: file, "needs both 'username' and 'key'")
            }
            return nil
        }
        return KaggleCredentials(scheme: .basic(username: username, key: key), origin: origin)
    }

    /// The `kaggle.json` the official client would read.
    public static func configFile(environment: [String: String], home: String) -> String {
        if let directory = environment["KAGGLE_CONFIG_DIR"], !directory.isEmpty { return directory + "/kaggle.json" }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: home + "/.kaggle", isDirectory: &isDirectory), isDirectory.boolValue {
            return home + "/.kaggle/kaggle.json"
        }
        let xdg = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.config"
        let candidate = xdg + "/kaggle/kaggle.json"
        return FileManager.default.fileExists(atPath: candidate) ? candidate : home + "/.kaggle/kaggle.json"
    }

    /// The one-line message for a Kaggle entry skipped for want of credentials.
    public static let missingMessage =
        "no Kaggle credentials: set KAGGLE_USERNAME and KAGGLE_KEY, or put kaggle.json (Kaggle > Settings > API > Create New Token) in ~/.kaggle/ with 'chmod 600'; skipped"

    private static func checkPermissions(_ path: String) throws(DownloadError) {
        var info = stat()
        guard stat(path, &info) == 0 else { return }
        if info.st_mode & 0o044 != 0 {
            throw DownloadError(
                .credentials, source: path,
                "Your Kaggle API key is readable by other users on this system! To fix this, you can run 'chmod 600 \(path)'; refusing to use it until then")
        }
    }

    private static func readToken(at path: String) throws(DownloadError) -> String {
        try checkPermissions(path)
        guard let data = FileManager.default.contents(atPath: path),
              let token = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines), !token.isEmpty else {
            throw DownloadError(.credentials, source: path, "cannot read an access token from the file")
        }
        return token
    }
}
