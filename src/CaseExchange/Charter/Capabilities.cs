namespace CaseExchange.Charter;

/// <summary>The capabilities that <c>charter/policy.json</c> grants to roles. Code checks these, never role names.</summary>
public static class Capabilities
{
    public const string ReadAnonymisedSituations = "read-anonymised-situations";
    public const string ManageCouncil = "manage-council";
    public const string ManageGroups = "manage-groups";
    public const string PrepareSeances = "prepare-seances";
    public const string LeadSituations = "lead-situations";
    public const string ReadStatistics = "read-statistics";
    public const string ReferSituations = "refer-situations";
    public const string OpenNominativeFiles = "open-nominative-files";
    public const string RecordFollowUp = "record-follow-up";
    public const string ReadJournal = "read-journal";
    public const string OrderErasure = "order-erasure";
    public const string AnswerAccessRequests = "answer-access-requests";

    /// <summary>The council's groups, their members and their séances: its working organisation, not statistics.</summary>
    public const string ReadGroups = "read-groups";

    /// <summary>The statistics of one commune of an intercommunal council: its maire's, and nothing else.</summary>
    public const string ReadCommuneStatistics = "read-commune-statistics";

    public static readonly IReadOnlySet<string> All = new HashSet<string>
    {
        ReadAnonymisedSituations, ManageCouncil, ManageGroups, PrepareSeances, LeadSituations, ReadStatistics,
        ReferSituations, OpenNominativeFiles, RecordFollowUp, ReadJournal, OrderErasure, AnswerAccessRequests, ReadGroups,
        ReadCommuneStatistics,
    };

    /// <summary>Capabilities that reach nominative data; the charter keeps them away from some roles whatever the policy says.</summary>
    public static readonly IReadOnlySet<string> Nominative = new HashSet<string>
    {
        OpenNominativeFiles, ReferSituations, RecordFollowUp, AnswerAccessRequests,
    };
}

/// <summary>Role names as they appear in policy.json and in events.</summary>
public static class Roles
{
    public const string Coordonnateur = "coordonnateur";
    public const string Animateur = "animateur";
    public const string Membre = "membre";
    public const string Referent = "referent";
    public const string Auditeur = "auditeur";
    public const string President = "president";

    /// <summary>The maire of one commune of the council: held by designation (with the commune), never granted alone.</summary>
    public const string Maire = "maire";

    public static readonly IReadOnlySet<string> CouncilRoles = new HashSet<string> { Coordonnateur, Auditeur, President };
    public static readonly IReadOnlySet<string> GroupRoles = new HashSet<string> { Animateur, Membre };
}

/// <summary>Person roles the code relies on; policy.json must list them.</summary>
public static class PersonRoles
{
    public const string Followed = "personne-suivie";
}
