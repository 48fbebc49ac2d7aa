/// How an incoming draft (an import row) combines with the stored lead it duplicates.
public enum DraftMergeMode: Sendable {
    /// Keep every stored value; take the incoming one only where the stored lead has none.
    case fillEmpty
    /// Take every incoming value that is present; keep the stored one where the row is empty.
    case overwrite
}

extension LeadDraft {
    /// The stored lead (`self`) combined with `incoming`. Phones, e-mails and tags are never
    /// lost: the result holds both sets without repeats, the stored primary first when filling,
    /// the incoming primary first when overwriting.
    public func merged(with incoming: LeadDraft, mode: DraftMergeMode) -> LeadDraft {
        func pick<Value>(_ stored: Value?, _ new: Value?) -> Value? {
            switch mode {
            case .fillEmpty: stored ?? new
            case .overwrite: new ?? stored
            }
        }
        var result = self
        result.firstName = pick(firstName, incoming.firstName)
        result.middleName = pick(middleName, incoming.middleName)
        result.lastName = pick(lastName, incoming.lastName)
        result.address = pick(address, incoming.address)
        result.address2 = pick(address2, incoming.address2)
        result.city = pick(city, incoming.city)
        result.state = pick(state, incoming.state)
        result.zip = pick(zip, incoming.zip)
        result.dateOfBirth = pick(dateOfBirth, incoming.dateOfBirth)
        result.ssn = pick(ssn, incoming.ssn)
        result.totalUnsecuredDebtCents = pick(
            totalUnsecuredDebtCents, incoming.totalUnsecuredDebtCents)
        result.monthlyIncomeCents = pick(monthlyIncomeCents, incoming.monthlyIncomeCents)
        result.employment = pick(employment, incoming.employment)
        result.hardship = pick(hardship, incoming.hardship)
        result.source = pick(source, incoming.source)
        result.campaign = pick(campaign, incoming.campaign)
        result.language = pick(language, incoming.language)
        result.externalID = pick(externalID, incoming.externalID)
        result.utmSource = pick(utmSource, incoming.utmSource)
        result.utmMedium = pick(utmMedium, incoming.utmMedium)
        result.utmCampaign = pick(utmCampaign, incoming.utmCampaign)
        let (first, second) = mode == .fillEmpty ? (self, incoming) : (incoming, self)
        var emails: [String] = []
        for email in first.emails + second.emails where !emails.contains(email) {
            emails.append(email)
        }
        result.emails = emails
        var phones: [LeadPhone] = []
        for phone in first.phones + second.phones
        where !phones.contains(where: { $0.number.nationalDigits == phone.number.nationalDigits }) {
            var phone = phone
            phone.isPrimary = phones.isEmpty
            phones.append(phone)
        }
        result.phones = phones
        var tags: [String] = []
        for tag in first.tags + second.tags
        where !tags.contains(where: { $0.lowercased() == tag.lowercased() }) {
            tags.append(tag)
        }
        result.tags = tags
        return result
    }
}
