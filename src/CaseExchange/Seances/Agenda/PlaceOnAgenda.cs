using CaseExchange.Councils;
using CaseExchange.Http;
using CaseExchange.Situations;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Seances.Agenda;

public sealed record PlaceOnAgenda(Guid SeanceId, long? ExpectedVersion);

/// <summary>
/// Placing a situation on a séance's ODJ: an event of the situation's own stream (the ODJ is built from the situations
/// placed on the séance), by the animateur of the holding group or the coordonnateur.
/// </summary>
public static class PlaceOnAgendaEndpoint
{
    [WolverinePost("/api/councils/{council}/situations/{situationId}/agenda", Summary = "Inscrire la situation à l'ordre du jour d'une séance"), Tags("Situations")]
    public static Task<SituationChangedResponse> Post(Guid situationId, PlaceOnAgenda command, CouncilRequest request) =>
        PlaceOnAgendaUseCase.HandleAsync(request, situationId, command);
}

public static class PlaceOnAgendaUseCase
{
    public static async Task<SituationChangedResponse> HandleAsync(CouncilRequest request, Guid situationId, PlaceOnAgenda command)
    {
        var target = await SituationForWriting.FetchAsync(request.Session, situationId);
        target.RequireLead(request.Actor, request.Policy);
        target.RequireVersion(command.ExpectedVersion);
        var seance = await request.Session.LoadAsync<Seance>(command.SeanceId, request.Cancellation);
        Check(command, seance).ThrowIfAny();
        return target.Append(Decide(target.Situation, seance!, request.Actor.Id, request.Now));
    }

    /// <summary>The séance named must be one of this council's.</summary>
    public static ValidationErrors Check(PlaceOnAgenda command, Seance? seance) => new ValidationErrors()
        .When(command.SeanceId == Guid.Empty || seance is null, "seanceId", "Séance introuvable dans ce conseil.");

    /// <summary>An open situation, on an open séance of its holding group, waiting on no other ODJ.</summary>
    public static SituationPlacedOnAgenda Decide(Situation situation, Seance seance, Guid placedBy, DateTimeOffset now)
    {
        if (situation.IsClosed || situation.IsErased) throw Problems.OutOfOrder("Une situation clôturée ne peut plus être inscrite à un ordre du jour.");
        if (seance.GroupId != situation.GroupId)
            throw Problems.OutOfOrder("Cette séance n'est pas une séance du groupe qui détient la situation.");
        if (seance.IsClosed) throw Problems.OutOfOrder("Cette séance est close : son ordre du jour ne peut plus changer.");
        if (seance.IsCancelled) throw Problems.OutOfOrder("Cette séance est annulée : inscrivez la situation à une autre séance.");
        if (situation.Agenda.Any(a => a.SeanceId == seance.Id))
            throw Problems.OutOfOrder("La situation est déjà inscrite à l'ordre du jour de cette séance.");
        if (situation.Agenda.Any(a => a.Pending))
            throw Problems.OutOfOrder("La situation est déjà inscrite à une autre séance qui ne l'a pas encore examinée.");
        return new SituationPlacedOnAgenda(situation.Id, seance.Id, seance.Date, placedBy, now);
    }
}
