using System.Security.Claims;
using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Http;
using CaseExchange.Situations;
using CaseExchange.Situations.Viewing;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Seances;

public sealed record ScheduleSeance(DateTimeOffset? Date, Guid? Id = null);

public sealed record SeanceSummary(Guid SeanceId, Guid GroupId, DateTimeOffset Date, bool Closed, long Version)
{
    public static SeanceSummary Of(Seance s) => new(s.Id, s.GroupId, s.Date, s.IsClosed, s.Version);
}

public sealed record SeanceCreatedResponse(Guid SeanceId, Guid GroupId, DateTimeOffset Date, string Url) : CreationResponse(Url);

public static class AgendaItemStates
{
    public const string AExaminer = "a-examiner";
    public const string Examinee = "examinee";
    public const string Reportee = "reportee";
}

/// <summary>A situation on the ODJ, as convocations show it (règlement, article 6): pseudonym and coarse attributes only.</summary>
public sealed record AgendaItem(
    Guid SituationId, string Pseudonym, IReadOnlyList<string> Reasons, string Sector, string Urgency, IReadOnlyList<string> AgeBands,
    string State, bool OnPublishedAgenda);

public sealed record Attendee(Guid MemberId, string DisplayName, string Organisation, string Function);

public sealed record AttendanceView(IReadOnlyList<Attendee> NominativePart, IReadOnlyList<Attendee> GeneralPartOnly, IReadOnlyList<Guest> Guests, DateTimeOffset RecordedAt);

/// <summary>A CR version; a withdrawn one has no downloads left, only the instant and reason of its withdrawal.</summary>
public sealed record CompteRenduVersionView(int Number, string ContentHash, DateTimeOffset GeneratedAt, IReadOnlyDictionary<string, string> Downloads,
    bool Withdrawn = false, DateTimeOffset? WithdrawnAt = null, string? WithdrawalReason = null);

/// <summary>A séance as those who prepare or attend it see it: the ODJ (from the situations placed on it), attendance, CR versions.</summary>
public sealed record SeanceView(
    Guid SeanceId, Guid GroupId, string GroupName, DateTimeOffset Date, bool Closed, DateTimeOffset? ClosedAt, long Version,
    IReadOnlyList<AgendaItem> OrdreDuJour, DateTimeOffset? AgendaPublishedAt, AttendanceView? Attendance,
    IReadOnlyList<CompteRenduVersionView> CompteRendus);

public static class SeanceEndpoints
{
    [WolverinePost("/api/councils/{council}/groups/{groupId}/seances", Summary = "Planifier une séance du groupe"), Tags("Séances")]
    public static async Task<SeanceCreatedResponse> Schedule(string council, Guid groupId, ScheduleSeance command, ClaimsPrincipal user,
        IDocumentSession session, CharterPolicy policy, TimeProvider clock,
        [FromHeader(Name = IdempotentCreation.HeaderName)] string? idempotencyKey = null)
    {
        var actor = await Actor.RequireAsync(user, session);
        var group = await session.LoadAsync<Group>(groupId) ?? throw Problems.NotFound("Groupe de travail introuvable.");
        actor.Require(AccessRules.ActInGroup(policy, actor.Member, actor.Council, group, Capabilities.PrepareSeances));
        var seanceId = IdempotentCreation.ResourceIdFor("seance", session.TenantId, actor.Id, command.Id, idempotencyKey);
        if (await session.LoadAsync<Seance>(seanceId) is { } existing)
        {
            await IdempotentCreation.RequireSameRequestAsync(session, "seance", seanceId, actor.Id,
                () => Task.FromResult(IdempotentCreation.PlainFingerprint(new { groupId, request = command with { Id = null } })));
            return new SeanceCreatedResponse(existing.Id, existing.GroupId, existing.Date, $"/api/councils/{council}/seances/{existing.Id}");
        }
        var now = clock.GetUtcNow();
        new ValidationErrors()
            .When(command.Date is null, "date", "La date de la séance est obligatoire.")
            .When(command.Date < now.AddDays(-1), "date", "Une séance ne peut pas être planifiée dans le passé.")
            .ThrowIfAny();

        var scheduled = new SeanceScheduled(seanceId, groupId, command.Date!.Value, actor.Id, now);
        session.Events.StartStream<Seance>(scheduled.SeanceId, scheduled);
        IdempotentCreation.Record(session, "seance", seanceId, actor.Id, IdempotentCreation.PlainFingerprint(new { groupId, request = command with { Id = null } }), now);
        return new SeanceCreatedResponse(scheduled.SeanceId, groupId, scheduled.Date, $"/api/councils/{council}/seances/{scheduled.SeanceId}");
    }

    [WolverineGet("/api/councils/{council}/groups/{groupId}/seances", Summary = "Les séances du groupe"), Tags("Séances")]
    public static async Task<IReadOnlyList<SeanceSummary>> List(string council, Guid groupId, ClaimsPrincipal user, IQuerySession session,
        CharterPolicy policy)
    {
        var actor = await Actor.RequireAsync(user, session);
        actor.Require(AccessRules.ReadGroups(policy, actor.Member));
        var seances = await session.Query<Seance>().Where(s => s.GroupId == groupId).OrderByDescending(s => s.Date).ToListAsync();
        return [.. seances.Select(SeanceSummary.Of)];
    }

    /// <summary>Anonymised like the situation list: whoever may read anonymised views (never the président).</summary>
    [WolverineGet("/api/councils/{council}/seances/{seanceId}", Summary = "La séance : ordre du jour, présence, comptes rendus"), Tags("Séances")]
    public static async Task<SeanceView> Get(string council, Guid seanceId, ClaimsPrincipal user, IQuerySession session, CharterPolicy policy)
    {
        var actor = await Actor.RequireAsync(user, session);
        var scope = await AnonymisedScope.RequireAsync(actor, session, policy);
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
            [.. (await situations).OrderBy(s => s.Pseudonym, StringComparer.Ordinal).Select(s => ItemOf(s, seance))],
            seance.AgendaPublishedAt, attendance,
            [.. seance.CompteRendus.Select(v => VersionView(council, seance.Id, v))]);
    }

    public static CompteRenduVersionView VersionView(string council, Guid seanceId, CompteRenduVersion v) =>
        new(v.Number, v.ContentHash, v.At, v.Withdrawn ? new Dictionary<string, string>() : CompteRendu.CompteRenduFormats.All.ToDictionary(f => f,
            f => $"/api/councils/{council}/seances/{seanceId}/compte-rendu/{v.Number}/{f}"), v.Withdrawn, v.WithdrawnAt, v.WithdrawalReason);

    private static AgendaItem ItemOf(Situation s, Seance seance)
    {
        var entry = s.Agenda.First(a => a.SeanceId == seance.Id);
        var state = entry.Examined ? AgendaItemStates.Examinee : entry.Postponed ? AgendaItemStates.Reportee : AgendaItemStates.AExaminer;
        return new AgendaItem(s.Id, s.Pseudonym, s.Reasons, s.Sector, s.Urgency, s.AgeBands, state, seance.PublishedAgenda.Contains(s.Id));
    }
}
