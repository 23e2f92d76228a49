using System.Security.Claims;
using System.Text.Json.Serialization;
using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Http;
using CaseExchange.Protection;
using Marten;
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
    public static async Task<SituationChangedResponse> Post(string council, Guid situationId, RecordFollowUp command, ClaimsPrincipal user,
        IDocumentSession session, CharterPolicy policy, SituationKeys keys, TimeProvider clock)
    {
        var actor = await Actor.RequireAsync(user, session);
        var target = await SituationForWriting.FetchAsync(session, situationId);
        actor.Require(AccessRules.RecordFollowUp(policy, actor.Member, actor.Council, target.HoldingGroup, target.Situation));
        target.RequireVersion(command.ExpectedVersion);

        new ValidationErrors()
            .When(!policy.ActionStatuses.Has(command.Status), "status", "Le statut doit être choisi dans la liste (en cours, réalisée, abandonnée).")
            .RequireText(command.NoteInClear, "note", "La note de suivi", 2000)
            .ThrowIfAny();
        target.RequireNotClosed();
        var action = target.Situation.Actions.FirstOrDefault(a => a.ActionId == command.ActionId)
                     ?? throw Problems.OutOfOrder("Cette action ne fait pas partie du suivi de la situation.");
        if (action.Status != "en-cours")
            throw Problems.OutOfOrder("Cette action est déjà terminée (réalisée ou abandonnée).");

        var cipher = await keys.SealerForAsync(session, situationId);
        return target.Append(new FollowUpRecorded(situationId, command.ActionId, command.Status!,
            cipher.Seal(SealedFields.FollowUpNote, command.NoteInClear!.Trim()), actor.Id, clock.GetUtcNow()));
    }
}
