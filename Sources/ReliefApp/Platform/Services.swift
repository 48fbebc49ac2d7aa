import Fluent
import JWT
import ReliefCore
import Vapor

/// The application-wide services every feature uses, built once by `configure` from the
/// ``AppConfig`` and stored on the `Application`.
struct ReliefServices: Sendable {
    let config: AppConfig
    let keys: KeyRing
    let cipher: FieldCipher
    /// Keyed blind indexes of identifiers (SSN, phone, e-mail) for equality search.
    let blindIndex: BlindIndex
    /// Encrypted document storage (local files under the data directory).
    let documents: any DocumentStore
    let audit: AuditLog
    /// Per-key in-process locks (audit chains, assignment counters).
    let locks: KeyedAsyncLock
    /// ZIP directory, area codes and income by ZIP from `Resources/Data/`.
    let geo: GeoData
    /// The contact gate with the state rules data, and the DNC registries in memory.
    let compliance: ComplianceRuntime
    /// Signs and verifies API access tokens.
    let tokenSigner: JWTKeyCollection
    /// The clock every decision reads (tests inject a fixed one).
    let now: @Sendable () -> Date
    /// Builds the mailer for system e-mail on a database connection.
    let makeMailer: @Sendable (any Database, Logger) -> any Mailer
}

extension Application {
    private struct ServicesKey: StorageKey {
        typealias Value = ReliefServices
    }

    /// The services installed by `configure`.
    var relief: ReliefServices {
        get {
            guard let services = storage[ServicesKey.self] else {
                fatalError("configure(_:config:) installs the ReliefCRM services before use")
            }
            return services
        }
        set { storage[ServicesKey.self] = newValue }
    }
}

extension Request {
    var relief: ReliefServices { application.relief }

    /// The current instant from the injected clock.
    var now: Date { application.relief.now() }

    /// The system mailer on this request's database.
    var mailer: any Mailer { relief.makeMailer(db, logger) }
}
