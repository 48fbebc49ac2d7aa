import Foundation

/// The effective configuration of one ReliefCRM process, read from the environment (and
/// `.env` files through Vapor) by ``AppConfig/load(environment:isProduction:workingDirectory:)``.
/// Tests build their own value.
public struct AppConfig: Sendable {
    /// Where the data lives.
    public enum Database: Sendable, Equatable {
        /// An SQLite file (the embedded default).
        case sqliteFile(path: String)
        /// An in-memory SQLite database (tests only).
        case sqliteMemory
        /// A PostgreSQL server, as a `postgres://` URL.
        case postgres(url: String)

        /// A description safe for logs and `relief config` (password masked).
        public var redacted: String {
            switch self {
            case .sqliteFile(let path): return "sqlite://\(path)"
            case .sqliteMemory: return "sqlite::memory:"
            case .postgres(let url): return Secret.maskURLPassword(url)
            }
        }
    }

    /// Where the master key came from, for `relief config`.
    public enum MasterKeySource: String, Sendable {
        case environment = "RELIEF_MASTER_KEY"
        case developmentFile = "development key file"
        case ephemeral = "ephemeral (tests)"
    }

    public var isProduction: Bool
    public var database: Database
    /// Public URL of this deployment, used in e-mailed links, tracking links and webhooks.
    public var baseURL: String
    /// The 32-byte master key every encryption and signing key is derived from.
    public var masterKey: [UInt8]
    public var masterKeySource: MasterKeySource
    /// Earlier master keys (`RELIEF_PREVIOUS_MASTER_KEYS`): they only open values sealed before
    /// a rotation; `relief keys rotate` re-seals those under ``masterKey``.
    public var previousMasterKeys: [[UInt8]]
    /// Folder for the development key file and encrypted documents (`documents/`).
    public var dataDirectory: String
    /// The largest document the document store accepts, in bytes (`RELIEF_MAX_DOCUMENT_MB`).
    public var maxDocumentBytes: Int
    /// The largest lead file an import accepts, in bytes (`RELIEF_MAX_IMPORT_MB`); a larger
    /// upload is refused from its `Content-Length` before any of it is read.
    public var maxImportBytes: Int
    /// `json` for one JSON object per log line, `text` for the console format.
    public var logFormat: String
    /// How long a web session stays valid without activity.
    public var sessionIdleTimeout: TimeInterval
    /// The longest a web session lives, active or not.
    public var sessionLifetime: TimeInterval
    /// Lifetime of an API access token (JWT).
    public var accessTokenLifetime: TimeInterval
    /// Lifetime of an API refresh token.
    public var refreshTokenLifetime: TimeInterval
    /// Bcrypt work factor for passwords (tests lower it to stay fast).
    public var bcryptCost: Int
    /// A PostgreSQL schema to use instead of `public` (tests give each test its own).
    public var postgresSchema: String?
    /// Bearer token that opens `/metrics` to remote scrapers; without it only loopback
    /// clients may read metrics.
    public var metricsToken: String?
    /// The most tracking events (opens, clicks, beacons) one client address may record per
    /// minute (`RELIEF_TRACKING_IP_LIMIT`, 0 for no limit); past it the pixel and redirects still
    /// answer but nothing is recorded.
    public var trackingEventsPerAddressPerMinute: Int

    /// Whether cookies must carry `Secure` (the deployment is served over https).
    public var usesHTTPS: Bool { baseURL.lowercased().hasPrefix("https://") }

