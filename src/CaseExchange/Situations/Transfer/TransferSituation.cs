using System.Text.Json.Serialization;
using CaseExchange.Councils;
using CaseExchange.Http;
using CaseExchange.Protection;
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
    public static Task<SituationChangedResponse> Post(Guid situationId, TransferSituation command, CouncilRequest request, SituationKeys keys) =>
        TransferSituationUseCase.HandleAsync(request, situationId, command, keys);
}

/// <summary>Handing a situation over to another group of the council (animateur of the holding group or coordonnateur).</summary>
public static class TransferSituationUseCase
{
    public const int MaxReasonLength = 1000;

    public static async Task<SituationChangedResponse> HandleAsync(CouncilRequest request, Guid situationId, TransferSituation command, SituationKeys keys)
    {
        // The version first: a stale client learns the current version, not a rule judged on a state it has not seen.
        var target = await SituationForWriting.FetchForLeadAsync(request, situationId, command.ExpectedVersion);
        var destination = await request.Session.LoadAsync<Group>(command.ToGroupId, request.Cancellation);
        Check(command, target.Situation, destination).ThrowIfAny();
        InstanceRules.RequireNominative(request.Policy, destination!);
        // The state before the key: an erased situation answers 409, not the key's 410.
        SituationForWriting.RequireOpen(target.Situation);

        var sealer = await target.SealerAsync(request, keys);
        return target.Append(Decide(target.Situation, destination!, command, sealer, request.Actor.Id, request.Now));
    }

    /// <summary>The form: an existing group other than the holding one, and a reason.</summary>
    public static ValidationErrors Check(TransferSituation command, Situation situation, Group? destination) => new ValidationErrors()
        .When(destination is null, "toGroupId", "Groupe de destination introuvable dans ce conseil.")
        .When(destination?.Id == situation.GroupId, "toGroupId", "La situation est déjà détenue par ce groupe.")
        .RequireText(command.ReasonInClear, "reason", "Le motif du transfert", MaxReasonLength);

    /// <summary>Only an open situation moves; the reason is sealed under the situation's key.</summary>
    public static SituationTransferred Decide(Situation situation, Group destination, TransferSituation command, SituationSealer sealer,
        Guid actorId, DateTimeOffset now)
    {
        SituationForWriting.RequireOpen(situation);
        return new SituationTransferred(situation.Id, situation.GroupId, destination.Id,
            sealer.Seal(SealedFields.TransferReason, command.ReasonInClear!.Trim()), actorId, now);
    }
}
