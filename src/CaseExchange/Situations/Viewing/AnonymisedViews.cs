using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Http;
using Marten;
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
    IReadOnlyList<ActionView> Actions, IReadOnlyList<string> DecisionKinds, DateTimeOffset? ClosedAt, string? Outcome, bool NominativeDataErased,
    IReadOnlyList<CaseExchange.Situations.Links.SituationLinkView>? Links = null,
    IReadOnlyList<CaseExchange.Situations.Notices.PersonNotice>? Notices = null)
{
    public static AnonymisedSituation Of(Situation s) => new(
        s.Id, s.Pseudonym, s.Version, s.GroupId, s.Status, SituationStatuses.Label(s.Status), s.Reasons, s.Sector, s.Urgency,
        s.AgeBands, s.AgeBands.Count, s.ReferredAt, s.FirstExaminedAt, s.Agenda, s.ReferentId,
        [.. s.Actions.Select(a => new ActionView(a.ActionId, a.Kind, a.OwnerOrganisation, a.OwnerRole, a.DueOn, a.Status))],
        s.DecisionKinds, s.ClosedAt, s.Outcome, s.IsErased, s.Links, s.Notices);
}

/// <summary>One page of the anonymised list, the most recently referred first.</summary>
/// <param name="Items">The page's situations.</param>
/// <param name="TotalCount">
/// The number of matching situations, counted up to a cap (1,000, or the end of the page asked if further): when
/// <paramref name="TotalCountCapped"/> is true, more situations match than this number.
/// </param>
/// <param name="Page">The page's number, from 1.</param>
/// <param name="PageSize">Situations per page.</param>
/// <param name="TotalCountCapped">True when the count stopped at its cap: the total is « more than <c>totalCount</c> ».</param>
/// <param name="HasNextPage">True when a page follows this one (ask for <c>page + 1</c>).</param>
public sealed record SituationPage(IReadOnlyList<AnonymisedSituation> Items, long TotalCount, int Page, int PageSize, bool TotalCountCapped = false,
    bool HasNextPage = false);

/// <summary>Filters of the anonymised list; every one optional. <c>Status</c> is <c>cloturee</c> or <c>ouvertes</c>.</summary>
public sealed record SituationFilter(Guid? GroupId = null, string? Status = null, Guid? ReferentId = null, int? Page = null, int? PageSize = null);

public static class AnonymisedViewEndpoints
{
    [WolverineGet("/api/councils/{council}/situations", Summary = "Situations, vue anonymisée"), Tags("Situations")]
    public static Task<SituationPage> List(CouncilRequest request, Guid? groupId, string? status, Guid? referentId, int? page, int? pageSize) =>
        ListSituationsUseCase.HandleAsync(request, new SituationFilter(groupId, status, referentId, page, pageSize));

    [WolverineGet("/api/councils/{council}/situations/{situationId}", Summary = "Une situation, vue anonymisée"), Tags("Situations")]
    public static Task<AnonymisedSituation> Get(Guid situationId, CouncilRequest request) =>
        ViewSituationUseCase.HandleAsync(request, situationId);
}

