using CaseExchange.Charter;
using CaseExchange.Situations.Viewing;
using CaseExchange.Web;
using Microsoft.AspNetCore.Mvc;

namespace CaseExchange.Retention.ErasureOrders;

public sealed class ErasureOrderForm
{
    public string? Reason { get; set; }
    public string? Reference { get; set; }

    /// <summary>The erasure cannot be undone: the form asks to say so before the use case is called.</summary>
    public bool Confirm { get; set; }
}

/// <summary>
/// The coordonnateur orders the erasure of a situation's nominative data now: a reason from the charter's list and,
/// optionally, the decision's reference. The use case journals the order, and every refusal, as the API does.
/// </summary>
public sealed class EffacerModel(ErasureServices services) : CouncilPageModel
{
    [BindProperty] public ErasureOrderForm Input { get; set; } = new();

    public AnonymisedSituation Situation { get; private set; } = null!;

    public async Task OnGetAsync(Guid situationId) => await LoadAsync(situationId);

    public async Task<IActionResult> OnPostAsync(Guid situationId)
    {
        if (!Input.Confirm)
        {
            // Nothing is ordered without the confirmation: the form comes back as typed.
            await LoadAsync(situationId);
            ModelState.AddModelError("Input.Confirm", "Cochez la case pour confirmer que l'effacement est définitif.");
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        // The use case judges the caller first and journals every refusal (a forged form included), as for the API.
        return await SubmitAsync(
            () => OrderErasureUseCase.HandleAsync(CouncilRequest, situationId, new OrderErasure(Input.Reason, Input.Reference), services),
            erased =>
            {
                Tell($"Les données nominatives de la situation {erased.Pseudonym} ont été effacées.");
                return Redirect(Href($"situations/{situationId}"));
            },
            () => LoadAsync(situationId));
    }

    private async Task LoadAsync(Guid situationId)
    {
        // The coordonnateur only (403 otherwise); the order itself is judged, and journalled, by the use case.
        Actor.Require(AccessRules.OrderErasure(Policy, Actor.Member, Actor.Council));
        Situation = await ViewSituationUseCase.HandleAsync(CouncilRequest, situationId);
    }
}
