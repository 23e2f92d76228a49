using CaseExchange.Councils;
using CaseExchange.Http;
using CaseExchange.Journal.Browsing;
using CaseExchange.Seances;
using CaseExchange.Situations;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Journal.Alerts;

/// <summary>An alert as the auditor reads it: the member named (a professional), pseudonyms and instants only.</summary>
public sealed record JournalAlertView(
    string Kind, string Label, Guid? MemberId, string Subject, string? MemberName, string? Organisation,
    DateTimeOffset From, DateTimeOffset To, int Count, IReadOnlyList<string> Pseudonyms, IReadOnlyList<DateTimeOffset> Instants);

public sealed record JournalAlertsResponse(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<JournalAlertView> Alerts, bool Truncated);

public static class ListAlertsEndpoint
{
    [WolverineGet("/api/councils/{council}/journal/alerts", Summary = "Journal des accès : alertes (ouvertures en nombre, refus répétés, ouvertures loin de toute séance) (auditeur)"), Tags("Journal")]
    public static Task<JournalAlertsResponse> Get(DateTimeOffset? from, DateTimeOffset? to, CouncilRequest request) =>
        ListAlertsUseCase.HandleAsync(request, from, to);
}

public static class ListAlertsUseCase
{
    /// <summary>Without a period, the last ninety days: a quarter, what an auditor reviews at once.</summary>
    public static readonly TimeSpan DefaultPeriod = TimeSpan.FromDays(90);

    public const int MaxEntries = 100_000;

    public static ValidationErrors Check(DateTimeOffset from, DateTimeOffset to)
    {
        var errors = new ValidationErrors();
        if (from >= to) errors.Add("from", "Le début de la période doit précéder sa fin.");
        return errors;
    }

    public static async Task<JournalAlertsResponse> HandleAsync(CouncilRequest request, DateTimeOffset? from, DateTimeOffset? to)
    {
        BrowseJournalUseCase.RequireAuditor(request);
        var end = to ?? request.Now;
        var start = from ?? end - DefaultPeriod;
        Check(start, end).ThrowIfAny();
        var (session, cancellation) = (request.Session, request.Cancellation);

        // The windows slide: entries just before the period are read so that a burst across its start is seen whole.
        var readFrom = start - JournalAlertRules.RefusalWindow;
        var entries = await session.Events.QueryRawEventDataOnly<AccessJournalled>()
            .Where(e => e.At >= readFrom && e.At < end)
            .OrderByDescending(e => e.At).Take(MaxEntries + 1).ToListAsync(cancellation);
        var truncated = entries.Count > MaxEntries;
        if (truncated) entries = [.. entries.Take(MaxEntries)];

        var situationIds = entries.Select(e => e.SituationId).Where(id => id != JournalChains.CouncilSituationId).Distinct().ToArray();
        var situations = await session.LoadManyAsync<Situation>(cancellation, situationIds);
        var groupOfSituation = situations.ToDictionary(s => s.Id, s => s.GroupId);
        var seances = await session.Query<Seance>().Where(s => s.CancelledAt == null).ToListAsync(cancellation);
        var seanceDates = seances.GroupBy(s => s.GroupId)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<DateTimeOffset>)[.. g.Select(s => s.Date)]);

        var alerts = JournalAlertRules.Compute(entries, groupOfSituation, seanceDates).Where(a => a.To >= start).ToList();
        var members = (await session.LoadManyAsync<Member>(cancellation, alerts.Select(a => a.MemberId).OfType<Guid>().Distinct()))
            .ToDictionary(m => m.Id);
        return new JournalAlertsResponse(start, end, [.. alerts.Select(a =>
        {
            var member = a.MemberId is { } id ? members.GetValueOrDefault(id) : null;
            return new JournalAlertView(a.Kind, AlertKinds.Label(a.Kind), a.MemberId, a.Subject, member?.DisplayName, member?.Organisation,
                a.From, a.To, a.Count, a.Pseudonyms, a.Instants);
        })], truncated);
    }
}
