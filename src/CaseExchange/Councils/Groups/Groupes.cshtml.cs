using CaseExchange.Charter;
using CaseExchange.Web;
using Microsoft.AspNetCore.Mvc;

namespace CaseExchange.Councils.Groups;

public sealed class GroupForm
{
    public string? Name { get; set; }
    public string? Kind { get; set; }
    public string? Sector { get; set; }
}

/// <summary>The coordonnateur's view of the working groups, and the form that creates one.</summary>
public sealed class GroupesModel : CouncilPageModel
{
    [BindProperty] public GroupForm Input { get; set; } = new();

    public IReadOnlyList<GroupSummary> Groups { get; private set; } = [];

    public async Task OnGetAsync() => await LoadAsync();

    public Task<IActionResult> OnPostAsync()
    {
        var command = new CreateGroup(Input.Name, Input.Kind, string.IsNullOrWhiteSpace(Input.Sector) ? null : Input.Sector);
        return SubmitAsync(
            async () =>
            {
                Actor.RequireCouncilCapability(Policy, Capabilities.ManageGroups);
                return await CreateGroupUseCase.HandleAsync(CouncilRequest, command);
            },
            created =>
            {
                Tell($"Le groupe « {created.Name} » est créé. Ajoutez-lui ses membres.");
                return Redirect(Href($"groupes/{created.GroupId}"));
            },
            LoadAsync);
    }

    private async Task LoadAsync()
    {
        Actor.RequireCouncilCapability(Policy, Capabilities.ManageGroups);
        Groups = await BrowseGroupsUseCase.ListAsync(CouncilRequest);
    }
}
