using CaseExchange.Charter;
using CaseExchange.Http;
using CaseExchange.Journal;
using CaseExchange.Protection;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Councils.Partners;

public sealed record RegisterPartner(string? Organisation, string? Role, long? ExpectedVersion);

public static class RegisterPartnerEndpoint
{
    [WolverinePost("/api/councils/{council}/partners", Summary = "Inscrire une organisation partenaire à l'annuaire (coordonnateur)"), Tags("Conseil")]
    public static Task<PartnerView> Post(RegisterPartner command, CouncilRequest request, IdentityIndex index, AccessJournal journal) =>
        RegisterPartnerUseCase.HandleAsync(request, command, index, journal);
}

/// <summary>
/// The coordonnateur manages the directory (its one free-text entry point): an organisation name that names a person
/// known to the council is refused, and the refusal is journalled on the council's chain (who, when, never the text).
/// </summary>
public static class RegisterPartnerUseCase
{
    public const int MaxOrganisationLength = 120;

    public static async Task<PartnerView> HandleAsync(CouncilRequest request, RegisterPartner command, IdentityIndex index, AccessJournal journal)
    {
        var (actor, policy) = (request.Actor, request.Policy);
        actor.RequireCouncilCapability(policy, Capabilities.ManageCouncil);
        Check(command, actor.Council, policy).ThrowIfAny();
        var version = actor.Council.Version;
        if (command.ExpectedVersion is { } expected && expected != version) throw Problems.StaleVersion(expected, version);
        if ((await index.GuardForAsync(request.Council, [command.Organisation], request.Cancellation)).Names(command.Organisation))
            throw await IdentifyingTextRefusals.OnCouncilAsync(journal, request.Council, actor, [("organisation", "Le nom de l'organisation")],
                request.Cancellation);

        var registered = Decide(command, Guid.CreateVersion7(), actor.Id, request.Now);
        request.Session.Events.Append(Council.StreamId, version + 1, registered);
        return new PartnerView(registered.PartnerId, registered.Organisation, registered.Role, policy.PartnerRoles.LabelOf(registered.Role));
    }

    /// <summary>A name, a role of the charter's list, not already in the directory with that role.</summary>
    public static ValidationErrors Check(RegisterPartner command, Council council, CharterPolicy policy) => new ValidationErrors()
        .RequireText(command.Organisation, "organisation", "Le nom de l'organisation", MaxOrganisationLength)
        .When(!policy.PartnerRoles.Has(command.Role), "role", "La fonction doit être choisie dans la liste de la charte.")
        .When(council.Partners.Any(p => p.Role == command.Role && string.Equals(p.Organisation, command.Organisation?.Trim(), StringComparison.OrdinalIgnoreCase)),
            "organisation", "Cette organisation figure déjà à l'annuaire avec cette fonction.");

    public static PartnerRegistered Decide(RegisterPartner command, Guid partnerId, Guid actorId, DateTimeOffset now) =>
        new(partnerId, command.Organisation!.Trim(), command.Role!, actorId, now);
}
