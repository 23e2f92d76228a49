using CaseExchange.Charter;
using CaseExchange.Councils.Members;
using CaseExchange.Web;
using Microsoft.AspNetCore.Mvc;

namespace CaseExchange.Councils.Sectors;

public sealed class MaireForm
{
    public Guid? MemberId { get; set; }
    public string? Commune { get; set; }
}

/// <summary>
/// An intercommunal council: the commune of each sector, and the maire of each commune (who sees his commune's statistics
/// only). The coordonnateur's page; the same use cases as the API.
/// </summary>
public sealed class CommunesModel : CouncilPageModel
{
    [BindProperty] public MaireForm Maire { get; set; } = new();

    public IReadOnlyList<MemberView> Members { get; private set; } = [];

    /// <summary>The sector whose commune form was refused, and what was typed in it: shown again as typed.</summary>
    public string? PostedSector { get; private set; }

    public string? PostedCommune { get; private set; }

    /// <summary>The model-state key of a sector's commune field (also the id of its input).</summary>
    public static string CommuneKey(string sector) => $"Commune_{sector}";

    /// <summary>The maires designated, by commune.</summary>
    public MemberView? MaireOf(string commune) => Members.FirstOrDefault(m => m.Active && m.MaireOf == commune);

    /// <summary>Who may be designated: active members who are not maires already.</summary>
    public IEnumerable<MemberView> Candidates => Members.Where(m => m.Active && m.MaireOf is null && m.MemberId != Actor.Id);

    public async Task OnGetAsync() => await LoadAsync();

    public Task<IActionResult> OnPostCommuneAsync(string sector, string? commune)
    {
        (PostedSector, PostedCommune) = (sector, commune);
        return SubmitAsync(
            () => Task.FromResult(AddSectorUseCase.SetCommune(CouncilRequest, sector, new SetSectorCommune(commune))),
            view => Done($"Le secteur « {view.Sectors.First(s => s.Code == sector).Label} » est rattaché à la commune de {view.Sectors.First(s => s.Code == sector).Commune}."),
            LoadAsync, prefix: "", mapField: _ => CommuneKey(sector));
    }

    public Task<IActionResult> OnPostMaireAsync() => SubmitAsync(
        async () =>
        {
            // The form's own field first (the API takes the member from its route), then the use case's rules.
            Actor.RequireCouncilCapability(Policy, Capabilities.ManageCouncil);
            var command = new DesignateMaire(Maire.Commune);
            if (Maire.MemberId is not { } memberId)
            {
                DesignateMaireUseCase.Check(command, Actor.Council, Policy).When(true, "memberId", "Choisissez le membre à désigner.").ThrowIfAny();
                throw new InvalidOperationException("unreachable");
            }
            return await DesignateMaireUseCase.DesignateAsync(CouncilRequest, memberId, command);
        },
        view => Done($"{view.DisplayName} est désigné(e) maire de {view.MaireOf} : il ou elle ne voit que les statistiques de sa commune."),
        LoadAsync, prefix: "Maire");

    public Task<IActionResult> OnPostFinMaireAsync(Guid memberId) => SubmitAsync(
        () => DesignateMaireUseCase.EndAsync(CouncilRequest, memberId),
        view => Done($"{view.DisplayName} n'est plus maire d'une commune du conseil."),
        LoadAsync, prefix: "");

    private IActionResult Done(string notice)
    {
        Tell(notice);
        return Redirect(Href("communes"));
    }

    private async Task LoadAsync()
    {
        Actor.RequireCouncilCapability(Policy, Capabilities.ManageCouncil);
        Members = await BrowseMembersUseCase.ListAsync(CouncilRequest);
    }
}
