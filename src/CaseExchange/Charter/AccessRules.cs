using CaseExchange.Councils;
using CaseExchange.Situations;

namespace CaseExchange.Charter;

/// <summary>Why an access was refused: stable codes, shown to auditors and in problem types.</summary>
public static class Refusals
{
    public const string NotACouncilMember = "pas-membre-du-conseil";
    public const string CharterNotSigned = "charte-non-signee";
    public const string NoCharterInForce = "aucune-charte-en-vigueur";
    public const string NotInHoldingGroup = "hors-du-groupe-detenteur";
    public const string RoleNotAllowed = "role-non-autorise";
    public const string NominativeDataErased = "donnees-effacees";
    public const string ArchiveReasonRequired = "motif-archive-requis";
    public const string NotTheReferent = "pas-le-referent";
    public const string IdentifyingText = "texte-identifiant";

    /// <summary>An entitled caller's request was incomplete or unreadable: refused before anything was done.</summary>
    public const string InvalidRequest = "demande-invalide";

    /// <summary>An entitled caller named a situation that this council does not hold.</summary>
    public const string UnknownSituation = "situation-inconnue";

    public static string Explain(string code) => code switch
    {
        NotACouncilMember => "Vous n'êtes pas membre actif de ce conseil.",
        CharterNotSigned => "Vous n'avez pas signé la version en vigueur de la charte déontologique : aucun accès nominatif n'est possible avant sa signature.",
        NoCharterInForce => "Aucune charte n'est en vigueur dans ce conseil : les échanges nominatifs ne sont pas ouverts.",
        NotInHoldingGroup => "Seuls les membres du groupe de travail qui détient cette situation peuvent en consulter le dossier nominatif.",
        RoleNotAllowed => "Votre rôle ne permet pas cette action selon la charte.",
        NominativeDataErased => "Les données nominatives de cette situation ont été effacées.",
        ArchiveReasonRequired => "Cette situation est clôturée et archivée : sa consultation exige un motif écrit.",
        NotTheReferent => "Seul le référent désigné pour cette situation peut enregistrer son suivi.",
        IdentifyingText => "Un texte saisi en clair désignait une personne connue du conseil : il a été refusé.",
        InvalidRequest => "La demande est incomplète ou illisible.",
        UnknownSituation => "Situation introuvable dans ce conseil.",
        _ => "Accès refusé.",
    };
}

public sealed record AccessVerdict(bool Allowed, string? Refusal)
{
    public static readonly AccessVerdict Granted = new(true, null);
    public static AccessVerdict Refused(string refusal) => new(false, refusal);
}

/// <summary>
/// The charter's access rules as pure functions of the state at one instant. The same functions decide live
/// requests and replay past journal entries (states rebuilt from the event store at the entry's instant).
/// </summary>
public static class AccessRules
{
    /// <summary>Rule 3: the full file only to an active member of the holding group, with the charter in force signed.</summary>
    public static AccessVerdict OpenNominativeFile(CharterPolicy policy, Member? member, Council council, Group? holdingGroup, Situation situation, bool archiveReasonGiven)
    {
        if (member is not { Active: true }) return AccessVerdict.Refused(Refusals.NotACouncilMember);
        var groupRole = holdingGroup?.RoleOf(member.Id);
        if (groupRole is null) return AccessVerdict.Refused(Refusals.NotInHoldingGroup);
        if (!policy.RoleHas(groupRole, Capabilities.OpenNominativeFiles)) return AccessVerdict.Refused(Refusals.RoleNotAllowed);
        var charter = CharterSignedInForce(member, council);
        if (!charter.Allowed) return charter;
        if (situation.IsErased) return AccessVerdict.Refused(Refusals.NominativeDataErased);
        if (situation.IsClosed && !archiveReasonGiven) return AccessVerdict.Refused(Refusals.ArchiveReasonRequired);
        return AccessVerdict.Granted;
    }

    /// <summary>Writing nominative data into a group's situations: same conditions as reading them, with a capability of the group role.</summary>
    public static AccessVerdict ActInGroup(CharterPolicy policy, Member? member, Council council, Group? group, string capability)
    {
        if (member is not { Active: true }) return AccessVerdict.Refused(Refusals.NotACouncilMember);
        var groupRole = group?.RoleOf(member.Id);
        var viaGroup = groupRole is not null && policy.RoleHas(groupRole, capability);
        var viaCouncil = member.CouncilRoles.Any(r => policy.RoleHas(r, capability));
        if (!viaGroup && !viaCouncil)
            return AccessVerdict.Refused(groupRole is null && member.CouncilRoles.Count == 0 ? Refusals.NotInHoldingGroup : Refusals.RoleNotAllowed);
        return CharterSignedInForce(member, council);
    }

