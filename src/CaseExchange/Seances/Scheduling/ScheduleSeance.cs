using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Http;
using CaseExchange.Journal;
using CaseExchange.Protection;
using CaseExchange.Seances.Rescheduling;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Seances.Scheduling;

/// <summary>A date and, optionally at first, a place (a room of an institution; see <see cref="Rescheduling.SeancePlace"/>).</summary>
public sealed record ScheduleSeance(DateTimeOffset? Date, Guid? Id = null, string? Place = null);

public sealed record SeanceCreatedResponse(Guid SeanceId, Guid GroupId, DateTimeOffset Date, string Url, string? Place = null) : CreationResponse(Url);

public static class ScheduleSeanceEndpoint
{
    [WolverinePost("/api/councils/{council}/groups/{groupId}/seances", Summary = "Planifier une séance du groupe"), Tags("Séances")]
    public static Task<SeanceCreatedResponse> Post(Guid groupId, ScheduleSeance command, CouncilRequest request, IdentityIndex index, AccessJournal journal,
        [FromHeader(Name = IdempotentCreation.HeaderName)] string? idempotencyKey = null) =>
        ScheduleSeanceUseCase.HandleAsync(request, groupId, command, index, journal, idempotencyKey);
}

/// <summary>Scheduling a séance of a group: the coordonnateur or the group's animateur, under the charter; a retry creates it once.</summary>
public static class ScheduleSeanceUseCase
{
    private const string ReceiptKind = "seance";

    public static async Task<SeanceCreatedResponse> HandleAsync(CouncilRequest request, Guid groupId, ScheduleSeance command, IdentityIndex index, AccessJournal journal,
        string? idempotencyKey = null)
    {
        var (session, actor) = (request.Session, request.Actor);
        var group = await session.LoadAsync<Group>(groupId) ?? throw Problems.NotFound("Groupe de travail introuvable.");
        actor.Require(AccessRules.ActInGroup(request.Policy, actor.Member, actor.Council, group, Capabilities.PrepareSeances));

        var seanceId = IdempotentCreation.ResourceIdFor(ReceiptKind, session.TenantId, actor.Id, command.Id, idempotencyKey);
        var fingerprint = IdempotentCreation.PlainFingerprint(new { groupId, request = command with { Id = null } });
        if (await session.LoadAsync<Seance>(seanceId) is { } existing)
        {
            // A retry (the first answer was lost): the same séance, never a second one.
            await IdempotentCreation.RequireSameRequestAsync(session, ReceiptKind, seanceId, actor.Id, () => Task.FromResult(fingerprint));
            return new SeanceCreatedResponse(existing.Id, existing.GroupId, existing.Date, UrlOf(request, existing.Id), existing.Place);
        }

        var now = request.Now;
        Check(command, now, request.Policy.KindOf(group.Kind)).ThrowIfAny();
        var scheduled = Decide(seanceId, group, command, actor.Id, now);
        await SeancePlace.GuardAsync(request, index, journal, scheduled.Place, "place");
        session.Events.StartStream<Seance>(scheduled.SeanceId, scheduled);
        IdempotentCreation.Record(session, ReceiptKind, seanceId, actor.Id, fingerprint, now);
        return new SeanceCreatedResponse(scheduled.SeanceId, groupId, scheduled.Date, UrlOf(request, scheduled.SeanceId), scheduled.Place);
    }

    /// <summary>A date, not in the past; a place of reasonable length if given (a day's leeway: a séance may be recorded on its day, whatever the hour).</summary>
    /// <para>The instance's kind may ask a minimum notice (<c>minimumNoticeDays</c>): the date is then at least that many days ahead.</para>
    public static ValidationErrors Check(ScheduleSeance command, DateTimeOffset now, InstanceKind? kind = null) => SeancePlace.Check(new ValidationErrors()
        .When(command.Date is null, "date", "La date de la séance est obligatoire.")
        .When(command.Date < now.AddDays(-1), "date", "Une séance ne peut pas être planifiée dans le passé.")
        .RequireNotice(command.Date, now, kind), command.Place, "place", required: false);

    /// <summary>A new séance of the group, at the checked date.</summary>
    public static SeanceScheduled Decide(Guid seanceId, Group group, ScheduleSeance command, Guid scheduledBy, DateTimeOffset now) =>
        new(seanceId, group.Id, command.Date!.Value, scheduledBy, now, SeancePlace.Normalise(command.Place));

    private static string UrlOf(CouncilRequest request, Guid seanceId) => $"/api/councils/{request.Council}/seances/{seanceId}";
}

/// <summary>
/// The instance kind's minimum notice (<c>minimumNoticeDays</c> in the policy): a séance is set, when scheduled and when
/// moved to another date, at least that many days ahead. A date in the past is the other rule's to refuse.
/// </summary>
public static class MinimumNotice
{
    public static ValidationErrors RequireNotice(this ValidationErrors errors, DateTimeOffset? date, DateTimeOffset now, InstanceKind? kind) =>
        errors.When(kind is { MinimumNoticeDays: > 0 } && date >= now.AddDays(-1) && date < now.AddDays(kind.MinimumNoticeDays), "date",
            $"Une séance de cette instance ({kind?.Label}) se convoque au moins {kind?.MinimumNoticeDays} jours à l'avance, selon la charte.");
}
