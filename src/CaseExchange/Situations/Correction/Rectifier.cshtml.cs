using CaseExchange.Charter;
using CaseExchange.Protection;
using CaseExchange.Situations.Viewing;
using CaseExchange.Web;
using Microsoft.AspNetCore.Mvc;

namespace CaseExchange.Situations.Correction;

/// <summary>NOMINATIVE, IN CLEAR until sealed: the rectification form (a blank field keeps the value recorded).</summary>
public sealed class RectificationForm
{
    public Guid? PersonId { get; set; }
    public string? Nom { get; set; }
    public string? Prenom { get; set; }
    public DateOnly? DateNaissance { get; set; }
    public string? Adresse { get; set; }
    public long? ExpectedVersion { get; set; }

    public override string ToString() => "[rectification nominative]";
}

/// <summary>A person concerned as the anonymised view knows them: an id, a role, an age band.</summary>
public sealed record PersonChoice(Guid PersonId, int Number, string Role, string AgeBand);

/// <summary>
/// Rectifying an identity (RGPD, art. 16): the coordonnateur orders it. She does not read the file: the persons are offered
/// by role and age band, and she types only the values to rectify.
/// </summary>
public sealed class RectifierModel(SituationKeys keys, PersonsConcerned persons, IdentityIndex index) : CouncilPageModel
{
    [BindProperty] public RectificationForm Input { get; set; } = new();

    public AnonymisedSituation Situation { get; private set; } = null!;
    public IReadOnlyList<PersonChoice> Persons { get; private set; } = [];

    /// <summary>Why the form is not offered (erased), or null when it is.</summary>
    public string? NotCorrectable { get; private set; }

    public async Task OnGetAsync(Guid situationId)
    {
        await LoadAsync(situationId);
        Input.ExpectedVersion = Situation.Version;
        if (Persons.Count == 1) Input.PersonId = Persons[0].PersonId;
    }

    public async Task<IActionResult> OnPostAsync(Guid situationId)
    {
        await LoadAsync(situationId);
        return await SubmitAsync(
            () => CorrectIdentityUseCase.HandleAsync(CouncilRequest, situationId,
                new CorrectIdentity(Input.PersonId, Input.Nom, Input.Prenom, Input.DateNaissance, Input.Adresse, Input.ExpectedVersion), keys, persons, index),
            changed =>
            {
                Tell($"Rectification enregistrée pour la situation {changed.Pseudonym} : l'index des identités suit les nouvelles valeurs.");
                return Redirect(Href($"situations/{situationId}"));
            },
            () => Task.CompletedTask);
    }

    private async Task LoadAsync(Guid situationId)
    {
        Situation = await ViewSituationUseCase.HandleAsync(CouncilRequest, situationId);
        // The same rule as the use case: the form is offered only to those who may order a rectification (403 otherwise).
        Actor.Require(AccessRules.CorrectIdentity(Policy, Actor.Member, Actor.Council));
        var target = await SituationForWriting.FetchAsync(Session, situationId);
        Persons = Choices(target.Situation);
        NotCorrectable = target.Situation.IsErased ? "Les données nominatives de cette situation ont été effacées : il n'y a plus rien à rectifier." : null;
    }

    /// <summary>Pure: the persons of the situation, numbered in the order of the referral and additions.</summary>
    public static IReadOnlyList<PersonChoice> Choices(Situation situation) =>
        [.. situation.Notices.Select((n, i) => new PersonChoice(n.PersonId, i + 1, n.Role, i < situation.AgeBands.Count ? situation.AgeBands[i] : ""))];
}