    /// <summary>Only the designated référent records a follow-up, while a member of the holding group under the charter.</summary>
    public static AccessVerdict RecordFollowUp(CharterPolicy policy, Member? member, Council council, Group? holdingGroup, Situation situation)
    {
        if (member is not { Active: true }) return AccessVerdict.Refused(Refusals.NotACouncilMember);
        if (situation.ReferentId != member.Id || !policy.RoleHas(Roles.Referent, Capabilities.RecordFollowUp))
            return AccessVerdict.Refused(Refusals.NotTheReferent);
        if (holdingGroup?.HasMember(member.Id) != true) return AccessVerdict.Refused(Refusals.NotInHoldingGroup);
        return CharterSignedInForce(member, council);
    }

    /// <summary>The right of access: the coordonnateur gathers what is held about a person, under the charter in force.</summary>
    public static AccessVerdict AnswerAccessRequest(CharterPolicy policy, Member? member, Council council) =>
        CouncilActUnderCharter(policy, member, council, Capabilities.AnswerAccessRequests);

    /// <summary>An erasure order (court decision, right to erasure): the coordonnateur, under the charter in force.</summary>
    public static AccessVerdict OrderErasure(CharterPolicy policy, Member? member, Council council) =>
        CouncilActUnderCharter(policy, member, council, Capabilities.OrderErasure);

    /// <summary>Withdrawing a CR version (its content is destroyed): the coordonnateur, under the charter in force; not a group's animateur.</summary>
    public static AccessVerdict WithdrawCompteRendu(CharterPolicy policy, Member? member, Council council) =>
        CouncilActUnderCharter(policy, member, council, Capabilities.PrepareSeances);

    private static AccessVerdict CouncilActUnderCharter(CharterPolicy policy, Member? member, Council council, string capability)
    {
        var role = CouncilCapability(policy, member, capability);
        return role.Allowed ? CharterSignedInForce(member!, council) : role;
    }

    /// <summary>A council-level capability (manage groups, read the journal, statistics…), no nominative data involved.</summary>
    public static AccessVerdict CouncilCapability(CharterPolicy policy, Member? member, string capability)
    {
        if (member is not { Active: true }) return AccessVerdict.Refused(Refusals.NotACouncilMember);
        return member.CouncilRoles.Any(r => policy.RoleHas(r, capability))
            ? AccessVerdict.Granted
            : AccessVerdict.Refused(Refusals.RoleNotAllowed);
    }

    /// <summary>
    /// Plenary statistics (charter rule 7: aggregated and anonymised only): the council roles that read them see the whole
    /// council or, if they ask, one commune; the maire of a commune (designated, with the role's capability) sees his
    /// commune's only — asking for another is refused. Which commune the figures cover: <see cref="StatisticsCommune"/>.
    /// </summary>
    public static AccessVerdict ReadStatistics(CharterPolicy policy, Member? member, string? commune)
    {
        if (member is not { Active: true }) return AccessVerdict.Refused(Refusals.NotACouncilMember);
        if (member.CouncilRoles.Any(r => policy.RoleHas(r, Capabilities.ReadStatistics))) return AccessVerdict.Granted;
        return IsMaire(policy, member) && (commune is null || commune == member.MaireOf)
            ? AccessVerdict.Granted
            : AccessVerdict.Refused(Refusals.RoleNotAllowed);
    }

    /// <summary>The commune the statistics cover for this reader: the one asked by a council-wide reader, always the maire's own for a maire.</summary>
    public static string? StatisticsCommune(CharterPolicy policy, Member member, string? asked) =>
        member.CouncilRoles.Any(r => policy.RoleHas(r, Capabilities.ReadStatistics)) ? asked : member.MaireOf;

    private static bool IsMaire(CharterPolicy policy, Member member) =>
        member.MaireOf is not null && member.CouncilRoles.Contains(Roles.Maire) && policy.RoleHas(Roles.Maire, Capabilities.ReadCommuneStatistics);

