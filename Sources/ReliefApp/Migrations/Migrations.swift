import Fluent

/// The numbered changelog, in order. Never edit a migration that has landed: add a new one.
enum Changelog {
    static let all: [any Migration] = [
        CreateOrganizations(),
        CreateUsers(),
        CreateTeams(),
        CreateTeamMembers(),
        CreateUserSessions(),
        CreateApiKeys(),
        CreateRefreshTokens(),
        CreateRecoveryCodes(),
        CreateOneTimeTokens(),
        CreateLoginAttempts(),
        CreateAuditEvents(),
        CreateOutboxMessages(),
        CreateJobs(),
        CreateLeadSources(),
        CreateLeads(),
        CreateLeadContacts(),
        CreateDebts(),
        CreateActivities(),
        CreateConsents(),
        CreateLeadTags(),
        CreateTasks(),
        CreateAssignmentRules(),
        CreateRoundRobinCounters(),
        AddLeadAssignmentSettings(),
        CreateLeadImports(),
        CreateImportMappings(),
        AddLeadMergedInto(),
        CreateCustomFieldDefinitions(),
        AddTaskReminderIndex(),
        CreateSavedViews(),
        AddLeadStatusIndex(),
        AddLeadListFilterIndex(),
    ]
}
