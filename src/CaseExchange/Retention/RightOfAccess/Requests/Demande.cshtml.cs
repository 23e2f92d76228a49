using CaseExchange.Charter;
using CaseExchange.Web;
using Marten;
using Microsoft.AspNetCore.Mvc;

namespace CaseExchange.Retention.RightOfAccess.Requests;

public sealed class ExtendAccessRequestForm
{
    public string? Reason { get; set; }
}

/// <summary>
/// One recorded request: its deadline, the extension (a reason from the charter's list, within the first month) and the
/// answer — the identity checked on a document, the same search and journal as the right-of-access page, the printable
/// document on screen — after which the request leaves the "à faire".
/// </summary>
public sealed class DemandeModel(RightOfAccessServices services) : CouncilPageModel
{
    [BindProperty] public AccessRequestForm Input { get; set; } = new();

    [BindProperty] public ExtendAccessRequestForm Extension { get; set; } = new();

    public AccessRequestLine Current { get; private set; } = null!;

    /// <summary>NOMINATIVE, IN CLEAR: set only in the response to the accepted answer.</summary>
    public RightOfAccessDocument? Document { get; private set; }

    /// <summary>Whether the form offering the extension is shown (the use case decides in any case).</summary>
    public bool CanExtend => Current.AnsweredAt is null && Current.ExtensionReason is null
                             && Today <= AccessRequestDeadlines.DueOn(Current.ReceivedOn, extended: false);

    public async Task OnGetAsync(Guid requestId) => await LoadAsync(requestId);

    public async Task<IActionResult> OnPostAsync(Guid requestId)
    {
        // No early refusal here: the use case judges the caller and journals a refusal, as for the API. The request's dates
        // are read beforehand, without a verdict, for the page shown after the answer; a refused caller sees the error page only.
        if (await Session.LoadAsync<AccessRequest>(requestId, HttpContext.RequestAborted) is { } before)
            Current = AccessRequestsUseCase.LineOf(before, Policy, AccessRequestDeadlines.TodayAt(CouncilRequest.Now));
        return await SubmitAsync(
            () => AnswerRecordedAccessRequestUseCase.HandleAsync(CouncilRequest, requestId, Input.ToCommand(), services),
            document =>
            {
                Document = document;
                Current = Current with { AnsweredAt = document.ProducedAt };
                return Page();
            },
            () => LoadAsync(requestId));
    }

    public async Task<IActionResult> OnPostProlongerAsync(Guid requestId) =>
        await SubmitAsync(
            () => ExtendAccessRequestUseCase.HandleAsync(CouncilRequest, requestId, new ExtendAccessRequest(Extension.Reason)),
            extended =>
            {
                Tell($"Délai de la demande {extended.Reference} prolongé jusqu'au {Display.Date(extended.DueOn)}. "
                     + "Informez la personne de cette prolongation et de son motif.");
                return Redirect(Href($"droit-acces/demandes/{requestId}"));
            },
            () => LoadAsync(requestId), prefix: "Extension");

    private async Task LoadAsync(Guid requestId)
    {
        Actor.Require(AccessRules.AnswerAccessRequest(Policy, Actor.Member, Actor.Council));
        var state = await AccessRequestsUseCase.LoadAsync(CouncilRequest, requestId);
        Current = AccessRequestsUseCase.LineOf(state, Policy, AccessRequestDeadlines.TodayAt(CouncilRequest.Now));
    }
}