    public init(
        isProduction: Bool = false,
        database: Database,
        baseURL: String = "http://localhost:8080",
        masterKey: [UInt8],
        masterKeySource: MasterKeySource = .ephemeral,
        previousMasterKeys: [[UInt8]] = [],
        dataDirectory: String = ".relief",
        maxDocumentBytes: Int = 25 * 1024 * 1024,
        maxImportBytes: Int = 512 * 1024 * 1024,
        logFormat: String = "text",
        sessionIdleTimeout: TimeInterval = 12 * 3600,
        sessionLifetime: TimeInterval = 7 * 24 * 3600,
        accessTokenLifetime: TimeInterval = 15 * 60,
        refreshTokenLifetime: TimeInterval = 30 * 24 * 3600,
        bcryptCost: Int = 12,
        postgresSchema: String? = nil,
        metricsToken: String? = nil,
        trackingEventsPerAddressPerMinute: Int = 600
    ) {
        self.isProduction = isProduction
        self.database = database
        self.baseURL = baseURL
        self.masterKey = masterKey
        self.masterKeySource = masterKeySource
        self.previousMasterKeys = previousMasterKeys
        self.dataDirectory = dataDirectory
        self.maxDocumentBytes = maxDocumentBytes
        self.maxImportBytes = maxImportBytes
        self.logFormat = logFormat
        self.sessionIdleTimeout = sessionIdleTimeout
        self.sessionLifetime = sessionLifetime
        self.accessTokenLifetime = accessTokenLifetime
        self.refreshTokenLifetime = refreshTokenLifetime
        self.bcryptCost = bcryptCost
        self.postgresSchema = postgresSchema
        self.metricsToken = metricsToken
        self.trackingEventsPerAddressPerMinute = trackingEventsPerAddressPerMinute
    }

    /// Reads the configuration. Every problem is a ``ConfigError`` whose message is one line
    /// saying what to set.
    public static func load(
        environment: [String: String], isProduction: Bool, workingDirectory: String
    ) throws -> AppConfig {
        let dataDirectory = absolute(
            environment["RELIEF_DATA_DIR"].nonEmpty ?? ".relief", in: workingDirectory)
        let database = try parseDatabaseURL(
            environment["DATABASE_URL"].nonEmpty, workingDirectory: workingDirectory)
        let baseURL = try parseBaseURL(environment["RELIEF_BASE_URL"].nonEmpty)
        let (key, source) = try loadMasterKey(
            environment["RELIEF_MASTER_KEY"].nonEmpty, isProduction: isProduction,
            dataDirectory: dataDirectory)
        let previous = try parsePreviousMasterKeys(
            environment["RELIEF_PREVIOUS_MASTER_KEYS"].nonEmpty)
        let maxDocumentBytes = try parseMegabytes(
            environment["RELIEF_MAX_DOCUMENT_MB"].nonEmpty, name: "RELIEF_MAX_DOCUMENT_MB",
            default: 25, limit: 1024)
        let maxImportBytes = try parseMegabytes(
            environment["RELIEF_MAX_IMPORT_MB"].nonEmpty, name: "RELIEF_MAX_IMPORT_MB",
            default: 512, limit: 8192)
        let logFormat = environment["LOG_FORMAT"].nonEmpty ?? (isProduction ? "json" : "text")
        guard ["json", "text"].contains(logFormat) else {
            throw ConfigError("LOG_FORMAT must be json or text, not '\(logFormat)'.")
        }
        let metricsToken = environment["RELIEF_METRICS_TOKEN"].nonEmpty
        if let metricsToken, metricsToken.count < 16 {
            throw ConfigError("RELIEF_METRICS_TOKEN must be at least 16 characters.")
        }
        var trackingLimit = 600
        if let value = environment["RELIEF_TRACKING_IP_LIMIT"].nonEmpty {
            guard let limit = Int(value.trimmingCharacters(in: .whitespaces)), limit >= 0 else {
                throw ConfigError(
                    "RELIEF_TRACKING_IP_LIMIT must be a whole number of events per minute (0 for no limit)."
                )
            }
            trackingLimit = limit
        }
        return AppConfig(
            isProduction: isProduction, database: database, baseURL: baseURL, masterKey: key,
            masterKeySource: source, previousMasterKeys: previous, dataDirectory: dataDirectory,
            maxDocumentBytes: maxDocumentBytes, maxImportBytes: maxImportBytes,
            logFormat: logFormat, metricsToken: metricsToken,
            trackingEventsPerAddressPerMinute: trackingLimit)
    }

