using CaseExchange.Charter;
using CaseExchange.Http;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Councils.Members;

public static class DeactivateMemberEndpoint
{
    /// <summary>The member leaves the council: every access ends at once, and they leave every group.</summary>
    [WolverinePost("/api/councils/{council}/members/{memberId}/deactivation", Summary = "Désactiver un membre : fin de tout accès (coordonnateur)"), Tags("Membres")]
    public static Task<MemberView> Post(Guid memberId, CouncilRequest request) => DeactivateMemberUseCase.HandleAsync(request, memberId);
}

public static class DeactivateMemberUseCase
{
    public static async Task<MemberView> HandleAsync(CouncilRequest request, Guid memberId)
    {
        var actor = request.Actor;
        actor.RequireCouncilCapability(request.Policy, Capabilities.ManageCouncil);
        if (memberId == actor.Id) throw Problems.OutOfOrder("Vous ne pouvez pas désactiver votre propre compte.");
        // A suspended member may be deactivated too (the suspension was the precaution); a deactivated one is gone (404).
        var (stream, member) = await MemberForWriting.FetchRegisteredAsync(request, memberId);
        if (!member.Active && !member.Suspended) throw Problems.NotFound("Membre actif introuvable.");
        var groups = await request.Session.Query<Group>().Where(g => g.Members.ContainsKey(memberId)).ToListAsync(request.Cancellation);

        var (deactivated, departures) = Decide(member, groups, actor.Id, request.Now);
        stream.AppendOne(deactivated);
        foreach (var (group, left) in departures)
            request.Session.Events.Append(group.Id, group.Version + 1, left);
        return MemberView.Of(member) with { Active = false, Suspended = false, CouncilRoles = [], Version = member.Version + 1 };
    }

    /// <summary>The member is deactivated and leaves each of their groups, at the same instant.</summary>
    public static (MemberDeactivated Deactivated, IReadOnlyList<(Group Group, MemberLeftGroup Left)> Departures) Decide(
        Member member, IReadOnlyList<Group> groups, Guid actorId, DateTimeOffset now)
    {
        if (member.Id == actorId) throw Problems.OutOfOrder("Vous ne pouvez pas désactiver votre propre compte.");
        return (new MemberDeactivated(member.Id, actorId, now),
            [.. groups.Select(g => (g, new MemberLeftGroup(g.Id, member.Id, actorId, now)))]);
    }
}
