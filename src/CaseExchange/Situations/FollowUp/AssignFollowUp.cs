using CaseExchange.Situations;
using CaseExchange.Journal;
using System.Security.Claims;
using System.Text.Json.Serialization;
using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Councils.Partners;
using CaseExchange.Hosting;
using CaseExchange.Journal;
using CaseExchange.Protection;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Situations.FollowUp;

/// <summary>
/// NOMINATIVE, IN CLEAR until sealed: the action's description is free text. Its owner is a partner of the council's
/// directory (<see cref="OwnerPartnerId"/>: an organisation and a role from the charter's list); typing an organisation
/// and a function instead is still accepted, checked against every person known to the council.
/// </summary>
public sealed record ActionInClear(
    string? Kind, string? OwnerOrganisation, string? OwnerRole, DateOnly? DueOn,
    [property: JsonPropertyName("description")] string? DescriptionInClear, Guid? OwnerPartnerId = null)
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
    public static async Task<SituationChanged> Post(string council, Guid situationId, AssignFollowUp command, ClaimsPrincipal user,
        IDocumentSession session, CharterPolicy policy, SituationKeys keys, IdentityIndex index, AccessJournal journal, TimeProvider clock)
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
        var actions = command.Actions?.ToList() ?? [];
        for (var i = 0; i < actions.Count; i++)
        {
            var action = actions[i];
            errors.When(!policy.ActionKinds.Has(action.Kind), $"actions[{i}].kind", "Le type d'action doit être choisi dans la liste de la charte.");
            if (action.OwnerPartnerId is { } partnerId)
            {
                var (organisation, role) = PartnerDirectoryEndpoints.Resolve(actor.Council, policy, partnerId, $"actions[{i}].ownerPartnerId", errors);
                actions[i] = action with { OwnerOrganisation = organisation, OwnerRole = role };
            }
            else
            {
                errors.RequireText(action.OwnerOrganisation, $"actions[{i}].ownerOrganisation", "L'organisation chargée de l'action", 120);
                errors.RequireText(action.OwnerRole, $"actions[{i}].ownerRole", "La fonction chargée de l'action", 120);
            }
            errors.When(action.DueOn is null, $"actions[{i}].dueOn", "L'échéance est obligatoire.");
            errors.When(action.DueOn < today, $"actions[{i}].dueOn", "L'échéance ne peut pas être passée.");
            errors.RequireText(action.DescriptionInClear, $"actions[{i}].description", "La description de l'action", 1000);
        }
        errors.ThrowIfAny();
        target.RequireNotClosed();
        if (target.Situation.ExaminationCount == 0)
            throw Problems.OutOfOrder("Un suivi ne peut être confié qu'après l'examen de la situation par le groupe.");
        await RequireOwnersNameNobodyAsync(council, actions, target.Situation, actor, index, journal);

        var cipher = await keys.SealerForAsync(session, situationId);
        var assigned = new FollowUpAssigned(situationId, command.ReferentId,
            [.. actions.Select(a => new PlannedAction(Guid.CreateVersion7(), a.Kind!, a.OwnerOrganisation!.Trim(), a.OwnerRole!.Trim(),
                a.DueOn!.Value, cipher.Seal(SealedFields.ActionDescription, a.DescriptionInClear!.Trim())))],
            actor.Id, now);
        return target.Append(assigned);
    }

    /// <summary>
    /// Owners are stored in clear (they reach the CR): an organisation and a function, never a person. A text that
    /// names any live person of the council is refused, without repeating it nor saying which kind of identity
    /// matched, and the refusal is journalled.
    /// </summary>
    private static async Task RequireOwnersNameNobodyAsync(string council, IReadOnlyList<ActionInClear> actions, Situation situation,
        Actor actor, IdentityIndex index, AccessJournal journal)
    {
        // Owners chosen from the directory were checked when the partner was registered.
        var guard = await index.GuardForAsync(council, actions.Where(a => a.OwnerPartnerId is null).SelectMany(a => new[] { a.OwnerOrganisation, a.OwnerRole }));
        var refused = new List<(string Field, string Label)>();
        for (var i = 0; i < actions.Count; i++)
        {
            if (actions[i].OwnerPartnerId is not null) continue;
            if (guard.Names(actions[i].OwnerOrganisation)) refused.Add(($"actions[{i}].ownerOrganisation", "L'organisation chargée de l'action"));
            if (guard.Names(actions[i].OwnerRole)) refused.Add(($"actions[{i}].ownerRole", "La fonction chargée de l'action"));
        }
        if (refused.Count > 0) throw await IdentifyingTextRefusals.OnSituationAsync(journal, council, situation, actor, refused);
    }
}
