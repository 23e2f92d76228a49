using CaseExchange.Charter;
using CaseExchange.Situations.Viewing;
using CaseExchange.Web;
using Marten;
using Microsoft.AspNetCore.Mvc;

namespace CaseExchange.Situations.Links;

public sealed class LinkForm
{
    /// <summary>The other situation, by its pseudonym: the coordonnateur links from the anonymised views alone.</summary>
    public string? OtherPseudonym { get; set; }

    public string? Kind { get; set; }
}

/// <summary>
/// The links of one situation (a family, siblings), for the coordonnateur: link it to another by pseudonym, or remove a
/// link. Nothing is opened or decrypted; the same use cases as the API.
/// </summary>
public sealed class LiensModel : CouncilPageModel
{
    [BindProperty] public LinkForm Input { get; set; } = new();

    public AnonymisedSituation Situation { get; private set; } = null!;

    public async Task OnGetAsync(Guid situationId) => await LoadAsync(situationId);

    public async Task<IActionResult> OnPostAsync(Guid situationId)
    {
        await LoadAsync(situationId);
        var pseudonym = (Input.OtherPseudonym ?? "").Trim();
        var other = pseudonym.Length == 0
            ? null
            : await Session.Query<Situation>().FirstOrDefaultAsync(s => s.Pseudonym == pseudonym, HttpContext.RequestAborted);
        if (pseudonym.Length > 0 && other is null)
        {
            // The pseudonym is not secret to a coordonnateur (she reads every anonymised row): saying it is unknown reveals nothing.
            ModelState.AddModelError("Input.OtherPseudonym", "Aucune situation de ce conseil ne porte ce pseudonyme.");
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        return await SubmitAsync(
            () => LinkSituationsUseCase.HandleAsync(CouncilRequest, new LinkSituations(situationId, other?.Id ?? Guid.Empty, Input.Kind)),
            linked =>
            {
                Tell($"Situations {linked.Pseudonym} et {linked.OtherPseudonym} liées ({LinkKinds.Label(linked.Kind)}).");
                return Redirect(Href($"situations/{situationId}/liens"));
            },
            () => LoadAsync(situationId),
            mapField: field => field == "kind" ? "Kind" : "OtherPseudonym");
    }

    public async Task<IActionResult> OnPostUnlinkAsync(Guid situationId, Guid linkId)
    {
        await LoadAsync(situationId);
        return await SubmitAsync(
            () => UnlinkSituationsUseCase.HandleAsync(CouncilRequest, situationId, linkId),
            _ =>
            {
                Tell("Lien supprimé.");
                return Redirect(Href($"situations/{situationId}/liens"));
            },
            () => LoadAsync(situationId));
    }

    private async Task LoadAsync(Guid situationId)
    {
        // The same rule as the use cases: the page is for those who may link (403 otherwise).
        Actor.Require(AccessRules.LinkSituations(Policy, Actor.Member, Actor.Council));
        Situation = await ViewSituationUseCase.HandleAsync(CouncilRequest, situationId);
    }
}