/// <summary>The anonymised list, limited to what the caller needs to know.</summary>
public static class ListSituationsUseCase
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    public static async Task<SituationPage> HandleAsync(CouncilRequest request, SituationFilter filter)
    {
        var session = request.Session;
        var scope = await AnonymisedScope.RequireAsync(request);

        var size = Math.Clamp(filter.PageSize ?? DefaultPageSize, 1, MaxPageSize);
        var number = Math.Max(filter.Page ?? 1, 1);
        var query = session.Query<Situation>().AsQueryable();
        // Need to know: a member's rows are those of their own groups, whatever the filters ask.
        if (scope.Groups is { } mine)
        {
            var groups = mine.ToArray();
            query = query.Where(s => s.GroupId.IsOneOf(groups));
        }
        if (filter.GroupId is { } g) query = query.Where(s => s.GroupId == g);
        if (filter.ReferentId is { } r) query = query.Where(s => s.ReferentId == r);
        if (filter.Status == SituationStatuses.Cloturee) query = query.Where(s => s.ClosedAt != null);
        else if (filter.Status == "ouvertes") query = query.Where(s => s.ClosedAt == null);
        // The count apart from the page, and capped: a paged list counts with count(*) over (), which reads and buffers
        // every matching document, and even a count alone reads the council's whole index; the ids along the ReferredAt
        // index up to the cap cost the same whatever the council's size (CappedCount; README, "Growth with a council's history").
        var skip = (number - 1) * size;
        var ordered = query.OrderByDescending(s => s.ReferredAt);
        var counted = (await ordered.Select(s => s.Id).Take(CappedCount.LimitFor(skip, size) + 1).ToListAsync(request.Cancellation)).Count;
        var (total, capped, hasNext) = CappedCount.Of(counted, skip, size);
        var results = await ordered.Skip(skip).Take(size).ToListAsync(request.Cancellation);
        var rows = await scope.WithLinksItCoversAsync(session, [.. results.Select(AnonymisedSituation.Of)], request.Cancellation);
        return new SituationPage(rows, total, number, size, capped, hasNext);
    }
}

/// <summary>One situation, anonymised, for a member who may read its row.</summary>
public static class ViewSituationUseCase
{
    public static async Task<AnonymisedSituation> HandleAsync(CouncilRequest request, Guid situationId)
    {
        var scope = await AnonymisedScope.RequireAsync(request);
        var situation = await request.Session.LoadAsync<Situation>(situationId, request.Cancellation);
        // Another group's situation gets the same answer as an unknown one: its pseudonym is not confirmed either.
        if (situation is null || !scope.Covers(situation.GroupId)) throw Problems.NotFound("Situation introuvable dans ce conseil.");
        return (await scope.WithLinksItCoversAsync(request.Session, [AnonymisedSituation.Of(situation)], request.Cancellation))[0];
    }
}

/// <summary>The groups whose anonymised rows an actor reads: null for every group of the council.</summary>
public sealed record AnonymisedScope(IReadOnlySet<Guid>? Groups)
{
    public static readonly AnonymisedScope WholeCouncil = new((IReadOnlySet<Guid>?)null);

    public bool Covers(Guid groupId) => Groups is null || Groups.Contains(groupId);

    /// <summary>
    /// Need to know applies to links too: a link to a situation of a group the reader does not cover is left out, so
    /// that a link never tells one group that another holds a situation (nor its pseudonym).
    /// </summary>
    public async Task<IReadOnlyList<AnonymisedSituation>> WithLinksItCoversAsync(IQuerySession session,
        IReadOnlyList<AnonymisedSituation> rows, CancellationToken cancellation = default)
    {
        if (Groups is null) return rows;
        var others = rows.SelectMany(r => r.Links ?? []).Select(l => l.OtherSituationId).Distinct().ToArray();
        if (others.Length == 0) return rows;
        var groupOf = (await session.Query<Situation>().Where(x => x.Id.IsOneOf(others)).Select(x => new { x.Id, x.GroupId })
            .ToListAsync(cancellation)).ToDictionary(x => x.Id, x => x.GroupId);
        return [.. rows.Select(r => r.Links is null ? r : r with
        {
            Links = [.. r.Links.Where(l => groupOf.TryGetValue(l.OtherSituationId, out var g) && Covers(g))],
        })];
    }

    public static Task<AnonymisedScope> RequireAsync(CouncilRequest request) => RequireAsync(request.Actor, request.Session, request.Policy);

    /// <summary>Refuses whoever may read no anonymised row; otherwise the groups whose rows the actor may read.</summary>
    public static async Task<AnonymisedScope> RequireAsync(Actor actor, IQuerySession session, CharterPolicy policy)
    {
        var memberId = actor.Id;
        var groups = await session.Query<Group>().Where(g => g.Members.ContainsKey(memberId)).Select(g => g.Id).ToListAsync();
        actor.Require(AccessRules.ReadAnonymised(policy, actor.Member, actor.Council, groups.Count > 0));
        return AccessRules.ReadsEveryGroup(policy, actor.Member) ? WholeCouncil : new AnonymisedScope(groups.ToHashSet());
    }
}