    /// <summary>
    /// Groups, their members and séances (charter rule 7: the président has statistics only): a council role that has the
    /// capability, or, for an ordinary member who holds no council role, the group member's role.
    /// </summary>
    public static AccessVerdict ReadGroups(CharterPolicy policy, Member? member)
    {
        if (member is not { Active: true }) return AccessVerdict.Refused(Refusals.NotACouncilMember);
        if (member.CouncilRoles.Any(r => policy.RoleHas(r, Capabilities.ReadGroups))) return AccessVerdict.Granted;
        if (member.CouncilRoles.Count == 0 && policy.RoleHas(Roles.Membre, Capabilities.ReadGroups)) return AccessVerdict.Granted;
        return AccessVerdict.Refused(Refusals.RoleNotAllowed);
    }

    /// <summary>
    /// Anonymised views (charter, rule 8: need to know): the council roles that have the capability see every group's rows;
    /// a member of a group sees that group's rows only, and only under the charter in force, since sector, age bands,
    /// reasons and dates single a person out in a small town. Which rows: <see cref="ReadsEveryGroup"/>.
    /// </summary>
    public static AccessVerdict ReadAnonymised(CharterPolicy policy, Member? member, Council council, bool belongsToAGroup)
    {
        if (member is not { Active: true }) return AccessVerdict.Refused(Refusals.NotACouncilMember);
        if (ReadsEveryGroup(policy, member)) return AccessVerdict.Granted;
        if (belongsToAGroup && policy.RoleHas(Roles.Membre, Capabilities.ReadAnonymisedSituations)) return CharterSignedInForce(member, council);
        return AccessVerdict.Refused(Refusals.RoleNotAllowed);
    }

    /// <summary>Those who follow the whole council (coordonnateur, auditeur) read every group's anonymised rows.</summary>
    public static bool ReadsEveryGroup(CharterPolicy policy, Member member) =>
        member.CouncilRoles.Any(r => policy.RoleHas(r, Capabilities.ReadAnonymisedSituations));

    /// <summary>
    /// Règlement, article 8: only active members of the group who signed the charter in force attend the nominative part
    /// of a séance (the coordonnateur too, only if designated member of the group). Others attend the general part only.
    /// </summary>
    public static AccessVerdict AttendNominativePart(Member? member, Council council, Group group)
    {
        if (member is not { Active: true }) return AccessVerdict.Refused(Refusals.NotACouncilMember);
        if (!group.HasMember(member.Id)) return AccessVerdict.Refused(Refusals.NotInHoldingGroup);
        return CharterSignedInForce(member, council);
    }

    /// <summary>
    /// Règlement, article 16: the anonymised CR is diffused only to the group's members, under the charter; those who
    /// prepare séances at council level (coordonnateur) establish it. Never the plenary or the président.
    /// </summary>
    public static AccessVerdict ReadCompteRendu(CharterPolicy policy, Member? member, Council council, Group? group)
    {
        if (member is not { Active: true }) return AccessVerdict.Refused(Refusals.NotACouncilMember);
        var inGroup = group?.HasMember(member.Id) == true;
        var preparesSeances = member.CouncilRoles.Any(r => policy.RoleHas(r, Capabilities.PrepareSeances));
        if (!inGroup && !preparesSeances)
            return AccessVerdict.Refused(member.CouncilRoles.Count == 0 ? Refusals.NotInHoldingGroup : Refusals.RoleNotAllowed);
        return CharterSignedInForce(member, council);
    }

    /// <summary>
    /// Duplicates at referral (charte: no double signalement of one person): an ordinary member (who refers in their groups)
    /// or a council role that leads situations (the coordonnateur), under the charter in force. The answer covers only the
    /// caller's own groups (and, for the coordonnateur, which other groups): see <see cref="SeesDuplicatesCouncilWide"/>.
    /// Judged on the member and the council alone, so that a replay judges it the same way.
    /// </summary>
    public static AccessVerdict CheckDuplicates(CharterPolicy policy, Member? member, Council council) =>
        IdentityLookup(policy, member, council);

    /// <summary>The coordonnateur is told that a person is already concerned in another group, and in which (no pseudonym).</summary>
    public static bool SeesDuplicatesCouncilWide(CharterPolicy policy, Member member) =>
        member.CouncilRoles.Any(r => policy.RoleHas(r, Capabilities.LeadSituations));

    /// <summary>
    /// Search by name or birth date (need to know): the gate, on the member and the council alone — an ordinary member or
    /// the coordonnateur, under the charter in force. The results are then limited to the groups where the member may open
    /// files (<see cref="SearchInHoldingGroup"/>), and a member of no such group is refused.
    /// </summary>
    public static AccessVerdict SearchByIdentity(CharterPolicy policy, Member? member, Council council) =>
        IdentityLookup(policy, member, council);

