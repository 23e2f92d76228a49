using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Journal.Browsing;
using CaseExchange.Situations;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Journal.MyTraces;

/// <summary>One of the member's own journal entries: what they consulted or attempted, when, for what purpose, and the outcome.</summary>
/// <remarks><see cref="Pseudonym"/> is null for a refused attempt on a situation of a group the member does not read: the refusal
/// did not tell them its pseudonym, and their traces do not either (need to know).</remarks>
public sealed record MyTrace(DateTimeOffset At, string Action, string ActionLabel, string? Pseudonym, string? Purpose, string? PurposeLabel,
    bool Granted, string? Refusal, string? RefusalLabel);

public sealed record MyTracesResponse(IReadOnlyList<MyTrace> Items, long TotalCount, int Page, int PageSize);

public static class MyTracesEndpoint
{
    [WolverineGet("/api/councils/{council}/me/traces", Summary = "Mes traces : mes propres entrées du journal des accès (consultations et tentatives)"), Tags("Conseil")]
    public static Task<MyTracesResponse> Get(int? page, int? pageSize, CouncilRequest request) => MyTracesUseCase.HandleAsync(request, page, pageSize);
}

/// <summary>
/// Each member's own traces (charte: transparency towards the members; RGPD art. 15 for the member as a data subject of
/// the journal): the entries whose author is the caller, and only those. Who consulted the situations the caller
/// referred is not shown: those entries are other members' traces, for the auditeur alone. The service's own checks
/// (<see cref="JournalActions.ServerCheck"/>), which decrypt in memory and communicate nothing, are not the member's
/// consultations and may concern situations the member cannot read: they are left out, so that no pseudonym is learnt here.
/// </summary>
public static class MyTracesUseCase
{
    public const int DefaultPageSize = 50;

    public static async Task<MyTracesResponse> HandleAsync(CouncilRequest request, int? page, int? pageSize)
    {
        var me = request.Actor.Id;
        var (session, cancellation, policy) = (request.Session, request.Cancellation, request.Policy);
        var size = Math.Clamp(pageSize ?? DefaultPageSize, 1, 200);
        var number = Math.Max(page ?? 1, 1);
        var mine = session.Events.QueryRawEventDataOnly<AccessJournalled>()
            .Where(e => e.MemberId == me && e.Action != JournalActions.ServerCheck);
        var total = await mine.CountAsync(cancellation);
        var entries = await mine.OrderByDescending(e => e.At).ThenByDescending(e => e.EntryId)
            .Skip((number - 1) * size).Take(size).ToListAsync(cancellation);

        // A refused attempt on another group's situation (an id obtained somehow) must not reveal its pseudonym.
        var memberGroups = (await session.Query<Group>().Where(g => g.Members.ContainsKey(me)).Select(g => g.Id).ToListAsync(cancellation)).ToHashSet();
        var everyGroup = AccessRules.ReadsEveryGroup(policy, request.Actor.Member);
        var attempted = entries.Where(e => !e.Granted && e.SituationId != JournalChains.CouncilSituationId).Select(e => e.SituationId).Distinct().ToArray();
        var groupOf = (await session.LoadManyAsync<Situation>(cancellation, attempted)).ToDictionary(s => s.Id, s => s.GroupId);
        bool Shown(AccessJournalled e) => e.Granted || e.SituationId == JournalChains.CouncilSituationId || everyGroup
            || (groupOf.TryGetValue(e.SituationId, out var group) && memberGroups.Contains(group));

        return new MyTracesResponse([.. entries.Select(e => new MyTrace(e.At, e.Action, JournalActions.Label(e.Action), Shown(e) ? e.Pseudonym : null,
            e.Purpose, e.Purpose is null ? null : JournalActions.PurposesFor(e.Action, policy).LabelOf(e.Purpose),
            e.Granted, e.Refusal, e.Refusal is null ? null : EntreesModel.RefusalLabel(e.Refusal)))], total, number, size);
    }
}
