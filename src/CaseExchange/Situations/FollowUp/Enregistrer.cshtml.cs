using CaseExchange.Protection;
using CaseExchange.Situations.Viewing;
using CaseExchange.Web;
using Microsoft.AspNetCore.Mvc;

namespace CaseExchange.Situations.FollowUp;

public sealed class FollowUpForm
{
    public Guid? ActionId { get; set; }
    public string? Status { get; set; }

    /// <summary>NOMINATIVE, IN CLEAR until sealed.</summary>
    public string? Note { get; set; }

    public long? ExpectedVersion { get; set; }
}

/// <summary>The référent records where an action stands. Only the designated référent reaches this form.</summary>
public sealed class EnregistrerModel(SituationKeys keys) : CouncilPageModel
{
    [BindProperty] public FollowUpForm Input { get; set; } = new();

    public AnonymisedSituation Situation { get; private set; } = null!;
    public IReadOnlyList<ActionView> OpenActions { get; private set; } = [];

    public async Task OnGetAsync(Guid situationId)
    {
        await LoadAsync(situationId);
        Input.ExpectedVersion = Situation.Version;
        if (OpenActions.Count == 1) Input.ActionId = OpenActions[0].ActionId;
    }

    public async Task<IActionResult> OnPostAsync(Guid situationId)
    {
        await LoadAsync(situationId);
        if (Input.ActionId is null) ModelState.AddModelError("Input.ActionId", "Choisissez l'action dont vous enregistrez l'état.");
        return await SubmitAsync(
            () => RecordFollowUpUseCase.HandleAsync(CouncilRequest, situationId,
                new RecordFollowUp(Input.ActionId!.Value, Input.Status, Input.Note, Input.ExpectedVersion), keys),
            changed =>
            {
                Tell($"Point de suivi enregistré pour {changed.Pseudonym}.");
                return Redirect(Href("suivis"));
            },
            () => Task.CompletedTask);
    }

    private async Task LoadAsync(Guid situationId)
    {
        Situation = await ViewSituationUseCase.HandleAsync(CouncilRequest, situationId);
        // The same rule as the use case: the form is not offered to anyone who could not submit it.
        await RecordFollowUpUseCase.RequireRecorderAsync(CouncilRequest, situationId);
        OpenActions = [.. Situation.Actions.Where(a => a.Status == "en-cours")];
    }
}
