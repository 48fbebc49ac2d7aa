import Fluent
import Foundation
import ReliefCore
import Testing
import Vapor

@testable import ReliefApp

/// `Database.insertInGroups(_:now:)` for ``BulkInsertable`` models: the hand-written column
/// lists match the models, and a bulk-written row reads back exactly like one Fluent created.
@Suite("Bulk insert")
struct BulkInsertTests {
    @Test("every bulk row type writes exactly the columns of its table's model")
    func columnsMatchTheModels() {
        func check<Row: BulkInsertable, Stored: Model>(_: Row.Type, _: Stored.Type) {
            let fields = Stored.keys.map(\.description)
            #expect(Row.bulkTable == Stored.schema, "\(Row.self)")
            #expect(Row.bulkColumns.count == fields.count, "\(Row.self)")
            #expect(Set(Row.bulkColumns) == Set(fields), "\(Row.self)")
        }
        check(NewLeadRow.self, Lead.self)
        check(NewLeadPhoneRow.self, LeadPhoneRecord.self)
        check(NewLeadEmailRow.self, LeadEmailRecord.self)
        check(NewLeadTagRow.self, LeadTag.self)
        check(NewActivityRow.self, Activity.self)
    }

    /// Every kind of value: text COPY must escape, NULLs, UUIDs, money.
    private func fill(_ lead: some LeadFields, owner: UUID) {
        lead.firstName = "Zoë"
        lead.lastName = "O'Brien\\Tab\there"
        lead.firstNameKey = Lead.nameKey(lead.firstName)
        lead.lastNameKey = Lead.nameKey(lead.lastName)
        lead.primaryPhone = "+15125550143"
        lead.address = "12 Elm St\nApt 4\r\n\\N"
        lead.city = "Austin"
        lead.state = "TX"
        lead.zip = "78701"
        lead.timeZone = "America/Chicago"
        lead.phoneTimeZones = "America/Chicago"
        lead.statedUnsecuredDebtCents = 2_345_600
        lead.hardshipNotes = "Lost job; medical bills \"urgent\""
        lead.ownerID = owner
        lead.assignmentRule = "Texas"
        lead.firstTouch = #"{"source":"google"}"#
    }

    @Test("bulk-written rows read back like rows Fluent created")
    func roundTrip() async throws {
        try await withApp { app, _ in
            let fixture = try await Fixture.make(app, slug: "bulk")
            let organizationID = try fixture.organization.requireID()
            let owner = try fixture.owner.requireID()
            let now = Date(timeIntervalSince1970: 1_764_000_123.456789)

            let created = Lead(organizationID: organizationID, now: now)
            fill(created, owner: owner)
            try await created.create(on: app.db)
            let bulk = NewLeadRow(
                id: UUID.timeOrdered(), organizationID: organizationID, createdAt: now)
            fill(bulk, owner: owner)
            let phone = NewLeadPhoneRow(
                organizationID: organizationID, leadID: bulk.id, e164: "+15125550143",
                type: .mobile, isPrimary: true)
            let email = NewLeadEmailRow(
                organizationID: organizationID, leadID: bulk.id, email: "zoe@example.com",
                isPrimary: true)
            let activity = NewActivityRow(
                organizationID: organizationID, leadID: bulk.id, kind: .imported, actorID: nil,
                actorLabel: "import", summary: "Imported from leads.csv",
                body: "line 1\nline\t2 \\ end", data: "{}")
            try await app.db.transaction { database in
                try await database.insertInGroups([bulk], now: now)
                try await database.insertInGroups([phone], now: now)
                try await database.insertInGroups([email], now: now)
                try await database.insertInGroups([activity], now: now)
            }

            let readCreated = try #require(try await Lead.find(created.id, on: app.db))
            let readBulk = try #require(try await Lead.find(bulk.id, on: app.db))
            #expect(readBulk.createdAt == readCreated.createdAt)
            readCreated.id = readBulk.id
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            encoder.dateEncodingStrategy = .secondsSince1970
            #expect(
                String(decoding: try encoder.encode(readBulk), as: UTF8.self)
                    == String(decoding: try encoder.encode(readCreated), as: UTF8.self))
            #expect(readBulk.address == "12 Elm St\nApt 4\r\n\\N")
            #expect(readBulk.status == .new)
            #expect(readBulk.ownerID == owner)
            #expect(readBulk.middleName == "")
            #expect(readBulk.dateOfBirth == nil)

            let phones = try await LeadPhoneRecord.query(on: app.db)
                .filter(\.$leadID == bulk.id).all()
            #expect(phones.map(\.e164) == ["+15125550143"])
            #expect(phones.first?.isPrimary == true)
            #expect(phones.first?.createdAt.map { abs($0.timeIntervalSince(now)) < 0.001 } == true)
            let emails = try await LeadEmailRecord.query(on: app.db)
                .filter(\.$leadID == bulk.id).all()
            #expect(emails.map(\.email) == ["zoe@example.com"])
            let events = try await Activity.query(on: app.db).filter(\.$leadID == bulk.id).all()
            #expect(events.map(\.body) == ["line 1\nline\t2 \\ end"])
            #expect(events.first?.actorID == nil)
            #expect(events.first?.kind == .imported)

            // The bulk-written lead is found by the same queries as any other.
            let byPhone = try await LeadPhoneRecord.query(in: organizationID, on: app.db)
                .filter(\.$e164 == "+15125550143").all()
            #expect(byPhone.count == 1)
            let byOwner = try await Lead.query(in: organizationID, on: app.db)
                .filter(\.$ownerID == owner).filter(\.$state == "TX").count()
            #expect(byOwner == 2)
        }
    }

    @Test("a large batch is split into statements and every row arrives")
    func manyRows() async throws {
        try await withApp { app, _ in
            let fixture = try await Fixture.make(app, slug: "bulkmany")
            let organizationID = try fixture.organization.requireID()
            let now = Date()
            let leads = (0..<3_000).map { index in
                let lead = NewLeadRow(
                    id: UUID.timeOrdered(), organizationID: organizationID, createdAt: now)
                lead.firstName = "Lead"
                lead.lastName = "Number \(index)"
                return lead
            }
            try await app.db.insertInGroups(leads, now: now)
            let stored = try await Lead.query(in: organizationID, on: app.db).count()
            #expect(stored == 3_000)
            let last = try await Lead.query(in: organizationID, on: app.db)
                .filter(\.$lastName == "Number 2999").first()
            #expect(last?.id == leads[2_999].id)
        }
    }
}
