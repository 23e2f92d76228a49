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
public sealed class AjouterFaitModel(SituationKeys keys) : CouncilPageModel
{
    [BindProperty] public AddFactForm Input { get; set; } = new();

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
            () => AddFactUseCase.HandleAsync(CouncilRequest, situationId, new AddFact(Input.On, Input.Text, Input.ExpectedVersion), keys),
            changed =>
            {
                Tell($"Fait ajouté à la situation {changed.Pseudonym}.");
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
