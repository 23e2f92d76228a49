using CaseExchange.Charter;
using CaseExchange.Http;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Councils.Partners;

public sealed record PartnerView(Guid PartnerId, string Organisation, string Role, string RoleLabel);

public sealed record PartnerDirectoryView(IReadOnlyList<PartnerView> Partners, IReadOnlyList<ListEntry> Roles);

public static class PartnerDirectoryEndpoint
{
    [WolverineGet("/api/councils/{council}/partners", Summary = "L'annuaire des organisations partenaires du conseil"), Tags("Conseil")]
    public static PartnerDirectoryView Get(CouncilRequest request) => PartnerDirectory.View(request.Actor.Council, request.Policy);
}

/// <summary>
/// The council's directory of partner organisations (organisation + role from the charter's closed list). Action
/// owners and séance guests are chosen from it, so that no person's name has to be typed where text stays in clear.
/// It is the only way to name them: the commands carry a partner id, never a typed organisation or function.
/// </summary>
public static class PartnerDirectory
{
    public const string ChooseFromDirectory = "Choisissez une organisation de l'annuaire des partenaires du conseil.";

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
