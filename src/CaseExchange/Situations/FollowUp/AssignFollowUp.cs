using System.Text.Json.Serialization;
using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Councils.Partners;
using CaseExchange.Http;
using CaseExchange.Protection;
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
    public static Task<SituationChangedResponse> Post(Guid situationId, AssignFollowUp command, CouncilRequest request, SituationKeys keys) =>
        AssignFollowUpUseCase.HandleAsync(request, situationId, command, keys);
}

/// <summary>Entrusting the follow-up of an examined situation to a référent of the holding group, with actions owned by partners.</summary>
public static class AssignFollowUpUseCase
{
    public const int MaxDescriptionLength = 1000;

    public static async Task<SituationChangedResponse> HandleAsync(CouncilRequest request, Guid situationId, AssignFollowUp command, SituationKeys keys)
    {
        var target = await SituationForWriting.FetchForLeadAsync(request, situationId, command.ExpectedVersion);
        var referent = await request.Session.LoadAsync<Member>(command.ReferentId, request.Cancellation);
        Check(command, referent, target.HoldingGroup, request.Actor.Council, request.Policy, request.Today).ThrowIfAny();
        // The state before the key: an erased situation answers 409, not the key's 410.
        RequireAssignable(target.Situation);

        var sealer = await target.SealerAsync(request, keys);
        return target.Append(Decide(target.Situation, command, request.Actor.Council, request.Policy, sealer, request.Actor.Id, request.Now));
    }

    /// <summary>
    /// The form: a référent who is an active member of the holding group under the charter in force, at least one action
    /// of the charter's kinds, owned by a partner of the council's directory, due today or later, described.
    /// </summary>
    public static ValidationErrors Check(AssignFollowUp command, Member? referent, Group? holdingGroup, Council council, CharterPolicy policy, DateOnly today)
    {
        var errors = new ValidationErrors()
            .When(referent is not { Active: true } || holdingGroup?.HasMember(command.ReferentId) != true, "referentId",
                "Le référent doit être un membre actif du groupe qui détient la situation.")
            .When(referent is { Active: true } && !referent.HasSigned(council.CharterVersionInForce), "referentId",
                "Le référent doit avoir signé la charte en vigueur.")
            .When(command.Actions is not { Count: > 0 }, "actions", "Indiquez au moins une action.");
        var actions = command.Actions ?? [];
        for (var i = 0; i < actions.Count; i++)
        {
            var action = actions[i];
            errors.When(!policy.ActionKinds.Has(action.Kind), $"actions[{i}].kind", "Le type d'action doit être choisi dans la liste de la charte.");
            errors.When(OwnerOf(council, policy, action.OwnerPartnerId) is null, $"actions[{i}].ownerPartnerId", PartnerDirectory.ChooseFromDirectory);
            errors.When(action.DueOn is null, $"actions[{i}].dueOn", "L'échéance est obligatoire.");
            errors.When(action.DueOn < today, $"actions[{i}].dueOn", "L'échéance ne peut pas être passée.");
            errors.RequireText(action.DescriptionInClear, $"actions[{i}].description", "La description de l'action", MaxDescriptionLength);
        }
        return errors;
    }

    /// <summary>The assignment: each owner's organisation and role label copied from the directory now (the event and the CRs keep them), descriptions sealed.</summary>
    public static FollowUpAssigned Decide(Situation situation, AssignFollowUp command, Council council, CharterPolicy policy, SituationSealer sealer,
        Guid actorId, DateTimeOffset now)
    {
        RequireAssignable(situation);
        return new FollowUpAssigned(situation.Id, command.ReferentId,
            [.. command.Actions!.Select(a =>
            {
                var (organisation, role) = OwnerOf(council, policy, a.OwnerPartnerId)!.Value;
                return new PlannedAction(Guid.CreateVersion7(), a.Kind!, organisation, role, a.DueOn!.Value,
                    sealer.Seal(SealedFields.ActionDescription, a.DescriptionInClear!.Trim()));
            })],
            actorId, now);
    }

    /// <summary>Pure: the state an assignment needs (409 otherwise).</summary>
    public static void RequireAssignable(Situation situation)
    {
        SituationForWriting.RequireOpen(situation);
        if (situation.ExaminationCount == 0)
            throw Problems.OutOfOrder("Un suivi ne peut être confié qu'après l'examen de la situation par le groupe.");
    }

    /// <summary>A partner of the council's directory, as an action's owner: its organisation and its role's label; null if unknown.</summary>
    private static (string Organisation, string Role)? OwnerOf(Council council, CharterPolicy policy, Guid? partnerId) =>
        council.Partners.FirstOrDefault(p => p.Id == partnerId) is { } partner ? (partner.Organisation, policy.PartnerRoles.LabelOf(partner.Role)) : null;
}
