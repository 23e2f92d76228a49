using CaseExchange.Charter;
using CaseExchange.Situations.Viewing;
using CaseExchange.Web;
using Microsoft.AspNetCore.Mvc;

namespace CaseExchange.Situations.Correction;

/// <summary>
/// What the pages adding to a situation (a person, a dated fact) share: the anonymised situation, the rule checked as the
/// use case checks it (403 otherwise), why the form is not offered, and the way back to the situation once added.
/// </summary>
public abstract class AdditionPageModel : CouncilPageModel
{
    public AnonymisedSituation Situation { get; private set; } = null!;

    /// <summary>Why the form is not offered (closed, erased), or null when it is.</summary>
    public string? NotOpen { get; private set; }

    protected async Task LoadAsync(Guid situationId)
    {
        Situation = await ViewSituationUseCase.HandleAsync(CouncilRequest, situationId);
        var target = await SituationForWriting.FetchAsync(Session, situationId);
        Actor.Require(AccessRules.AddToSituation(Policy, Actor.Member, Actor.Council, target.HoldingGroup));
        NotOpen = SituationForWriting.WhyNotOpen(target.Situation);
    }

    /// <summary>Loads the page, runs the use case; once added, back to the situation with <paramref name="added"/> told.</summary>
    protected async Task<IActionResult> AddAsync(Guid situationId, Func<Task<SituationChangedResponse>> useCase, string added)
    {
        await LoadAsync(situationId);
        return await SubmitAsync(useCase,
            changed =>
            {
                Tell($"{added} à la situation {changed.Pseudonym}.");
                return Redirect(Href($"situations/{situationId}"));
            },
            () => Task.CompletedTask);
    }
}
