import Crypto
import Fluent
import Foundation
import ReliefCore
import Vapor

/// A public page of an organization at `/p/{slug}`: a title, a body in ``LandingMarkup``, and
/// optionally a lead form with the organization's consent text. Unpublished pages answer 404.
final class LandingPage: Model, TenantScoped, @unchecked Sendable {
    static let schema = "landing_pages"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date

    // data fields
    @Field(key: "organization_id") var organizationID: UUID
    /// Unique across organizations: the page address is `/p/{slug}`.
    @Field(key: "slug") var slug: String
    @Field(key: "title") var title: String
    /// ``LandingMarkup`` source.
    @Field(key: "body") var body: String
    @Field(key: "has_form") var hasForm: Bool
    /// Shown beside the form's consent checkbox and stored verbatim with each consent; empty
    /// for a form without a consent checkbox.
    @Field(key: "consent_text") var consentText: String
    @Field(key: "is_published") var isPublished: Bool
    @OptionalField(key: "published_at") var publishedAt: Date?

    init() {}

    init(organizationID: UUID, now: Date) {
        self.organizationID = organizationID
        slug = ""
        title = ""
        body = ""
        hasForm = true
        consentText = ""
        isPublished = false
        createdAt = now
        updatedAt = now
    }

    static func scoped(_ query: QueryBuilder<LandingPage>, to organizationID: UUID)
        -> QueryBuilder<LandingPage>
    {
        query.filter(\.$organizationID == organizationID)
    }

    /// The public path.
    var path: String { "/p/\(slug)" }
}

/// A landing page visitor (the script's first-party id) tied to a lead by a form submission;
/// later beacons of that visitor count for the lead.
final class LandingVisitor: Model, TenantScoped, @unchecked Sendable {
    static let schema = "landing_visitors"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Field(key: "created_at") var createdAt: Date

    // data fields
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "visitor_id") var visitorID: String
    @Field(key: "lead_id") var leadID: UUID

    init() {}

    init(organizationID: UUID, visitorID: String, leadID: UUID, now: Date) {
        self.organizationID = organizationID
        self.visitorID = visitorID
        self.leadID = leadID
        createdAt = now
    }

    static func scoped(_ query: QueryBuilder<LandingVisitor>, to organizationID: UUID)
        -> QueryBuilder<LandingVisitor>
    {
        query.filter(\.$organizationID == organizationID)
    }
}

/// The signed values of landing pages, each under its own key purpose derived from the master
/// key (HMAC-SHA-256, the first 16 bytes; values signed under a previous master key still
/// verify):
/// - the lead reference cookie a tracked click sets (`landing-lead-ref`): organization, lead
///   and the instant it was issued, so that the browser's later beacons count for the lead;
/// - the landing form token (`landing-forms`): the page and the instant the form was shown,
///   the public form's protection against cross-site submissions (valid for a day).
struct LandingSigner: Sendable {
    static let cookieName = "relief_ref"
    /// 90 days.
    static let referenceLifetime: TimeInterval = 90 * 86_400
    static let formLifetime: TimeInterval = 86_400
    static let macLength = 16
    private let referenceKeys: [SymmetricKey]
    private let formKeys: [SymmetricKey]

    init(keyRing: KeyRing) {
        referenceKeys = keyRing.knownKeyIDs.compactMap {
            keyRing.key(for: "landing-lead-ref", keyID: $0)
        }
        formKeys = keyRing.knownKeyIDs.compactMap { keyRing.key(for: "landing-forms", keyID: $0) }
    }

    /// `org | lead | issued (u32 seconds)` and the MAC, base64url.
    func leadReference(organizationID: UUID, leadID: UUID, issuedAt: Date) -> String {
        var bytes: [UInt8] = [1]
        for id in [organizationID, leadID] {
            withUnsafeBytes(of: id.uuid) { bytes.append(contentsOf: $0) }
        }
        Self.append(issuedAt, to: &bytes)
        return Self.seal(bytes, key: referenceKeys[0])
    }

    /// The organization and lead of a reference cookie that verifies and has not expired.
    func verifyLeadReference(_ text: String, now: Date) -> (organizationID: UUID, leadID: UUID)? {
        guard let body = Self.open(text, keys: referenceKeys), body.count == 37, body[0] == 1
        else { return nil }
        let issued = Self.instant(body[33..<37])
        guard now.timeIntervalSince(issued) < Self.referenceLifetime else { return nil }
        return (Self.uuid(body[1..<17]), Self.uuid(body[17..<33]))
    }

    /// `page | issued (u32 seconds)` and the MAC, base64url.
    func formToken(pageID: UUID, issuedAt: Date) -> String {
        var bytes: [UInt8] = [2]
        withUnsafeBytes(of: pageID.uuid) { bytes.append(contentsOf: $0) }
        Self.append(issuedAt, to: &bytes)
        return Self.seal(bytes, key: formKeys[0])
    }

    /// Whether `text` is a form token of `pageID` shown less than a day before `now`.
    func verifyFormToken(_ text: String, pageID: UUID, now: Date) -> Bool {
        guard let body = Self.open(text, keys: formKeys), body.count == 21, body[0] == 2,
            Self.uuid(body[1..<17]) == pageID
        else { return false }
        let age = now.timeIntervalSince(Self.instant(body[17..<21]))
        return age > -300 && age < Self.formLifetime
    }

    private static func append(_ instant: Date, to bytes: inout [UInt8]) {
        let seconds = UInt32(clamping: Int64(instant.timeIntervalSince1970))
        withUnsafeBytes(of: seconds.bigEndian) { bytes.append(contentsOf: $0) }
    }

    private static func seal(_ bytes: [UInt8], key: SymmetricKey) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: bytes, using: key)
        return Base64URL.encode(Data(bytes + mac.prefix(macLength)))
    }

    private static func open(_ text: String, keys: [SymmetricKey]) -> [UInt8]? {
        guard text.utf8.count <= 256, let data = Base64URL.decode(text), data.count > macLength
        else { return nil }
        let bytes = [UInt8](data)
        let body = Array(bytes[..<(bytes.count - macLength)])
        let mac = Array(bytes[(bytes.count - macLength)...])
        let valid = keys.contains { key in
            let expected = Array(HMAC<SHA256>.authenticationCode(for: body, using: key))
            return zip(expected.prefix(macLength), mac).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) }
                == 0
        }
        return valid ? body : nil
    }

    private static func instant(_ bytes: ArraySlice<UInt8>) -> Date {
        Date(
            timeIntervalSince1970: TimeInterval(
                bytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }))
    }

    private static func uuid(_ bytes: ArraySlice<UInt8>) -> UUID {
        var value: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &value) { $0.copyBytes(from: bytes) }
        return UUID(uuid: value)
    }
}
