using CaseExchange.Charter;
using CaseExchange.Web;
using Microsoft.AspNetCore.Mvc;

namespace CaseExchange.Councils.Members;

public sealed class MemberForm
{
    public string? Subject { get; set; }
    public string? DisplayName { get; set; }
    public string? Organisation { get; set; }
    public string? Function { get; set; }
    public string? Email { get; set; }
    public List<string> CouncilRoles { get; set; } = [];
}

/// <summary>The council's members (professionals, named for accountability) and the registration form.</summary>
public sealed class MembresModel : CouncilPageModel
{
    [BindProperty] public MemberForm Input { get; set; } = new();

    public IReadOnlyList<MemberView> Members { get; private set; } = [];

    public async Task OnGetAsync() => await LoadAsync();

    public Task<IActionResult> OnPostAsync() => SubmitAsync(
        async () =>
        {
            Actor.RequireCouncilCapability(Policy, Capabilities.ManageCouncil);
            return await RegisterMemberUseCase.HandleAsync(CouncilRequest, new RegisterMember(Input.Subject, Input.DisplayName, Input.Organisation, Input.Function,
                Input.CouncilRoles, Email: Input.Email));
        },
        created =>
        {
            Tell($"{created.DisplayName} est inscrit(e). Ajoutez-le ou la à ses groupes de travail ; il ou elle devra signer la charte avant tout accès nominatif.");
            return Redirect(Href("membres"));
        },
        LoadAsync);

    public string? CharterStatus(MemberView m) =>
        Actor.Council.CharterVersionInForce is not { } version ? null : m.SignedCharterVersions.Contains(version) ? "Signée" : "Non signée";

    private async Task LoadAsync()
    {
        Actor.RequireCouncilCapability(Policy, Capabilities.ManageCouncil);
        Members = await BrowseMembersUseCase.ListAsync(CouncilRequest);
    }
}
