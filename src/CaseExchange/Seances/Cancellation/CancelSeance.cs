using CaseExchange.Councils;
using CaseExchange.Http;
using CaseExchange.Seances.Rescheduling;
using CaseExchange.Situations;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Seances.Cancellation;

public sealed record CancelSeance(string? Reason, long? ExpectedVersion);

public sealed record SeanceCancellationResponse(Guid SeanceId, DateTimeOffset CancelledAt, IReadOnlyList<string> Freed, long Version);

/// <summary>What cancelling records: the cancellation, and the postponement of each situation waiting on its ODJ.</summary>
public sealed record SeanceCancellation(SeanceCancelled Cancelled, IReadOnlyList<SituationPostponed> Postponed)
{
    public DateTimeOffset At => Cancelled.At;
}

public static class CancelSeanceEndpoint
{
    [WolverinePost("/api/councils/{council}/seances/{seanceId}/cancellation", Summary = "Annuler la séance"), Tags("Séances")]
    public static Task<SeanceCancellationResponse> Post(Guid seanceId, CancelSeance command, CouncilRequest request) =>
        CancelSeanceUseCase.HandleAsync(request, seanceId, command);
}

/// <summary>
/// A séance that will not take place: nothing more is recorded at it, and the situations on its ODJ are postponed on their
/// own streams (as at a closure), so that they can be placed on another séance.
/// </summary>
public static class CancelSeanceUseCase
{
    public static async Task<SeanceCancellationResponse> HandleAsync(CouncilRequest request, Guid seanceId, CancelSeance command)
    {
        var target = await SeanceForWriting.FetchForPreparerAsync(request, seanceId);
        Check(command).ThrowIfAny();
        target.RequireVersion(command.ExpectedVersion);

        var session = request.Session;
        var onAgenda = await session.Query<Situation>().Where(s => s.Agenda.Any(a => a.SeanceId == seanceId)).ToListAsync(request.Cancellation);
        var cancellation = Decide(target.Seance, command, onAgenda, request.Actor.Id, request.Now);
        var situations = onAgenda.ToDictionary(s => s.Id);
        foreach (var postponed in cancellation.Postponed)
            session.Events.Append(postponed.SituationId, situations[postponed.SituationId].Version + 1, postponed);
        var version = target.Append(cancellation.Cancelled);
        return new SeanceCancellationResponse(seanceId, request.Now,
            [.. cancellation.Postponed.Select(p => situations[p.SituationId].Pseudonym).Order(StringComparer.Ordinal)], version);
    }

    public static ValidationErrors Check(CancelSeance command) => SeanceForWriting.CheckExpectedVersion(command.ExpectedVersion)
        .When(!SeanceChangeReasons.Has(SeanceChangeReasons.Cancellation, command.Reason), "reason", "Le motif de l'annulation doit être choisi dans la liste.");

    /// <summary>A séance not held yet (no attendance recorded), neither closed nor already cancelled.</summary>
    public static SeanceCancellation Decide(Seance seance, CancelSeance command, IEnumerable<Situation> placedOnIt, Guid by, DateTimeOffset now)
    {
        SeanceForWriting.RequireOpen(seance, "elle ne peut plus être annulée.");
        if (seance.AttendanceRecorded) throw Problems.OutOfOrder("La présence de cette séance est enregistrée : elle a eu lieu, clôturez-la plutôt que l'annuler.");
        var postponed = placedOnIt
            .Where(s => s.Agenda.Any(a => a.SeanceId == seance.Id && a.Pending))
            .Select(s => new SituationPostponed(s.Id, seance.Id, by, now))
            .ToList();
        return new SeanceCancellation(new SeanceCancelled(seance.Id, command.Reason!, by, now), postponed);
    }
}
