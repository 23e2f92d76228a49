using CaseExchange.Charter;
using CaseExchange.Http;
using CaseExchange.Situations;
using Marten;
using JasperFx.Events;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Councils.Groups;

public sealed record ChangeGroupKind(string? Kind);

public static class ChangeGroupKindEndpoint
{
    [WolverinePut("/api/councils/{council}/groups/{groupId}/kind", Summary = "Changer le type d'instance du groupe (coordonnateur)"), Tags("Groupes")]
    public static Task<GroupView> Put(Guid groupId, ChangeGroupKind command, CouncilRequest request) =>
        ChangeGroupKindUseCase.HandleAsync(request, groupId, command);
}

/// <summary>
/// The coordonnateur changes a group's instance kind (charter, <c>instanceKinds</c>): the kind must be of the closed list and
/// fit the group's sector; an instance that holds open situations cannot become one that holds no nominative situation.
/// </summary>
public static class ChangeGroupKindUseCase
{
    public static async Task<GroupView> HandleAsync(CouncilRequest request, Guid groupId, ChangeGroupKind command)
    {
        request.Actor.RequireCouncilCapability(request.Policy, Capabilities.ManageGroups);
        var stream = await request.Session.Events.FetchForWriting<Group>(groupId, request.Cancellation);
        var group = stream.Aggregate ?? throw Problems.NotFound("Groupe de travail introuvable.");
        Check(command, group, request.Policy).ThrowIfAny();
        var heldOpen = await request.Session.Query<Situation>().CountAsync(s => s.GroupId == groupId && s.ClosedAt == null, request.Cancellation);
        var changed = Decide(group, request.Policy.KindOf(command.Kind), heldOpen, request.Actor.Id, request.Now);
        stream.AppendOne(changed);
        var view = await BrowseGroupsUseCase.ViewOfAsync(group, request.Session);
        return view with { Kind = changed.Kind, Version = group.Version + 1 };
    }

    /// <summary>A kind of the closed list, whose sector rule the group's sector satisfies.</summary>
    public static ValidationErrors Check(ChangeGroupKind command, Group group, CharterPolicy policy)
    {
        var kind = policy.InstanceKinds.FirstOrDefault(k => k.Code == command.Kind);
        return new ValidationErrors()
            .When(kind is null, "kind", "Le type d'instance doit être l'un de ceux de la charte : " + string.Join(", ", policy.InstanceKinds.Select(k => $"« {k.Code} »")) + ".")
            .When(kind?.Sector == InstanceKind.SectorRequired && group.Sector is null, "kind", $"Un {kind?.Label.ToLowerInvariant()} désigne un secteur : ce groupe n'en a pas.")
            .When(kind?.Sector == InstanceKind.SectorNone && group.Sector is not null, "kind", $"Un {kind?.Label.ToLowerInvariant()} ne désigne pas de secteur : ce groupe en a un.");
    }

    /// <summary>A different kind; not a non-nominative one while the group holds open situations (they would lose their holder).</summary>
    public static GroupKindChanged Decide(Group group, InstanceKind kind, int openSituationsHeld, Guid actorId, DateTimeOffset now)
    {
        if (group.Kind == kind.Code) throw Problems.OutOfOrder("Ce groupe est déjà de ce type.");
        if (!kind.Nominative && openSituationsHeld > 0)
            throw Problems.OutOfOrder($"Ce groupe détient {openSituationsHeld} situation(s) en cours : il ne peut devenir « {kind.Label} », qui n'échange aucune situation nominative. " +
                                      "Transférez-les ou clôturez-les d'abord.");
        return new GroupKindChanged(group.Id, kind.Code, actorId, now);
    }
}
