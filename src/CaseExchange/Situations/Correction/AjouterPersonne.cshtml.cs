using CaseExchange.Charter;
using CaseExchange.Protection;
using CaseExchange.Situations.Referral;
using CaseExchange.Situations.Viewing;
using CaseExchange.Web;
using Microsoft.AspNetCore.Mvc;

namespace CaseExchange.Situations.Correction;

/// <summary>NOMINATIVE, IN CLEAR until sealed: the person to add.</summary>
public sealed class AddPersonForm
{
    public PersonForm Person { get; set; } = new();
    public long? ExpectedVersion { get; set; }

    public override string ToString() => "[personne nominative à ajouter]";
}

/// <summary>Adding a person concerned: the members of the holding group who may refer there, while the situation is open.</summary>
public sealed class AjouterPersonneModel(SituationKeys keys, IdentityIndex index) : AdditionPageModel
{
    [BindProperty] public AddPersonForm Input { get; set; } = new();

    public async Task OnGetAsync(Guid situationId)
    {
        await LoadAsync(situationId);
        Input.ExpectedVersion = Situation.Version;
    }

    public Task<IActionResult> OnPostAsync(Guid situationId) =>
        AddAsync(situationId, () => AddPersonUseCase.HandleAsync(CouncilRequest, situationId, new AddPerson(Input.Person.ToRequest(), Input.ExpectedVersion), keys, index), "Personne ajoutée");
}
