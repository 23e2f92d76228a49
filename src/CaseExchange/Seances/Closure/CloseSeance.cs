using CaseExchange.Councils;
using CaseExchange.Http;
using CaseExchange.Situations;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Seances.Closure;

public sealed record CloseSeance(long? ExpectedVersion);

public sealed record SeanceClosureResponse(Guid SeanceId, DateTimeOffset ClosedAt, IReadOnlyList<string> Postponed, long Version);

/// <summary>What closing a séance records: its closure, and the postponement of each situation still waiting on its ODJ.</summary>
public sealed record SeanceClosureDecision(SeanceClosed Closed, IReadOnlyList<SituationPostponed> Postponed);

/// <summary>
/// Closes the séance: nothing more is recorded at it (attendance, examinations, ODJ). Situations still waiting on its
/// ODJ are postponed on their own streams, so that they can be placed on a later séance.
/// </summary>
public static class CloseSeanceEndpoint
{
    [WolverinePost("/api/councils/{council}/seances/{seanceId}/closure", Summary = "Clore la séance"), Tags("Séances")]
    public static Task<SeanceClosureResponse> Post(Guid seanceId, CloseSeance command, CouncilRequest request) =>
        CloseSeanceUseCase.HandleAsync(request, seanceId, command);
}

public static class CloseSeanceUseCase
{
    public static async Task<SeanceClosureResponse> HandleAsync(CouncilRequest request, Guid seanceId, CloseSeance command)
    {
        var target = await SeanceForWriting.FetchForPreparerAsync(request, seanceId);
        Check(command).ThrowIfAny();
        target.RequireVersion(command.ExpectedVersion);
        var now = request.Now;
        RequireClosable(target.Seance, now);

        var session = request.Session;
        var onAgenda = await session.Query<Situation>().Where(s => s.Agenda.Any(a => a.SeanceId == seanceId)).ToListAsync(request.Cancellation);
        var closure = Decide(target.Seance, onAgenda, request.Actor.Id, now);
        var situations = onAgenda.ToDictionary(s => s.Id);
        foreach (var postponed in closure.Postponed)
        {
            // Expected version: an examination committed meanwhile makes this close fail (409) rather than postpone it.
            session.Events.Append(postponed.SituationId, situations[postponed.SituationId].Version + 1, postponed);
        }
        var version = target.Append(closure.Closed);
        return new SeanceClosureResponse(seanceId, now,
            [.. closure.Postponed.Select(p => situations[p.SituationId].Pseudonym).Order(StringComparer.Ordinal)], version);
    }

    /// <summary>Nothing to fill in: only the version of the séance as its author saw it.</summary>
    public static ValidationErrors Check(CloseSeance command) => SeanceForWriting.CheckExpectedVersion(command.ExpectedVersion);

    /// <summary>A séance closes once, after it took place, once its attendance is recorded (règlement intérieur, article 8).</summary>
    public static void RequireClosable(Seance seance, DateTimeOffset now)
    {
        if (seance.IsClosed) throw Problems.OutOfOrder("Cette séance est déjà close.");
        if (seance.IsCancelled) throw Problems.OutOfOrder("Cette séance est annulée : elle ne peut pas être close.");
        SeanceForWriting.RequireHeld(seance, now, "elle ne peut pas encore être close.");
        if (!seance.AttendanceRecorded)
            throw Problems.OutOfOrder("Enregistrez la présence des participants avant de clore la séance (règlement intérieur, article 8).");
    }

    /// <summary>The closure, and a postponement for each situation placed on the séance that it did not examine.</summary>
    public static SeanceClosureDecision Decide(Seance seance, IEnumerable<Situation> placedOnIt, Guid closedBy, DateTimeOffset now)
    {
        RequireClosable(seance, now);
        var postponed = placedOnIt
            .Where(s => s.Agenda.Any(a => a.SeanceId == seance.Id && a.Pending))
            .Select(s => new SituationPostponed(s.Id, seance.Id, closedBy, now))
            .ToList();
        return new SeanceClosureDecision(new SeanceClosed(seance.Id, closedBy, now), postponed);
    }
}
