using CaseExchange.Charter;
using CaseExchange.Web;
using Microsoft.AspNetCore.Mvc;

namespace CaseExchange.Retention.RightOfAccess.Requests;

public sealed class RecordAccessRequestForm
{
    public DateOnly? ReceivedOn { get; set; }
    public string? Channel { get; set; }
}

/// <summary>
/// The register of right-of-access requests: open ones with their deadline (overdue first), the answered ones, and the
/// form recording a request when it arrives (day of receipt, channel; never who asked).
/// </summary>
public sealed class DemandesModel : CouncilPageModel
{
    [BindProperty] public RecordAccessRequestForm Input { get; set; } = new();

    public AccessRequestList List { get; private set; } = null!;

    public async Task OnGetAsync()
    {
        await LoadAsync();
        Input.ReceivedOn = Today;
    }

    public async Task<IActionResult> OnPostAsync() =>
        await SubmitAsync(
            () => RecordAccessRequestUseCase.HandleAsync(CouncilRequest, new RecordAccessRequest(Input.ReceivedOn, Input.Channel)),
            recorded =>
            {
                Tell($"Demande {recorded.Reference} enregistrée : réponse due au plus tard le {Display.Date(recorded.DueOn)}. "
                     + "Inscrivez cette référence sur la demande reçue, conservée avec les pièces du conseil.");
                return Redirect(Href($"droit-acces/demandes/{recorded.RequestId}"));
            },
            LoadAsync);

    private async Task LoadAsync() => List = await AccessRequestsUseCase.HandleAsync(CouncilRequest);
}
