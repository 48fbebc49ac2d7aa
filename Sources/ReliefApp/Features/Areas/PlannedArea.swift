/// An area of the product plan that is not built yet. Its page says so plainly and lists what
/// is coming; the sidebar marks it "Soon". Remove an entry when its area ships.
struct PlannedArea: Sendable {
    var key: String
    var title: String
    var icon: String
    var summary: String
    var planned: [String]

    static let all: [PlannedArea] = [
        PlannedArea(
            key: "qualification", title: "Qualification", icon: "check",
            summary:
                "Credit report parsing, debt classification, income estimate and enrollment probability.",
            planned: [
                "MISMO, Metro 2 and JSON credit reports", "Secured vs unsecured debt",
                "Hardship and denial reasons", "Pitch angle and talking points",
            ]),
        PlannedArea(
            key: "sequences", title: "Sequences", icon: "flow",
            summary:
                "Email, SMS and call steps in the lead's time zone, stopping when the lead answers.",
            planned: [
                "Visual sequence designer", "Send-time optimization", "A/B tests",
                "Auto-stop on reply",
            ]),
        PlannedArea(
            key: "inbox", title: "Inbox", icon: "inbox",
            summary: "Email and SMS conversations threaded per lead.",
            planned: [
                "Template library with personalization", "Opt-out handling", "MMS",
                "Deliverability monitoring",
            ]),
        PlannedArea(
            key: "calls", title: "Calls", icon: "phone",
            summary: "Local presence dialing, recordings, dispositions and AI call summaries.",
            planned: [
                "Local presence caller ID", "Whisper notes", "Transcription and summaries",
                "Objection detection",
            ]),
        PlannedArea(
            key: "calendar", title: "Calendar", icon: "calendar",
            summary: "Appointments with two-way calendar sync and reminders.",
            planned: [
                "Google and Outlook sync", "Three proposed slots", "SMS and e-mail reminders",
                "No-show follow-up",
            ]),
        PlannedArea(
            key: "programs", title: "Client programs", icon: "folder",
            summary:
                "Enrolled debts, deposits, settlements and fees under the TSR advance-fee rule.",
            planned: [
                "Settlement tracking", "Deposit schedule", "Fee calculation per settled debt",
            ]),
        PlannedArea(
            key: "portal", title: "Client portal", icon: "portal",
            summary:
                "Where enrolled clients follow their program, upload documents and message their team.",
            planned: [
                "Program tracker and settlement progress", "Secure messages and documents",
                "Payment history", "Savings calculator",
            ]),
        PlannedArea(
            key: "performance", title: "Team performance", icon: "chart",
            summary: "Calls, connects, talk time, enrollments and leaderboards per agent and team.",
            planned: [
                "Live scoreboard", "Conversion ratios", "Objection breakdown",
                "Coaching suggestions",
            ]),
        PlannedArea(
            key: "forecasts", title: "Forecasts & BI", icon: "trend",
            summary: "Enrolled debt, settlement and revenue projections, funnel and source ROI.",
            planned: [
                "Settlement and revenue timelines", "Cash flow projection", "Churn prediction",
                "Daily pipeline digest",
            ]),
        PlannedArea(
            key: "automation", title: "Automation", icon: "bolt",
            summary: "Trigger-based workflows with if/then rules.",
            planned: ["Workflow builder", "Resurrection sequences", "Auto-routing rules"]),
        PlannedArea(
            key: "integrations", title: "Integrations", icon: "plug",
            summary: "Telephony, e-mail, SMS, calendar, payments and AI providers.",
            planned: [
                "Twilio, SendGrid, Mailgun, Bandwidth",
                "Google Calendar, Microsoft Graph, Calendly", "Stripe and ACH",
                "Deepgram, AssemblyAI, OpenAI-compatible",
            ]),
    ]
}
