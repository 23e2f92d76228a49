using System.Text.Json.Serialization;
using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Http;
using CaseExchange.Protection;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Situations.FollowUp;

/// <summary>NOMINATIVE, IN CLEAR until sealed. Never the detail of a social or educational follow-up (secret partagé).</summary>
public sealed record RecordFollowUp(Guid ActionId, string? Status, [property: JsonPropertyName("note")] string? NoteInClear, long? ExpectedVersion)
{
    public override string ToString() => "[suivi nominatif]";
}

public static class RecordFollowUpEndpoint
{
    [WolverinePost("/api/councils/{council}/situations/{situationId}/follow-up/records", Summary = "Enregistrer un point de suivi (référent)"), Tags("Situations")]
    public static Task<SituationChangedResponse> Post(Guid situationId, RecordFollowUp command, CouncilRequest request, SituationKeys keys) =>
        RecordFollowUpUseCase.HandleAsync(request, situationId, command, keys);
}

/// <summary>The référent records where one action of the follow-up stands.</summary>
public static class RecordFollowUpUseCase
{
    public const int MaxNoteLength = 2000;

    public static async Task<SituationChangedResponse> HandleAsync(CouncilRequest request, Guid situationId, RecordFollowUp command, SituationKeys keys)
    {
        var target = await SituationForWriting.FetchAsync(request, situationId, command.ExpectedVersion, target => RecorderVerdict(request, target));
        Check(command, request.Policy).ThrowIfAny();
        // The state before the key: an erased situation answers 409, not the key's 410.
        RequireOpenAction(target.Situation, command.ActionId);

        var sealer = await target.SealerAsync(request, keys);
        return target.Append(Decide(target.Situation, command, sealer, request.Actor.Id, request.Now));
    }

    /// <summary>
    /// Only the designated référent, a member of the holding group under the charter in force, records a point; the page
    /// asks the same before offering the form.
    /// </summary>
    public static async Task RequireRecorderAsync(CouncilRequest request, Guid situationId)
    {
        var situation = await request.Session.LoadAsync<Situation>(situationId, request.Cancellation)
                        ?? throw Problems.NotFound("Situation introuvable dans ce conseil.");
        var group = await request.Session.LoadAsync<Group>(situation.GroupId, request.Cancellation);
        request.Actor.Require(AccessRules.RecordFollowUp(request.Policy, request.Actor.Member, request.Actor.Council, group, situation));
    }

    private static AccessVerdict RecorderVerdict(CouncilRequest request, SituationForWriting target) =>
        AccessRules.RecordFollowUp(request.Policy, request.Actor.Member, request.Actor.Council, target.HoldingGroup, target.Situation);

    /// <summary>The form: a status from the list, a note.</summary>
    public static ValidationErrors Check(RecordFollowUp command, CharterPolicy policy) => new ValidationErrors()
        .When(!policy.ActionStatuses.Has(command.Status), "status", "Le statut doit être choisi dans la liste (en cours, réalisée, abandonnée).")
        .RequireText(command.NoteInClear, "note", "La note de suivi", MaxNoteLength);

    /// <summary>The point, its note sealed: only on an action of this follow-up that is still under way.</summary>
    public static FollowUpRecorded Decide(Situation situation, RecordFollowUp command, SituationSealer sealer, Guid actorId, DateTimeOffset now)
    {
        RequireOpenAction(situation, command.ActionId);
        return new FollowUpRecorded(situation.Id, command.ActionId, command.Status!,
            sealer.Seal(SealedFields.FollowUpNote, command.NoteInClear!.Trim()), actorId, now);
    }

    /// <summary>Pure: the state a follow-up point needs (409 otherwise).</summary>
    public static void RequireOpenAction(Situation situation, Guid actionId)
    {
        SituationForWriting.RequireOpen(situation);
        var action = situation.Actions.FirstOrDefault(a => a.ActionId == actionId)
                     ?? throw Problems.OutOfOrder("Cette action ne fait pas partie du suivi de la situation.");
        if (action.Status != "en-cours")
            throw Problems.OutOfOrder("Cette action est déjà terminée (réalisée ou abandonnée).");
    }
}