    /// Parses `RELIEF_PREVIOUS_MASTER_KEYS`: comma-separated base64 32-byte keys. A bad entry
    /// is named by its position, never echoed.
    static func parsePreviousMasterKeys(_ value: String?) throws -> [[UInt8]] {
        guard let value else { return [] }
        let entries = value.split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces)
        }.filter { !$0.isEmpty }
        return try entries.enumerated().map { index, entry in
            guard let data = Data(base64Encoded: entry), data.count == 32 else {
                throw ConfigError(
                    "RELIEF_PREVIOUS_MASTER_KEYS entry \(index + 1) is not 32 bytes in base64: "
                        + "list the earlier RELIEF_MASTER_KEY values, separated by commas.")
            }
            return [UInt8](data)
        }
    }

    /// Parses a size limit in megabytes (`RELIEF_MAX_DOCUMENT_MB`, `RELIEF_MAX_IMPORT_MB`).
    static func parseMegabytes(_ value: String?, name: String, default fallback: Int, limit: Int)
        throws -> Int
    {
        guard let value else { return fallback * 1024 * 1024 }
        guard let megabytes = Int(value.trimmingCharacters(in: .whitespaces)),
            (1...limit).contains(megabytes)
        else {
            throw ConfigError("\(name) must be a whole number of megabytes, 1 to \(limit).")
        }
        return megabytes * 1024 * 1024
    }

    /// Parses `DATABASE_URL`: `sqlite:///absolute/path.sqlite`, `sqlite://relative.sqlite`
    /// or `postgres://user:pass@host:5432/db` (also `postgresql://`). Nil means `./relief.sqlite`.
    static func parseDatabaseURL(_ value: String?, workingDirectory: String) throws -> Database {
        guard let value else {
            return .sqliteFile(path: absolute("relief.sqlite", in: workingDirectory))
        }
        let hint =
            "use sqlite:///absolute/path.sqlite or postgres://user:password@host:5432/database"
        if value.hasPrefix("sqlite://") {
            let path = String(value.dropFirst("sqlite://".count))
            guard !path.isEmpty else {
                throw ConfigError("DATABASE_URL '\(value)' names no file: \(hint).")
            }
            if path == ":memory:" { return .sqliteMemory }
            return .sqliteFile(path: absolute(path, in: workingDirectory))
        }
        if value.hasPrefix("postgres://") || value.hasPrefix("postgresql://") {
            guard let url = URL(string: value), let host = url.host, !host.isEmpty,
                url.path.count > 1
            else {
                throw ConfigError(
                    "DATABASE_URL '\(Secret.maskURLPassword(value))' is not a complete "
                        + "PostgreSQL URL: \(hint).")
            }
            return .postgres(url: value)
        }
        throw ConfigError(
            "DATABASE_URL '\(Secret.maskURLPassword(value))' is not understood: \(hint).")
    }

    static func parseBaseURL(_ value: String?) throws -> String {
        guard let value else { return "http://localhost:8080" }
        guard let url = URL(string: value), let scheme = url.scheme?.lowercased(),
            ["http", "https"].contains(scheme), url.host != nil
        else {
            throw ConfigError(
                "RELIEF_BASE_URL '\(value)' must be an http(s) URL such as https://crm.example.com."
            )
        }
        return value.hasSuffix("/") ? String(value.dropLast()) : value
    }

    static func loadMasterKey(
        _ value: String?, isProduction: Bool, dataDirectory: String
    ) throws -> ([UInt8], MasterKeySource) {
        if let value {
            guard let data = Data(base64Encoded: value), data.count == 32 else {
                throw ConfigError(
                    "RELIEF_MASTER_KEY must be 32 bytes in base64 (make one with "
                        + "`openssl rand -base64 32`).")
            }
            return ([UInt8](data), .environment)
        }
        if isProduction {
            throw ConfigError(
                "RELIEF_MASTER_KEY is not set: production needs a base64 32-byte master key "
                    + "(make one with `openssl rand -base64 32`).")
        }
        return (try DevelopmentKeyFile.loadOrCreate(in: dataDirectory), .developmentFile)
    }

    static func absolute(_ path: String, in directory: String) -> String {
        if path.hasPrefix("/") { return path }
        return URL(fileURLWithPath: directory).appendingPathComponent(path).standardized.path
    }

    /// The rows `relief config` prints: name, value (secrets masked) and where it came from.
    public var describedSettings: [(name: String, value: String)] {
        [
            ("environment", isProduction ? "production" : "development"),
            ("DATABASE_URL", database.redacted),
            ("RELIEF_BASE_URL", baseURL),
            (
                "RELIEF_MASTER_KEY",
                "\(Secret.mask(masterKey)), key id \(KeyRing.keyID(of: masterKey)) "
                    + "(\(masterKeySource.rawValue))"
            ),
            (
                "RELIEF_PREVIOUS_MASTER_KEYS",
                previousMasterKeys.isEmpty
                    ? "none"
                    : "\(previousMasterKeys.count) set, ****, key ids "
                        + previousMasterKeys.map { KeyRing.keyID(of: $0) }.joined(separator: ", ")
            ),
            ("RELIEF_DATA_DIR", dataDirectory),
            ("RELIEF_MAX_DOCUMENT_MB", "\(maxDocumentBytes / (1024 * 1024))"),
            ("RELIEF_MAX_IMPORT_MB", "\(maxImportBytes / (1024 * 1024))"),
            ("LOG_FORMAT", logFormat),
            (
                "RELIEF_TRACKING_IP_LIMIT",
                trackingEventsPerAddressPerMinute == 0
                    ? "0 (no limit)" : "\(trackingEventsPerAddressPerMinute) per minute"
            ),
            ("RELIEF_METRICS_TOKEN", metricsToken == nil ? "not set (loopback only)" : "set, ****"),
            ("session idle timeout", "\(Int(sessionIdleTimeout / 60)) min"),
            ("session lifetime", "\(Int(sessionLifetime / 3600)) h"),
            ("access token lifetime", "\(Int(accessTokenLifetime / 60)) min"),
            ("refresh token lifetime", "\(Int(refreshTokenLifetime / 86400)) days"),
            ("secure cookies", usesHTTPS ? "yes (https base URL)" : "no (http base URL)"),
        ]
    }
}

