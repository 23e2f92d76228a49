using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Http;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Retention.RightOfAccess.Requests;

/// <summary>A right-of-access request as it arrived: the day it was received and how. No identity: see <see cref="AccessRequestRecorded"/>.</summary>
public sealed record RecordAccessRequest(DateOnly? ReceivedOn, string? Channel);

public sealed record AccessRequestRecordedResponse(Guid RequestId, string Reference, DateOnly ReceivedOn, DateOnly DueOn, string Url) : CreationResponse(Url);

public static class RecordAccessRequestEndpoint
{
    [WolverinePost("/api/councils/{council}/right-of-access/requests",
        Summary = "Enregistrer une demande de droit d'accès reçue (date, canal ; sans identité) et son échéance d'un mois (coordonnateur)"), Tags("Conservation")]
    public static Task<AccessRequestRecordedResponse> Post(RecordAccessRequest? command, CouncilRequest request) =>
        RecordAccessRequestUseCase.HandleAsync(request, command);
}

/// <summary>The coordonnateur records a request when it arrives; the one-month deadline runs from the day of receipt.</summary>
public static class RecordAccessRequestUseCase
{
    public static Task<AccessRequestRecordedResponse> HandleAsync(CouncilRequest request, RecordAccessRequest? command)
    {
        var actor = request.Actor;
        actor.Require(AccessRules.AnswerAccessRequest(request.Policy, actor.Member, actor.Council));
        var now = request.Now;
        Check(command, request.Policy, now).ThrowIfAny();
        var recorded = Decide(Guid.CreateVersion7(), command!, actor.Id, now);
        request.Session.Events.StartStream<AccessRequest>(recorded.RequestId, recorded);
        return Task.FromResult(new AccessRequestRecordedResponse(recorded.RequestId, recorded.Reference, recorded.ReceivedOn,
            AccessRequestDeadlines.DueOn(recorded.ReceivedOn, extended: false), $"/api/councils/{request.Council}/right-of-access/requests/{recorded.RequestId}"));
    }

    /// <summary>A day of receipt, not after today (the council's day), and a channel from the charter's list.</summary>
    public static ValidationErrors Check(RecordAccessRequest? command, CharterPolicy policy, DateTimeOffset now) => new ValidationErrors()
        .When(command?.ReceivedOn is null, "receivedOn", "La date de réception de la demande est obligatoire.")
        .When(command?.ReceivedOn > AccessRequestDeadlines.TodayAt(now), "receivedOn", "La date de réception ne peut pas être dans le futur.")
        .When(!policy.AccessRequestChannels.Has(command?.Channel), "channel", "Le canal de réception doit être choisi dans la liste de la charte.");

    /// <summary>The request, with the council's reference: the year of receipt and the start of its id (nothing about the requester).</summary>
    public static AccessRequestRecorded Decide(Guid requestId, RecordAccessRequest command, Guid recordedBy, DateTimeOffset now) =>
        new(requestId, ReferenceOf(requestId, command.ReceivedOn!.Value), command.ReceivedOn.Value, command.Channel!, recordedBy, now);

    public static string ReferenceOf(Guid requestId, DateOnly receivedOn) =>
        $"DA-{receivedOn.Year}-{requestId.ToString("N")[^6..].ToUpperInvariant()}";
}
