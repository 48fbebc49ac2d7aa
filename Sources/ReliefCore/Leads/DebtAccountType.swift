/// The kind of account behind a debt, as agents and credit reports name it. Whether it is
/// secured by default follows from the kind; an agent can override the flag per debt.
public enum DebtAccountType: String, Sendable, Codable, CaseIterable {
    case creditCard = "credit_card"
    case personalLoan = "personal_loan"
    case installmentLoan = "installment_loan"
    case medical
    case collection
    case privateStudentLoan = "private_student_loan"
    case federalStudentLoan = "federal_student_loan"
    case mortgage
    case heloc
    case auto
    case securedCard = "secured_card"
    case tax
    case childSupport = "child_support"
    case other

    public var label: String {
        switch self {
        case .creditCard: "Credit card"
        case .personalLoan: "Personal loan"
        case .installmentLoan: "Installment loan"
        case .medical: "Medical"
        case .collection: "Collection"
        case .privateStudentLoan: "Private student loan"
        case .federalStudentLoan: "Federal student loan"
        case .mortgage: "Mortgage"
        case .heloc: "Home equity line"
        case .auto: "Auto loan"
        case .securedCard: "Secured card"
        case .tax: "Tax debt"
        case .childSupport: "Child support"
        case .other: "Other"
        }
    }

    /// Whether debts of this kind are secured by collateral.
    public var isSecuredByDefault: Bool {
        switch self {
        case .mortgage, .heloc, .auto, .securedCard: true
        default: false
        }
    }
}
