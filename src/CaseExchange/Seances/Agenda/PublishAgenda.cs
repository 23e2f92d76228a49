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
    public static Task<AgendaPublicationResponse> Post(Guid seanceId, PublishAgenda command, CouncilRequest request) =>
        PublishAgendaUseCase.HandleAsync(request, seanceId, command);
}

public static class PublishAgendaUseCase
{
    public static async Task<AgendaPublicationResponse> HandleAsync(CouncilRequest request, Guid seanceId, PublishAgenda command)
    {
        var target = await SeanceForWriting.FetchForPreparerAsync(request, seanceId);
        Check(command).ThrowIfAny();
        target.RequireVersion(command.ExpectedVersion);
        SeanceForWriting.RequireOpen(target.Seance, WhatIsRefusedOnceClosed);

        var onAgenda = await request.Session.Query<Situation>().Where(s => s.Agenda.Any(a => a.SeanceId == seanceId)).ToListAsync(request.Cancellation);
        var published = Decide(target.Seance, onAgenda, request.Actor.Id, request.Now);
        return new AgendaPublicationResponse(seanceId, published.SituationIds, published.At, target.Append(published));
    }

    private const string WhatIsRefusedOnceClosed = "son ordre du jour ne peut plus être publié.";

    /// <summary>Nothing to fill in: only the version of the séance as its author saw it.</summary>
    public static ValidationErrors Check(PublishAgenda command) => SeanceForWriting.CheckExpectedVersion(command.ExpectedVersion);

    /// <summary>The situations placed on an open séance and not postponed, by pseudonym; an empty ODJ is not sent.</summary>
    public static AgendaPublished Decide(Seance seance, IEnumerable<Situation> placedOnIt, Guid publishedBy, DateTimeOffset now)
    {
        SeanceForWriting.RequireOpen(seance, WhatIsRefusedOnceClosed);
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
