using System.Security.Claims;
using System.Text.Json.Serialization;
using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Http;
using CaseExchange.Protection;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Situations.Transfer;

/// <summary>NOMINATIVE, IN CLEAR until sealed: the reason is free text.</summary>
public sealed record TransferSituation(Guid ToGroupId, [property: JsonPropertyName("reason")] string? ReasonInClear, long? ExpectedVersion)
{
    public override string ToString() => "[transfert nominatif]";
}

public static class TransferSituationEndpoint
{
    [WolverinePost("/api/councils/{council}/situations/{situationId}/transfer", Summary = "Transférer la situation à un autre groupe"), Tags("Situations")]
    public static async Task<SituationChangedResponse> Post(string council, Guid situationId, TransferSituation command, ClaimsPrincipal user,
        IDocumentSession session, CharterPolicy policy, SituationKeys keys, TimeProvider clock)
    {
        var actor = await Actor.RequireAsync(user, session);
        var target = await SituationForWriting.FetchAsync(session, situationId);
        target.RequireLead(actor, policy);
        // The version first: a stale client learns the current version, not a rule judged on a state it has not seen.
        target.RequireVersion(command.ExpectedVersion);
        var destination = await session.LoadAsync<Group>(command.ToGroupId);
        new ValidationErrors()
            .When(destination is null, "toGroupId", "Groupe de destination introuvable dans ce conseil.")
            .When(destination?.Id == target.Situation.GroupId, "toGroupId", "La situation est déjà détenue par ce groupe.")
            .RequireText(command.ReasonInClear, "reason", "Le motif du transfert", 1000)
            .ThrowIfAny();
        target.RequireNotClosed();

        var cipher = await keys.SealerForAsync(session, situationId);
        return target.Append(new SituationTransferred(situationId, target.Situation.GroupId, destination!.Id,
            cipher.Seal(SealedFields.TransferReason, command.ReasonInClear!.Trim()), actor.Id, clock.GetUtcNow()));
    }
}
