using CaseExchange.Charter;
using CaseExchange.Protection;
using CaseExchange.Situations.Viewing;
using CaseExchange.Web;
using Microsoft.AspNetCore.Mvc;

namespace CaseExchange.Situations.Correction;

/// <summary>NOMINATIVE, IN CLEAR until sealed: a dated fact.</summary>
public sealed class AddFactForm
{
    public DateOnly? On { get; set; }
    public string? Text { get; set; }
    public long? ExpectedVersion { get; set; }

    public override string ToString() => "[fait nominatif à ajouter]";
}

/// <summary>Adding a dated fact: the members of the holding group who may refer there, while the situation is open.</summary>
public sealed class AjouterFaitModel(SituationKeys keys) : AdditionPageModel
{
    [BindProperty] public AddFactForm Input { get; set; } = new();

    public async Task OnGetAsync(Guid situationId)
    {
        await LoadAsync(situationId);
        Input.ExpectedVersion = Situation.Version;
    }

    public Task<IActionResult> OnPostAsync(Guid situationId) =>
        AddAsync(situationId, () => AddFactUseCase.HandleAsync(CouncilRequest, situationId, new AddFact(Input.On, Input.Text, Input.ExpectedVersion), keys), "Fait ajouté");
}
