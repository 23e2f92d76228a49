using System.Security.Claims;
using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Http;
using CaseExchange.Seances;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Situations.Agenda;

public sealed record PlaceOnAgenda(Guid SeanceId, long? ExpectedVersion);

public static class PlaceOnAgendaEndpoint
{
    [WolverinePost("/api/councils/{council}/situations/{situationId}/agenda", Summary = "Inscrire la situation à l'ordre du jour d'une séance"), Tags("Situations")]
    public static async Task<SituationChangedResponse> Post(string council, Guid situationId, PlaceOnAgenda command, ClaimsPrincipal user,
        IDocumentSession session, CharterPolicy policy, TimeProvider clock)
    {
        var actor = await Actor.RequireAsync(user, session);
        var target = await SituationForWriting.FetchAsync(session, situationId);
        target.RequireLead(actor, policy);
        target.RequireVersion(command.ExpectedVersion);
        var seance = await session.LoadAsync<Seance>(command.SeanceId);
        new ValidationErrors().When(seance is null, "seanceId", "Séance introuvable dans ce conseil.").ThrowIfAny();
        return target.Append(Decide(target.Situation, seance!, actor.Id, clock.GetUtcNow()));
    }

    public static SituationPlacedOnAgenda Decide(Situation situation, Seance seance, Guid placedBy, DateTimeOffset now)
    {
        if (situation.IsClosed || situation.IsErased) throw Problems.OutOfOrder("Une situation clôturée ne peut plus être inscrite à un ordre du jour.");
        if (seance.GroupId != situation.GroupId)
            throw Problems.OutOfOrder("Cette séance n'est pas une séance du groupe qui détient la situation.");
        if (seance.IsClosed) throw Problems.OutOfOrder("Cette séance est close : son ordre du jour ne peut plus changer.");
        if (situation.Agenda.Any(a => a.SeanceId == seance.Id))
            throw Problems.OutOfOrder("La situation est déjà inscrite à l'ordre du jour de cette séance.");
        if (situation.Agenda.Any(a => a.Pending))
            throw Problems.OutOfOrder("La situation est déjà inscrite à une autre séance qui ne l'a pas encore examinée.");
        return new SituationPlacedOnAgenda(situation.Id, seance.Id, seance.Date, placedBy, now);
    }
}
