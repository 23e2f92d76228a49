using System.Security.Claims;
using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Http;
using CaseExchange.Situations;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Seances.Agenda;

public sealed record PublishAgenda(long? ExpectedVersion);

public sealed record AgendaPublicationResponse(Guid SeanceId, IReadOnlyList<Guid> SituationIds, DateTimeOffset PublishedAt, long Version);

/// <summary>
/// Fixes the ODJ and records it as sent to the members (règlement, article 6). The ODJ itself is built from the group's
/// situations placed on this séance (POST situations/{id}/agenda); publishing again after a late addition re-issues it.
/// </summary>
public static class PublishAgendaEndpoint
{
    [WolverinePost("/api/councils/{council}/seances/{seanceId}/agenda-publication", Summary = "Publier l'ordre du jour de la séance"), Tags("Séances")]
    public static async Task<AgendaPublicationResponse> Post(string council, Guid seanceId, PublishAgenda command, ClaimsPrincipal user,
        IDocumentSession session, CharterPolicy policy, TimeProvider clock)
    {
        var actor = await Actor.RequireAsync(user, session);
        var target = await SeanceForWriting.FetchAsync(session, seanceId);
        target.RequirePreparer(actor, policy);
        target.RequireVersion(command.ExpectedVersion);
        target.RequireOpen("son ordre du jour ne peut plus être publié.");

        var onAgenda = await session.Query<Situation>().Where(s => s.Agenda.Any(a => a.SeanceId == seanceId)).ToListAsync();
        var published = Decide(target.Seance, onAgenda, actor.Id, clock.GetUtcNow());
        return new AgendaPublicationResponse(seanceId, published.SituationIds, published.At, target.Append(published));
    }

    public static AgendaPublished Decide(Seance seance, IEnumerable<Situation> placedOnIt, Guid publishedBy, DateTimeOffset now)
    {
        var ids = placedOnIt
            .Where(s => s.Agenda.Any(a => a.SeanceId == seance.Id && !a.Postponed))
            .OrderBy(s => s.Pseudonym, StringComparer.Ordinal)
            .Select(s => s.Id)
            .ToList();
        if (ids.Count == 0)
            throw Problems.OutOfOrder("L'ordre du jour ne comporte aucune situation : inscrivez-en au moins une avant de le publier.");
        return new AgendaPublished(seance.Id, ids, publishedBy, now);
    }
}
