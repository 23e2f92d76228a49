using System.Security.Claims;
using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Http;
using Marten;
using Marten.Pagination;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Situations.Viewing;

public sealed record ActionView(Guid ActionId, string Kind, string OwnerOrganisation, string OwnerRole, DateOnly DueOn, string Status);

/// <summary>
/// The anonymised view: pseudonym, coarse attributes and the procedure's dates. Built from the Situation document,
/// which never holds a name, birth date, address or free text: it cannot leak what it never receives.
/// </summary>
public sealed record AnonymisedSituation(
    Guid SituationId, string Pseudonym, long Version, Guid GroupId, string Status, string StatusLabel,
    IReadOnlyList<string> Reasons, string Sector, string Urgency, IReadOnlyList<string> AgeBands, int PersonCount,
    DateTimeOffset ReferredAt, DateTimeOffset? FirstExaminedAt, IReadOnlyList<AgendaEntry> Agenda, Guid? ReferentId,
    IReadOnlyList<ActionView> Actions, IReadOnlyList<string> DecisionKinds, DateTimeOffset? ClosedAt, string? Outcome, bool NominativeDataErased)
{
    public static AnonymisedSituation Of(Situation s) => new(
        s.Id, s.Pseudonym, s.Version, s.GroupId, s.Status, SituationStatuses.Label(s.Status), s.Reasons, s.Sector, s.Urgency,
        s.AgeBands, s.AgeBands.Count, s.ReferredAt, s.FirstExaminedAt, s.Agenda, s.ReferentId,
        [.. s.Actions.Select(a => new ActionView(a.ActionId, a.Kind, a.OwnerOrganisation, a.OwnerRole, a.DueOn, a.Status))],
        s.DecisionKinds, s.ClosedAt, s.Outcome, s.IsErased);
}

public sealed record SituationPage(IReadOnlyList<AnonymisedSituation> Items, long TotalCount, int Page, int PageSize);

public static class AnonymisedViewEndpoints
{
    [WolverineGet("/api/councils/{council}/situations", Summary = "Situations, vue anonymisée"), Tags("Situations")]
    public static async Task<SituationPage> List(string council, ClaimsPrincipal user, IQuerySession session, CharterPolicy policy,
        Guid? groupId, string? status, Guid? referentId, int? page, int? pageSize)
    {
        var actor = await Actor.RequireAsync(user, session);
        var scope = await RequireAnonymisedAccessAsync(actor, session, policy);

        var size = Math.Clamp(pageSize ?? 50, 1, 200);
        var number = Math.Max(page ?? 1, 1);
        var query = session.Query<Situation>().AsQueryable();
        // Need to know: a member's rows are those of their own groups, whatever the filters ask.
        if (scope.Groups is { } mine)
        {
            var groups = mine.ToArray();
            query = query.Where(s => s.GroupId.IsOneOf(groups));
        }
        if (groupId is { } g) query = query.Where(s => s.GroupId == g);
        if (referentId is { } r) query = query.Where(s => s.ReferentId == r);
        if (status == SituationStatuses.Cloturee) query = query.Where(s => s.ClosedAt != null);
        else if (status == "ouvertes") query = query.Where(s => s.ClosedAt == null);
        var results = await query.OrderByDescending(s => s.ReferredAt).ToPagedListAsync(number, size);
        return new SituationPage([.. results.Select(AnonymisedSituation.Of)], results.TotalItemCount, number, size);
    }

    [WolverineGet("/api/councils/{council}/situations/{situationId}", Summary = "Une situation, vue anonymisée"), Tags("Situations")]
    public static async Task<AnonymisedSituation> Get(string council, Guid situationId, ClaimsPrincipal user, IQuerySession session, CharterPolicy policy)
    {
        var actor = await Actor.RequireAsync(user, session);
        var scope = await RequireAnonymisedAccessAsync(actor, session, policy);
        var situation = await session.LoadAsync<Situation>(situationId);
        // Another group's situation gets the same answer as an unknown one: its pseudonym is not confirmed either.
        if (situation is null || !scope.Covers(situation.GroupId)) throw Problems.NotFound("Situation introuvable dans ce conseil.");
        return AnonymisedSituation.Of(situation);
    }

    /// <summary>Refuses whoever may read no anonymised row; otherwise the groups whose rows the actor may read.</summary>
    public static async Task<AnonymisedScope> RequireAnonymisedAccessAsync(Actor actor, IQuerySession session, CharterPolicy policy)
    {
        var memberId = actor.Id;
        var groups = await session.Query<Group>().Where(g => g.Members.ContainsKey(memberId)).Select(g => g.Id).ToListAsync();
        actor.Require(AccessRules.ReadAnonymised(policy, actor.Member, actor.Council, groups.Count > 0));
        return AccessRules.ReadsEveryGroup(policy, actor.Member) ? AnonymisedScope.WholeCouncil : new AnonymisedScope(groups.ToHashSet());
    }
}

/// <summary>The groups whose anonymised rows an actor reads: null for every group of the council.</summary>
public sealed record AnonymisedScope(IReadOnlySet<Guid>? Groups)
{
    public static readonly AnonymisedScope WholeCouncil = new((IReadOnlySet<Guid>?)null);

    public bool Covers(Guid groupId) => Groups is null || Groups.Contains(groupId);
}
