namespace CaseExchange.Councils;

public static class GroupKinds
{
    public const string Thematique = "thematique";
    public const string Territorial = "territorial";
    public static readonly IReadOnlySet<string> All = new HashSet<string> { Thematique, Territorial };
}

public sealed record GroupCreated(Guid GroupId, string Name, string Kind, string? Sector, Guid CreatedBy, DateTimeOffset At);

public sealed record MemberJoinedGroup(Guid GroupId, Guid MemberId, string Role, Guid AddedBy, DateTimeOffset At);

public sealed record GroupRoleChanged(Guid GroupId, Guid MemberId, string Role, Guid ChangedBy, DateTimeOffset At);

public sealed record MemberLeftGroup(Guid GroupId, Guid MemberId, Guid RemovedBy, DateTimeOffset At);

/// <summary>A groupe de travail, thematic or territorial, and its current membership.</summary>
public sealed class Group
{
    public Guid Id { get; set; }
    public int Version { get; set; }
    public string Name { get; set; } = "";
    public string Kind { get; set; } = "";
    public string? Sector { get; set; }
    public Dictionary<Guid, string> Members { get; set; } = [];

    public string? RoleOf(Guid memberId) => Members.GetValueOrDefault(memberId);

    public bool HasMember(Guid memberId) => Members.ContainsKey(memberId);

    public void Apply(GroupCreated e)
    {
        Id = e.GroupId;
        Name = e.Name;
        Kind = e.Kind;
        Sector = e.Sector;
    }

    public void Apply(MemberJoinedGroup e) => Members[e.MemberId] = e.Role;

    public void Apply(GroupRoleChanged e) => Members[e.MemberId] = e.Role;

    public void Apply(MemberLeftGroup e) => Members.Remove(e.MemberId);
}
