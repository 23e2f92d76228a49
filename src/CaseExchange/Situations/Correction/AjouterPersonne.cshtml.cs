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
public sealed class AjouterPersonneModel(SituationKeys keys, IdentityIndex index) : CouncilPageModel
{
    [BindProperty] public AddPersonForm Input { get; set; } = new();

    public AnonymisedSituation Situation { get; private set; } = null!;

    /// <summary>Why the form is not offered (closed, erased), or null when it is.</summary>
    public string? NotOpen { get; private set; }

    public async Task OnGetAsync(Guid situationId)
    {
        await LoadAsync(situationId);
        Input.ExpectedVersion = Situation.Version;
    }

    public async Task<IActionResult> OnPostAsync(Guid situationId)
    {
        await LoadAsync(situationId);
        return await SubmitAsync(
            () => AddPersonUseCase.HandleAsync(CouncilRequest, situationId, new AddPerson(Input.Person.ToRequest(), Input.ExpectedVersion), keys, index),
            changed =>
            {
                Tell($"Personne ajoutée à la situation {changed.Pseudonym}.");
                return Redirect(Href($"situations/{situationId}"));
            },
            () => Task.CompletedTask);
    }

    private async Task LoadAsync(Guid situationId)
    {
        Situation = await ViewSituationUseCase.HandleAsync(CouncilRequest, situationId);
        // The same rule as the use case (403 otherwise).
        var target = await SituationForWriting.FetchAsync(Session, situationId);
        Actor.Require(AccessRules.AddToSituation(Policy, Actor.Member, Actor.Council, target.HoldingGroup));
        NotOpen = SituationForWriting.WhyNotOpen(target.Situation);
    }
}