    /// <summary>One search result: the situation's holding group must be the member's, with a role that opens files.</summary>
    public static AccessVerdict SearchInHoldingGroup(CharterPolicy policy, Member? member, Council council, Group? holdingGroup)
    {
        if (member is not { Active: true }) return AccessVerdict.Refused(Refusals.NotACouncilMember);
        var groupRole = holdingGroup?.RoleOf(member.Id);
        if (groupRole is null) return AccessVerdict.Refused(Refusals.NotInHoldingGroup);
        if (!policy.RoleHas(groupRole, Capabilities.OpenNominativeFiles)) return AccessVerdict.Refused(Refusals.RoleNotAllowed);
        return CharterSignedInForce(member, council);
    }

    /// <summary>
    /// Linking two situations (a family, siblings) without opening either: those who lead situations at council level
    /// (the coordonnateur), under the charter in force.
    /// </summary>
    public static AccessVerdict LinkSituations(CharterPolicy policy, Member? member, Council council) =>
        CouncilActUnderCharter(policy, member, council, Capabilities.LeadSituations);

    /// <summary>
    /// Rectification of an identity (RGPD, article 16; charte: the coordonnateur orders it): the council role that answers
    /// the persons' rights, under the charter in force. She states the new values without reading the file.
    /// </summary>
    public static AccessVerdict CorrectIdentity(CharterPolicy policy, Member? member, Council council) =>
        CouncilActUnderCharter(policy, member, council, Capabilities.AnswerAccessRequests);

    /// <summary>
    /// Adding a person concerned or a dated fact to a situation: those who may refer in the holding group (its members and
    /// animateur), under the charter in force, as for the referral itself. The coordonnateur, who does not read the group's
    /// files, writes no facts into them.
    /// </summary>
    public static AccessVerdict AddToSituation(CharterPolicy policy, Member? member, Council council, Group? holdingGroup) =>
        ActInGroup(policy, member, council, holdingGroup, Capabilities.ReferSituations);

    /// <summary>
    /// The annual control report (charte, article 19; règlement intérieur, article 19: the auditeur checks the journal at
    /// least once a year): the auditeur, who reads the journal. The charter has the result brought to the président by
    /// the auditeur and, anonymised, to the formation restreinte; it names no other reader, and the coordonnateur, whose
    /// acts (erasure orders, memberships) the report controls, is not one. Judged on the member alone, like the journal.
    /// </summary>
    public static AccessVerdict ReadControlReport(CharterPolicy policy, Member? member) =>
        CouncilCapability(policy, member, Capabilities.ReadJournal);

    /// <summary>
    /// The trail of administrative acts (roles, memberships, charter adoptions and signatures, suspensions, partners):
    /// the auditeur, who controls that accesses followed from rightly granted memberships (charte, article 19).
    /// </summary>
    public static AccessVerdict ReadAdministrativeActs(CharterPolicy policy, Member? member) =>
        CouncilCapability(policy, member, Capabilities.ReadJournal);

    /// <summary>
    /// The one-off import of the council's spreadsheet into situations: the coordonnateur (who manages the council and
    /// answers for its files), under the charter in force. Nobody else, not even an animateur, whose referrals are his
    /// group's own.
    /// </summary>
    public static AccessVerdict ImportSpreadsheet(CharterPolicy policy, Member? member, Council council) =>
        CouncilActUnderCharter(policy, member, council, Capabilities.ManageCouncil);

    private static AccessVerdict IdentityLookup(CharterPolicy policy, Member? member, Council council)
    {
        if (member is not { Active: true }) return AccessVerdict.Refused(Refusals.NotACouncilMember);
        // The auditeur and the président (council roles without lead) have no nominative lookup at all.
        if (member.CouncilRoles.Count > 0 && !SeesDuplicatesCouncilWide(policy, member)) return AccessVerdict.Refused(Refusals.RoleNotAllowed);
        return CharterSignedInForce(member, council);
    }

    /// <summary>Rule: a member who has not signed the charter version in force has no nominative access at all.</summary>
    private static AccessVerdict CharterSignedInForce(Member member, Council council)
    {
        if (council.CharterVersionInForce is null) return AccessVerdict.Refused(Refusals.NoCharterInForce);
        return member.HasSigned(council.CharterVersionInForce) ? AccessVerdict.Granted : AccessVerdict.Refused(Refusals.CharterNotSigned);
    }
}
