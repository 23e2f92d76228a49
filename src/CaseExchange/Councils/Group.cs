using CaseExchange.Charter;
using CaseExchange.Http;

namespace CaseExchange.Councils;

public static class GroupKinds
{
    public const string Thematique = "thematique";
    public const string Territorial = "territorial";
    public const string CelluleDeVeille = "cellule-de-veille";
    public const string Operationnel = "operationnel";
}

public sealed record GroupCreated(Guid GroupId, string Name, string Kind, string? Sector, Guid CreatedBy, DateTimeOffset At);

/// <summary>The coordonnateur changed the group's instance kind (its rules follow the charter's entry for the new kind).</summary>
public sealed record GroupKindChanged(Guid GroupId, string Kind, Guid ChangedBy, DateTimeOffset At);

public sealed record MemberJoinedGroup(Guid GroupId, Guid MemberId, string Role, Guid AddedBy, DateTimeOffset At);

public sealed record GroupRoleChanged(Guid GroupId, Guid MemberId, string Role, Guid ChangedBy, DateTimeOffset At);

public sealed record MemberLeftGroup(Guid GroupId, Guid MemberId, Guid RemovedBy, DateTimeOffset At);

/// <summary>A group of the council (an instance of one of the charter's kinds: groupe thématique, territorial, cellule de veille…) and its current membership.</summary>
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

    public void Apply(GroupKindChanged e) => Kind = e.Kind;

    /// <summary>The member who chairs the instance (its président(e) or animateur: the group role <c>animateur</c>), if designated.</summary>
    public Guid? Chair => Members.Where(m => m.Value == Roles.Animateur).Select(m => (Guid?)m.Key).FirstOrDefault();

    public void Apply(MemberJoinedGroup e) => Members[e.MemberId] = e.Role;

    public void Apply(GroupRoleChanged e) => Members[e.MemberId] = e.Role;

    public void Apply(MemberLeftGroup e) => Members.Remove(e.MemberId);
}

/// <summary>The rules each instance kind brings (charter/policy.json, <c>instanceKinds</c>): pure, judged on the group as it stands.</summary>
public static class InstanceRules
{
    /// <summary>
    /// A nominative situation may be held only by an instance whose kind allows it: the others (e.g. a cellule de veille)
    /// exchange only non-nominative items of the séance's general part. Referral and transfer answer 409 otherwise.
    /// </summary>
    public static void RequireNominative(CharterPolicy policy, Group group)
    {
        var kind = policy.KindOf(group.Kind);
        if (!kind.Nominative)
            throw Problems.OutOfOrder($"« {group.Name} » est une instance de type « {kind.Label} » : selon la charte, elle n'échange aucune situation nominative, " +
                                      "seulement des points non nominatifs de partie générale. Signalez la situation dans un groupe qui en détient.");
    }

    /// <summary>One chair per instance: a second animateur (président(e)) is refused while the first holds the role.</summary>
    public static void RequireNoOtherChair(Group group, Guid memberId)
    {
        if (group.Members.Any(m => m.Key != memberId && m.Value == Roles.Animateur))
            throw Problems.OutOfOrder("Cette instance a déjà sa présidence (son animateur) : un seul membre la tient. Changez d'abord le rôle de celui qui la tient.");
    }
}
