using System.Security.Claims;
using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Http;
using CaseExchange.Situations;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Seances.Closure;

public sealed record CloseSeance(long? ExpectedVersion);

public sealed record SeanceClosureResponse(Guid SeanceId, DateTimeOffset ClosedAt, IReadOnlyList<string> Postponed, long Version);

/// <summary>
/// Closes the séance: nothing more is recorded at it (attendance, examinations, ODJ). Situations still waiting on its
/// ODJ are postponed on their own streams, so that they can be placed on a later séance.
/// </summary>
public static class CloseSeanceEndpoint
{
    [WolverinePost("/api/councils/{council}/seances/{seanceId}/closure", Summary = "Clore la séance"), Tags("Séances")]
    public static async Task<SeanceClosureResponse> Post(string council, Guid seanceId, CloseSeance command, ClaimsPrincipal user,
        IDocumentSession session, CharterPolicy policy, TimeProvider clock)
    {
        var actor = await Actor.RequireAsync(user, session);
        var target = await SeanceForWriting.FetchAsync(session, seanceId);
        target.RequirePreparer(actor, policy);
        target.RequireVersion(command.ExpectedVersion);
        if (target.Seance.IsClosed) throw Problems.OutOfOrder("Cette séance est déjà close.");
        var now = clock.GetUtcNow();
        target.RequireHeld(now, "elle ne peut pas encore être close.");
        if (!target.Seance.AttendanceRecorded)
            throw Problems.OutOfOrder("Enregistrez la présence des participants avant de clore la séance (règlement intérieur, article 8).");

        var onAgenda = await session.Query<Situation>().Where(s => s.Agenda.Any(a => a.SeanceId == seanceId)).ToListAsync();
        var waiting = onAgenda.Where(s => s.Agenda.Any(a => a.SeanceId == seanceId && a.Pending)).ToList();
        foreach (var situation in waiting)
        {
            // Expected version: an examination committed meanwhile makes this close fail (409) rather than postpone it.
            session.Events.Append(situation.Id, situation.Version + 1, new SituationPostponed(situation.Id, seanceId, actor.Id, now));
        }
        var version = target.Append(new SeanceClosed(seanceId, actor.Id, now));
        return new SeanceClosureResponse(seanceId, now, [.. waiting.Select(s => s.Pseudonym).Order(StringComparer.Ordinal)], version);
    }
}
