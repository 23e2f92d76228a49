using CaseExchange.Councils;
using CaseExchange.Http;
using CaseExchange.Journal;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Retention.RightOfAccess.Requests;

public static class AnswerRecordedAccessRequestEndpoint
{
    /// <summary>
    /// Answers a recorded request: the identity, checked on a document, is typed now and goes to the same search as
    /// <c>POST access-requests</c> (refusals and each situation exported journalled); the request is then marked answered.
    /// </summary>
    [JournalsItsRefusals]
    [WolverinePost("/api/councils/{council}/right-of-access/requests/{requestId}/answer",
        Summary = "Répondre à une demande de droit d'accès enregistrée : recherche et document à remettre (coordonnateur, journalisé)"), Tags("Conservation")]
    public static Task<RightOfAccessDocument> Post(Guid requestId, AccessRequestInClear? command, CouncilRequest request, RightOfAccessServices services) =>
        AnswerRecordedAccessRequestUseCase.HandleAsync(request, requestId, command, services);
}

public static class AnswerRecordedAccessRequestUseCase
{
    public static async Task<RightOfAccessDocument> HandleAsync(CouncilRequest request, Guid requestId, AccessRequestInClear? command, RightOfAccessServices services)
    {
        // The caller first, journalled when refused, exactly as the search without a recorded request.
        var actor = await AnswerAccessRequestUseCase.RequireEntitledAsync(request, services);
        var state = await AccessRequestsUseCase.LoadAsync(request, requestId);
        var answered = Decide(state, actor.Id, request.Now);
        var document = await AnswerAccessRequestUseCase.HandleAsync(request, command, services);
        // Against the version read: of two concurrent answers, the second loses at commit (409); its search stays journalled.
        request.Session.Events.Append(requestId, state.Version + 1, answered);
        return document;
    }

    /// <summary>A request is answered once; a second document for the same person goes through the search alone.</summary>
    public static AccessRequestAnswered Decide(AccessRequest state, Guid answeredBy, DateTimeOffset now) =>
        state.Answered
            ? throw Problems.OutOfOrder("Cette demande a déjà reçu sa réponse. Pour établir à nouveau le document, utilisez la recherche du droit d'accès.")
            : new AccessRequestAnswered(state.Id, answeredBy, now);
}
