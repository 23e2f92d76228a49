using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Http;
using CaseExchange.Seances.Agenda;
using CaseExchange.Seances.CompteRendu;
using CaseExchange.Situations;
using CaseExchange.Situations.Viewing;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Seances.Viewing;

public sealed record SeanceSummary(Guid SeanceId, Guid GroupId, DateTimeOffset Date, bool Closed, long Version, string? Place = null, bool Cancelled = false)
{
    public static SeanceSummary Of(Seance s) => new(s.Id, s.GroupId, s.Date, s.IsClosed, s.Version, s.Place, s.IsCancelled);
}

public sealed record Attendee(Guid MemberId, string DisplayName, string Organisation, string Function);

public sealed record AttendanceView(IReadOnlyList<Attendee> NominativePart, IReadOnlyList<Attendee> GeneralPartOnly, IReadOnlyList<Guest> Guests, DateTimeOffset RecordedAt);

/// <summary>A séance as those who prepare or attend it see it: the ODJ (from the situations placed on it), attendance, CR versions.</summary>
public sealed record SeanceView(
    Guid SeanceId, Guid GroupId, string GroupName, DateTimeOffset Date, bool Closed, DateTimeOffset? ClosedAt, long Version,
    IReadOnlyList<AgendaItem> OrdreDuJour, DateTimeOffset? AgendaPublishedAt, AttendanceView? Attendance,
    IReadOnlyList<CompteRenduVersionView> CompteRendus,
    string? Place = null, DateTimeOffset? CancelledAt = null, string? CancellationReason = null, int Reschedulings = 0,
    IReadOnlyList<ConvocationIssued>? Convocations = null, IReadOnlyList<Guid>? InvitedPartnerIds = null, IReadOnlyList<Guest>? InvitedGuests = null,
    IReadOnlyList<GeneralItem>? GeneralItems = null)
{
    public bool Cancelled => CancelledAt is not null;
}

public static class SeanceViewEndpoints
{
    [WolverineGet("/api/councils/{council}/groups/{groupId}/seances", Summary = "Les séances du groupe"), Tags("Séances")]
    public static Task<IReadOnlyList<SeanceSummary>> List(Guid groupId, CouncilRequest request) => ListSeancesUseCase.HandleAsync(request, groupId);

    /// <summary>Anonymised like the situation list: whoever may read anonymised views (never the président).</summary>
    [WolverineGet("/api/councils/{council}/seances/{seanceId}", Summary = "La séance : ordre du jour, présence, comptes rendus"), Tags("Séances")]
    public static Task<SeanceView> Get(Guid seanceId, CouncilRequest request) => ViewSeanceUseCase.HandleAsync(request, seanceId);
}

/// <summary>The séances of a group, the latest first, for whoever may read the groups.</summary>
public static class ListSeancesUseCase
{
    public static async Task<IReadOnlyList<SeanceSummary>> HandleAsync(CouncilRequest request, Guid groupId)
    {
        var actor = request.Actor;
        actor.Require(AccessRules.ReadGroups(request.Policy, actor.Member));
        var seances = await request.Session.Query<Seance>().Where(s => s.GroupId == groupId).OrderByDescending(s => s.Date)
            .ToListAsync(request.Cancellation);
        return [.. seances.Select(SeanceSummary.Of)];
    }
}

/// <summary>One séance: its ODJ (pseudonyms and coarse attributes), attendance and CR versions.</summary>
public static class ViewSeanceUseCase
{
    public static async Task<SeanceView> HandleAsync(CouncilRequest request, Guid seanceId)
    {
        var session = request.Session;
        var scope = await AnonymisedScope.RequireAsync(request.Actor, session, request.Policy);
        var seance = await session.LoadAsync<Seance>(seanceId);
        // Need to know: another group's séance (its ODJ lists situations) is as unknown as a séance that does not exist.
        if (seance is null || !scope.Covers(seance.GroupId)) throw Problems.NotFound("Séance introuvable dans ce conseil.");

        var batch = session.CreateBatchQuery();
        var group = batch.Load<Group>(seance.GroupId);
        var situations = batch.Query<Situation>().Where(s => s.Agenda.Any(a => a.SeanceId == seanceId)).ToList();
        var members = batch.LoadMany<Member>().ById(seance.NominativePart.Concat(seance.GeneralPartOnly).Distinct().ToArray());
        await batch.Execute();

        var byId = (await members).ToDictionary(m => m.Id);
        Attendee AttendeeOf(Guid id) => byId.TryGetValue(id, out var m)
            ? new Attendee(id, m.DisplayName, m.Organisation, m.Function)
            : new Attendee(id, "membre inconnu", "", "");
        var attendance = seance.AttendanceRecordedAt is { } recordedAt
            ? new AttendanceView([.. seance.NominativePart.Select(AttendeeOf)], [.. seance.GeneralPartOnly.Select(AttendeeOf)], seance.Guests, recordedAt)
            : null;

        return new SeanceView(seance.Id, seance.GroupId, (await group)?.Name ?? "", seance.Date, seance.IsClosed, seance.ClosedAt, seance.Version,
            [.. (await situations).OrderBy(s => s.Pseudonym, StringComparer.Ordinal).Select(s => AgendaItem.Of(s, seance))],
            seance.AgendaPublishedAt, attendance,
            [.. seance.CompteRendus.Select(v => CompteRenduVersionView.Of(request.Council, seance.Id, v))],
            seance.Place, seance.CancelledAt, seance.CancellationReason, seance.Reschedulings, seance.Convocations,
            seance.InvitedPartnerIds, seance.InvitedGuests, seance.GeneralItems);
    }
}