/// A configuration problem, stated as one line that says what to set.
public struct ConfigError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Masking helpers for values that must never reach logs or screens.
enum Secret {
    /// `postgres://relief:hunter2@db/x` -> `postgres://relief:****@db/x`.
    static func maskURLPassword(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://"),
            let at = url.range(of: "@", range: schemeEnd.upperBound..<url.endIndex)
        else { return url }
        let credentials = url[schemeEnd.upperBound..<at.lowerBound]
        guard let colon = credentials.firstIndex(of: ":") else { return url }
        return url[..<credentials.index(after: colon)] + "****" + url[at.lowerBound...]
    }

    /// Shows only that a key is set and a short fingerprint-free length hint.
    static func mask(_ key: [UInt8]) -> String { "set, \(key.count) bytes, ****" }
}

/// The development master key file (`<data dir>/master.key`), created on first use with
/// owner-only permissions. Production must use `RELIEF_MASTER_KEY` instead.
enum DevelopmentKeyFile {
    static func loadOrCreate(in directory: String) throws -> [UInt8] {
        let path = URL(fileURLWithPath: directory).appendingPathComponent("master.key").path
        let files = FileManager.default
        if let text = try? String(contentsOfFile: path, encoding: .utf8) {
            guard
                let data = Data(
                    base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)),
                data.count == 32
            else {
                throw ConfigError(
                    "The development key file \(path) is damaged: delete it (data encrypted with "
                        + "it becomes unreadable) or set RELIEF_MASTER_KEY.")
            }
            return [UInt8](data)
        }
        do {
            try files.createDirectory(atPath: directory, withIntermediateDirectories: true)
            var key = [UInt8](repeating: 0, count: 32)
            var generator = SystemRandomNumberGenerator()
            for index in key.indices { key[index] = generator.next() }
            let created = files.createFile(
                atPath: path, contents: Data(Data(key).base64EncodedString().utf8),
                attributes: [.posixPermissions: 0o600])
            guard created else { throw ConfigError("cannot write \(path)") }
            return key
        } catch {
            throw ConfigError(
                "Cannot create the development key file in \(directory) (\(error)): set "
                    + "RELIEF_DATA_DIR to a writable folder or RELIEF_MASTER_KEY.")
        }
    }
}

extension Optional where Wrapped == String {
    /// The string when it is set and not blank.
    var nonEmpty: String? {
        guard let self, !self.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        return self
    }
}
