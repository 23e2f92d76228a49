using CaseExchange.Charter;
using CaseExchange.Web;
using CaseExchange.Journal;
using CaseExchange.Protection;
using Microsoft.AspNetCore.Mvc;

namespace CaseExchange.Councils.Partners;

public sealed class PartnerForm
{
    public string? Organisation { get; set; }
    public string? Role { get; set; }
    public long? ExpectedVersion { get; set; }
}

/// <summary>
/// The council's partner directory, from which action owners and séance guests are chosen (the only way to name them),
/// and the coordonnateur's registration form: an organisation name, checked against the identity index, and a role
/// from the charter's closed list.
/// </summary>
public sealed class PartenairesModel(IdentityIndex index, AccessJournal journal) : CouncilPageModel
{
    [BindProperty] public PartnerForm Input { get; set; } = new();

    public PartnerDirectoryView Directory { get; private set; } = null!;

    public void OnGet()
    {
        Load();
        Input.ExpectedVersion = Actor.Council.Version;
    }

    public Task<IActionResult> OnPostAsync() => SubmitAsync(
        () => RegisterPartnerUseCase.HandleAsync(CouncilRequest, new RegisterPartner(Input.Organisation, Input.Role, Input.ExpectedVersion), index, journal),
        registered =>
        {
            Tell($"{registered.Organisation} ({registered.RoleLabel}) figure désormais à l'annuaire des partenaires.");
            return Redirect(Href("partenaires"));
        },
        () =>
        {
            Load();
            return Task.CompletedTask;
        });

    private void Load()
    {
        Actor.RequireCouncilCapability(Policy, Capabilities.ManageCouncil);
        Directory = PartnerDirectory.View(Actor.Council, Policy);
    }
}
