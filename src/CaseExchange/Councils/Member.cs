namespace CaseExchange.Councils;

/// <summary>
/// A professional member of the council (police, Éducation nationale, bailleur…). Members' names are
/// professional data kept in clear for accountability (the journal says who opened what); they are never
/// persons concerned by a situation, and CRs name organisations and roles, not members.
/// </summary>
// Email: the member's own professional address, if given at registration (notifications only; staff data shown to nobody else).
public sealed record MemberRegistered(
    Guid MemberId, string Subject, string DisplayName, string Organisation, string Function,
    IReadOnlyList<string> CouncilRoles, Guid? RegisteredBy, DateTimeOffset At, string? Email = null);

public sealed record CouncilRoleGranted(Guid MemberId, string Role, Guid GrantedBy, DateTimeOffset At);

public sealed record CouncilRoleRevoked(Guid MemberId, string Role, Guid RevokedBy, DateTimeOffset At);

/// <summary>The coordonnateur designated the member maire of one commune of the council: that commune's statistics, nothing else.</summary>
public sealed record MaireDesignated(Guid MemberId, string Commune, Guid DesignatedBy, DateTimeOffset At);

/// <summary>The member is no longer maire of the commune.</summary>
public sealed record MaireDesignationEnded(Guid MemberId, string Commune, Guid EndedBy, DateTimeOffset At);

public sealed record CharterSigned(Guid MemberId, string CharterVersion, string Fingerprint, DateTimeOffset At);

/// <summary>The member left the council: no access of any kind from now on.</summary>
public sealed record MemberDeactivated(Guid MemberId, Guid DeactivatedBy, DateTimeOffset At);

/// <summary>
/// The coordonnateur suspends the member's accesses at once, as a precaution (charte: "suspension immédiate, à titre
/// conservatoire"): refused everything a deactivated member is, but keeping roles and groups until reinstated.
/// </summary>
public sealed record MemberSuspended(Guid MemberId, string Reason, Guid SuspendedBy, DateTimeOffset At);

/// <summary>The suspension is lifted: the member's accesses are restored as they were.</summary>
public sealed record MemberReinstated(Guid MemberId, string Reason, Guid ReinstatedBy, DateTimeOffset At);

public sealed class Member
{
    public Guid Id { get; set; }
    public int Version { get; set; }
    public string Subject { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public string Organisation { get; set; } = "";
    public string Function { get; set; } = "";
    public List<string> CouncilRoles { get; set; } = [];
    public List<string> SignedCharterVersions { get; set; } = [];
    public bool Active { get; set; }

    /// <summary>Given at registration, for the e-mail notifications only; the member may change it (Notifications/Preferences).</summary>
    public string? Email { get; set; }

    /// <summary>Suspended as a precaution: not <see cref="Active"/> (every rule refuses them), roles and groups kept.</summary>
    public bool Suspended { get; set; }

    /// <summary>The commune whose maire the member is (with the council role <c>maire</c>), if designated.</summary>
    public string? MaireOf { get; set; }

    public bool HasSigned(string? charterVersion) => charterVersion is not null && SignedCharterVersions.Contains(charterVersion);

    public void Apply(MemberRegistered e)
    {
        Id = e.MemberId;
        Subject = e.Subject;
        DisplayName = e.DisplayName;
        Organisation = e.Organisation;
        Function = e.Function;
        CouncilRoles = [.. e.CouncilRoles.Distinct()];
        Email = e.Email;
        Active = true;
    }

    public void Apply(CouncilRoleGranted e)
    {
        if (!CouncilRoles.Contains(e.Role)) CouncilRoles.Add(e.Role);
    }

    public void Apply(CouncilRoleRevoked e)
    {
        CouncilRoles.Remove(e.Role);
        if (e.Role == Charter.Roles.Maire) MaireOf = null;
    }

    public void Apply(MaireDesignated e)
    {
        MaireOf = e.Commune;
        if (!CouncilRoles.Contains(Charter.Roles.Maire)) CouncilRoles.Add(Charter.Roles.Maire);
    }

    public void Apply(MaireDesignationEnded e)
    {
        MaireOf = null;
        CouncilRoles.Remove(Charter.Roles.Maire);
    }

    public void Apply(CharterSigned e)
    {
        if (!SignedCharterVersions.Contains(e.CharterVersion)) SignedCharterVersions.Add(e.CharterVersion);
    }

    public void Apply(MemberDeactivated e)
    {
        Active = false;
        Suspended = false;
        CouncilRoles.Clear();
        MaireOf = null;
    }

    public void Apply(MemberSuspended e)
    {
        Active = false;
        Suspended = true;
    }

    public void Apply(MemberReinstated e)
    {
        Active = true;
        Suspended = false;
    }
}
