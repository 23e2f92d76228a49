using CaseExchange.Situations;
using System.Security.Claims;
using System.Text.Json.Serialization;
using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Councils.Partners;
using CaseExchange.Http;
using CaseExchange.Journal;
using CaseExchange.Protection;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Situations.FollowUp;

/// <summary>
/// NOMINATIVE, IN CLEAR until sealed: the action's description is free text. Its owner is a partner of the council's
/// directory (<see cref="OwnerPartnerId"/>: an organisation and a role from the charter's list), the only way to name
/// one: there is no field where an organisation or a function could be typed, so no person's name can be typed as an
/// owner. An unknown property (e.g. <c>ownerOrganisation</c>) makes the body malformed (400 at the input boundary).
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ActionInClear(
    string? Kind, Guid? OwnerPartnerId, DateOnly? DueOn,
    [property: JsonPropertyName("description")] string? DescriptionInClear)
{
    public override string ToString() => "[action nominative]";
}

public sealed record AssignFollowUp(Guid ReferentId, IReadOnlyList<ActionInClear>? Actions, long? ExpectedVersion)
{
    public override string ToString() => "[suivi nominatif]";
}

public static class AssignFollowUpEndpoint
{
    [WolverinePost("/api/councils/{council}/situations/{situationId}/follow-up", Summary = "Confier le suivi à un référent, avec actions et échéances"), Tags("Situations")]
    public static async Task<SituationChangedResponse> Post(string council, Guid situationId, AssignFollowUp command, ClaimsPrincipal user,
        IDocumentSession session, CharterPolicy policy, SituationKeys keys, TimeProvider clock)
    {
        var actor = await Actor.RequireAsync(user, session);
        var target = await SituationForWriting.FetchAsync(session, situationId);
        target.RequireLead(actor, policy);
        target.RequireVersion(command.ExpectedVersion);
        var referent = await session.LoadAsync<Member>(command.ReferentId);
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);

        var errors = new ValidationErrors()
            .When(referent is not { Active: true } || target.HoldingGroup?.HasMember(command.ReferentId) != true, "referentId",
                "Le référent doit être un membre actif du groupe qui détient la situation.")
            .When(referent is { Active: true } && !referent.HasSigned(actor.Council.CharterVersionInForce), "referentId",
                "Le référent doit avoir signé la charte en vigueur.")
            .When(command.Actions is not { Count: > 0 }, "actions", "Indiquez au moins une action.");
        var actions = command.Actions ?? [];
        // Organisation and role's label copied from the directory now, so the event (and the CRs built from it) keep them.
        var owners = new List<(string Organisation, string Role)>();
        for (var i = 0; i < actions.Count; i++)
        {
            var action = actions[i];
            errors.When(!policy.ActionKinds.Has(action.Kind), $"actions[{i}].kind", "Le type d'action doit être choisi dans la liste de la charte.");
            var owner = $"actions[{i}].ownerPartnerId";
            if (action.OwnerPartnerId is { } partnerId)
                owners.Add(PartnerDirectory.Resolve(actor.Council, policy, partnerId, owner, errors));
            else
            {
                errors.Add(owner, PartnerDirectory.ChooseFromDirectory);
                owners.Add(("", ""));
            }
            errors.When(action.DueOn is null, $"actions[{i}].dueOn", "L'échéance est obligatoire.");
            errors.When(action.DueOn < today, $"actions[{i}].dueOn", "L'échéance ne peut pas être passée.");
            errors.RequireText(action.DescriptionInClear, $"actions[{i}].description", "La description de l'action", 1000);
        }
        errors.ThrowIfAny();
        target.RequireNotClosed();
        if (target.Situation.ExaminationCount == 0)
            throw Problems.OutOfOrder("Un suivi ne peut être confié qu'après l'examen de la situation par le groupe.");

        var cipher = await keys.SealerForAsync(session, situationId);
        var assigned = new FollowUpAssigned(situationId, command.ReferentId,
            [.. actions.Select((a, i) => new PlannedAction(Guid.CreateVersion7(), a.Kind!, owners[i].Organisation, owners[i].Role,
                a.DueOn!.Value, cipher.Seal(SealedFields.ActionDescription, a.DescriptionInClear!.Trim())))],
            actor.Id, now);
        return target.Append(assigned);
    }
}
