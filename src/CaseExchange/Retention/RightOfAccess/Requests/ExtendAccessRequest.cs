using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Http;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Retention.RightOfAccess.Requests;

/// <summary>Extending the answer by two months: a reason from the charter's closed list (RGPD art. 12.3).</summary>
public sealed record ExtendAccessRequest(string? Reason);

public sealed record AccessRequestExtendedResponse(Guid RequestId, string Reference, DateOnly DueOn);

public static class ExtendAccessRequestEndpoint
{
    [WolverinePost("/api/councils/{council}/right-of-access/requests/{requestId}/extension",
        Summary = "Prolonger de deux mois le délai de réponse à une demande de droit d'accès, avec un motif (coordonnateur)"), Tags("Conservation")]
    public static Task<AccessRequestExtendedResponse> Post(Guid requestId, ExtendAccessRequest? command, CouncilRequest request) =>
        ExtendAccessRequestUseCase.HandleAsync(request, requestId, command);
}

public static class ExtendAccessRequestUseCase
{
    public static async Task<AccessRequestExtendedResponse> HandleAsync(CouncilRequest request, Guid requestId, ExtendAccessRequest? command)
    {
        var actor = request.Actor;
        actor.Require(AccessRules.AnswerAccessRequest(request.Policy, actor.Member, actor.Council));
        var state = await AccessRequestsUseCase.LoadAsync(request, requestId);
        Check(command, request.Policy).ThrowIfAny();
        var extended = Decide(state, command!, actor.Id, request.Now);
        // Against the version read: of two concurrent extensions, the second loses at commit (409), as everywhere in the house.
        request.Session.Events.Append(requestId, state.Version + 1, extended);
        return new AccessRequestExtendedResponse(requestId, state.Reference, AccessRequestDeadlines.DueOn(state.ReceivedOn, extended: true));
    }

    public static ValidationErrors Check(ExtendAccessRequest? command, CharterPolicy policy) => new ValidationErrors()
        .When(!policy.AccessRequestExtensionReasons.Has(command?.Reason), "reason", "Le motif de la prolongation doit être choisi dans la liste de la charte.");

    /// <summary>Once, before the answer, and within the first month: the person must be told of the extension within that month.</summary>
    public static AccessRequestExtended Decide(AccessRequest state, ExtendAccessRequest command, Guid extendedBy, DateTimeOffset now)
    {
        if (state.Answered) throw Problems.OutOfOrder("Cette demande a déjà reçu sa réponse : il n'y a plus de délai à prolonger.");
        if (state.Extended) throw Problems.OutOfOrder("Le délai de cette demande a déjà été prolongé : il ne peut l'être qu'une fois, de deux mois.");
        if (AccessRequestDeadlines.TodayAt(now) > AccessRequestDeadlines.DueOn(state.ReceivedOn, extended: false))
            throw Problems.OutOfOrder("Le délai d'un mois est dépassé : la prolongation devait être décidée, et la personne informée, dans le mois suivant la réception.");
        return new AccessRequestExtended(state.Id, command.Reason!, extendedBy, now);
    }
}
