using System.Security.Claims;
using CaseExchange.Charter;
using CaseExchange.Http;
using CaseExchange.Protection;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Councils.Partners;

public sealed record RegisterPartner(string? Organisation, string? Role, long? ExpectedVersion);

public sealed record PartnerView(Guid PartnerId, string Organisation, string Role, string RoleLabel);

public sealed record PartnerDirectoryView(IReadOnlyList<PartnerView> Partners, IReadOnlyList<ListEntry> Roles);

/// <summary>
/// The council's directory of partner organisations (organisation + role from the charter's closed list). Action
/// owners and séance guests are chosen from it, so that no person's name has to be typed where text stays in clear.
/// It is the only way to name them: the commands carry a partner id, never a typed organisation or function. The
/// coordonnateur manages it (the one free-text entry point); an organisation name that names a person known to the
/// council is refused, and the refusal is journalled on the council's chain (who, when, never the text).
/// </summary>
public static class PartnerDirectoryEndpoints
{
    public const int MaxOrganisationLength = 120;

    public const string ChooseFromDirectory = "Choisissez une organisation de l'annuaire des partenaires du conseil.";

    [WolverineGet("/api/councils/{council}/partners", Summary = "L'annuaire des organisations partenaires du conseil"), Tags("Conseil")]
    public static async Task<PartnerDirectoryView> Get(string council, ClaimsPrincipal user, IQuerySession session, CharterPolicy policy)
    {
        var actor = await Actor.RequireAsync(user, session);
        return View(actor.Council, policy);
    }

    [WolverinePost("/api/councils/{council}/partners", Summary = "Inscrire une organisation partenaire à l'annuaire (coordonnateur)"), Tags("Conseil")]
    public static async Task<PartnerView> Post(string council, RegisterPartner command, ClaimsPrincipal user, IDocumentSession session,
        CharterPolicy policy, IdentityIndex index, Journal.AccessJournal journal, TimeProvider clock)
    {
        var actor = await Actor.RequireAsync(user, session);
        actor.RequireCouncilCapability(policy, Capabilities.ManageCouncil);
        new ValidationErrors()
            .RequireText(command.Organisation, "organisation", "Le nom de l'organisation", MaxOrganisationLength)
            .When(!policy.PartnerRoles.Has(command.Role), "role", "La fonction doit être choisie dans la liste de la charte.")
            .When(actor.Council.Partners.Any(p => p.Role == command.Role && string.Equals(p.Organisation, command.Organisation?.Trim(), StringComparison.OrdinalIgnoreCase)),
                "organisation", "Cette organisation figure déjà à l'annuaire avec cette fonction.")
            .ThrowIfAny();
        var version = actor.Council.Version;
        if (command.ExpectedVersion is { } expected && expected != version) throw Problems.StaleVersion(expected, version);
        if ((await index.GuardForAsync(council, [command.Organisation])).Names(command.Organisation))
            throw await Journal.IdentifyingTextRefusals.OnCouncilAsync(journal, council, actor, [("organisation", "Le nom de l'organisation")]);

        var registered = new PartnerRegistered(Guid.CreateVersion7(), command.Organisation!.Trim(), command.Role!, actor.Id, clock.GetUtcNow());
        session.Events.Append(Council.StreamId, version + 1, registered);
        return new PartnerView(registered.PartnerId, registered.Organisation, registered.Role, policy.PartnerRoles.LabelOf(registered.Role));
    }

    public static PartnerDirectoryView View(Council council, CharterPolicy policy) =>
        new([.. council.Partners.OrderBy(p => p.Organisation, StringComparer.CurrentCulture)
                .Select(p => new PartnerView(p.Id, p.Organisation, p.Role, policy.PartnerRoles.LabelOf(p.Role)))],
            policy.PartnerRoles);

    /// <summary>The organisation and the role's label of a partner of the directory, or a 400 on the given field.</summary>
    public static (string Organisation, string Role) Resolve(Council council, CharterPolicy policy, Guid partnerId, string field, ValidationErrors errors)
    {
        var partner = council.Partners.FirstOrDefault(p => p.Id == partnerId);
        if (partner is null)
        {
            errors.Add(field, ChooseFromDirectory);
            return ("", "");
        }
        return (partner.Organisation, policy.PartnerRoles.LabelOf(partner.Role));
    }
}
